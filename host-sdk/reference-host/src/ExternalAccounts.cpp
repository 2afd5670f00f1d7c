#include "ExternalAccounts.h"

#include "PasswordHasher.h"
#include "Secrets.h"
#include <Poco/Data/Statement.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>
#include <algorithm>
#include <cctype>
#include <vector>

using namespace Poco::Data::Keywords;

namespace RefHost
{

namespace
{

const Poco::RegularExpression& loginPattern()
{
	static const Poco::RegularExpression pattern("^[a-z0-9][a-z0-9._@-]{0,63}$");
	return pattern;
}

std::string randomDigits(std::size_t n)
{
	std::string digits;
	while (digits.size() < n)
	{
		uint8_t b = 0;
		Secrets::randomBytes(&b, 1);
		if (b < 250) digits += static_cast<char>('0' + b % 10); // no modulo bias
	}
	return digits;
}

} // namespace

ExternalAccounts::ExternalAccounts(Database& db, Directory& directory, SessionManager& sessions,
								   const PasswordPolicy& policy, Settings settings) :
	_db(db),
	_directory(directory), _sessions(sessions), _policy(policy), _settings(std::move(settings))
{
	while (!_settings.publicBaseUrl.empty() && _settings.publicBaseUrl.back() == '/')
		_settings.publicBaseUrl.pop_back();
}

bool ExternalAccounts::plausibleToken(const std::string& token)
{
	return token.size() == 64 && token.find_first_not_of("0123456789abcdef") == std::string::npos;
}

int ExternalAccounts::ttlOrDefault(int ttlSeconds) const
{
	int ttl = ttlSeconds == 0 ? _settings.defaultTtlSeconds : ttlSeconds;
	if (ttl < TTL_MIN_SECONDS || ttl > TTL_MAX_SECONDS)
		throw Poco::InvalidArgumentException("the link must last 1 hour to 30 days");
	return ttl;
}

ExternalAccounts::Link ExternalAccounts::issue(Poco::Data::Session& s, Poco::Int64 userId, int ttlSeconds,
											   bool revokeOld)
{
	Poco::Int64 at = Secrets::nowMs();
	if (revokeOld)
	{
		// By primary key: an UPDATE ranging over the user_id index would take
		// next-key locks reaching into the gap before the next user's links,
		// and two transactions inserting there deadlock on MariaDB. Callers
		// hold the user's row (UPDATE users first), so no link of this user
		// appears between the read and the update.
		std::vector<Poco::Int64> open;
		s << "SELECT id FROM account_activations WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL",
			use(userId), into(open), now;
		for (Poco::Int64 id : open)
			s << "UPDATE account_activations SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS "
				 "NULL",
				use(at), use(id), now;
	}
	Link link;
	link.token = Secrets::randomHex(32);
	std::string hash = Secrets::sha256Hex(link.token);
	link.expiresAt = at + static_cast<Poco::Int64>(ttlSeconds) * 1000;
	s << "INSERT INTO account_activations (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
		use(userId), useRef(hash), use(at), use(link.expiresAt), now;
	link.path = "/#/activate/" + link.token;
	if (!_settings.publicBaseUrl.empty()) link.url = _settings.publicBaseUrl + link.path;
	return link;
}

ExternalAccounts::Created ExternalAccounts::createPending(Poco::Int64 orgId, const std::string& displayName,
														  const std::string& loginHint, int securityLevel,
														  int ttlSeconds)
{
	std::string name = Poco::trim(displayName);
	if (name.empty() || name.size() > 100) throw Poco::InvalidArgumentException("a display name has 1-100 bytes");
	if (securityLevel < -999 || securityLevel > 0)
		throw Poco::InvalidArgumentException("securityLevel must be -999..0");
	int ttl = ttlOrDefault(ttlSeconds);
	if (!_directory.orgById(orgId)) throw Poco::NotFoundException("no such organization");

	std::vector<std::string> candidates;
	std::string hint = Directory::normalizeLogin(loginHint);
	if (hint.size() > 60) hint.resize(60);
	while (!hint.empty() && !std::isalnum(static_cast<unsigned char>(hint.back())))
		hint.pop_back();
	if (loginPattern().match(hint))
	{
		candidates.push_back(hint);
		for (int n = 2; n <= 20; ++n)
			candidates.push_back(hint + "-" + std::to_string(n));
	}
	for (int n = 0; n < 5; ++n)
		candidates.push_back("ext-" + randomDigits(10));

	for (const std::string& login : candidates)
	{
		if (_directory.userByLogin(login)) continue;
		try
		{
			return _db.write(
				[&](Poco::Data::Session& s)
				{
					Created created;
					Poco::Int64 at = Secrets::nowMs();
					std::string status = "pending";
					s << "INSERT INTO users (login, display_name, password_hash, status, created_at) VALUES (?, ?, "
						 "NULL, ?, ?)",
						useRef(login), useRef(name), useRef(status), use(at), now;
					created.userId = _db.lastInsertId(s);
					created.login = login;
					std::string kind = "external";
					int admin = 0;
					s << "INSERT INTO memberships (org_id, user_id, kind, is_admin, security_level, created_at) "
						 "VALUES (?, ?, ?, ?, ?, ?)",
						use(orgId), use(created.userId), useRef(kind), use(admin), use(securityLevel), use(at), now;
					created.link = issue(s, created.userId, ttl, false);
					return created;
				});
		}
		catch (const Poco::Exception&)
		{
			// Someone took the login between the look-up and the insert: next one.
			if (!_directory.userByLogin(login)) throw;
		}
	}
	throw Poco::ExistsException("no free login found for " + loginHint);
}

bool ExternalAccounts::onlyExternal(Poco::Int64 userId)
{
	std::vector<Membership> memberships = _directory.membershipsOfUser(userId);
	return !memberships.empty() && std::all_of(memberships.begin(), memberships.end(),
											   [](const Membership& m) { return m.kind == "external"; });
}

ExternalAccounts::Link ExternalAccounts::reset(Poco::Int64 userId, int ttlSeconds)
{
	int ttl = ttlOrDefault(ttlSeconds);
	std::optional<User> user = _directory.userById(userId);
	if (!user) throw Poco::NotFoundException("no such user");
	if (!onlyExternal(userId))
		throw Poco::NoPermissionException("only accounts of external users can be reset by a plugin");
	if (user->status == "disabled") throw Poco::IllegalStateException("the account is disabled; enable it first");
	Link link = _db.write(
		[&](Poco::Data::Session& s)
		{
			s << "UPDATE users SET password_hash = NULL, status = 'pending' WHERE id = ?", use(userId), now;
			return issue(s, userId, ttl, true);
		});
	_sessions.endSessionsOfUser(userId);
	return link;
}

void ExternalAccounts::setSecurityLevel(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel)
{
	if (securityLevel < -999 || securityLevel > 0)
		throw Poco::InvalidArgumentException("securityLevel must be -999..0");
	std::optional<Membership> m = _directory.membership(orgId, userId);
	if (!m || m->kind != "external") throw Poco::NotFoundException("no such external user in this organization");
	_db.write(
		[&](Poco::Data::Session& s)
		{
			s << "UPDATE memberships SET security_level = ? WHERE org_id = ? AND user_id = ?", use(securityLevel),
				use(orgId), use(userId), now;
		});
}

ExternalAccounts::Pending ExternalAccounts::check(const std::string& token)
{
	if (!plausibleToken(token)) throw ActivationLinkException("not an activation link");
	std::string hash = Secrets::sha256Hex(token);
	Poco::Data::Session s = _db.session();
	std::vector<Poco::Int64> userIds, expires;
	std::vector<Poco::Nullable<Poco::Int64>> used, revoked;
	s << "SELECT user_id, expires_at, used_at, revoked_at FROM account_activations WHERE token_hash = ?", useRef(hash),
		into(userIds), into(expires), into(used), into(revoked), now;
	if (userIds.empty()) throw ActivationLinkException("unknown activation link");
	if (!used[0].isNull() || !revoked[0].isNull() || expires[0] <= Secrets::nowMs())
		throw ActivationExpiredException("the activation link was used, replaced or has expired");
	std::optional<User> user = _directory.userById(userIds[0]);
	if (!user || user->status != "pending")
		throw ActivationExpiredException("the account is not waiting for activation");
	return Pending{user->id, user->login, user->displayName, expires[0]};
}

void ExternalAccounts::activate(const std::string& token, const std::string& password)
{
	Pending pending = check(token);
	if (auto problem = _policy.check(password, pending.login, pending.displayName))
		throw PasswordRejectedException(*problem);
	std::string passwordHash = PasswordHasher::hash(password);
	std::string hash = Secrets::sha256Hex(token);
	bool done = _db.write(
		[&](Poco::Data::Session& s)
		{
			Poco::Int64 at = Secrets::nowMs();
			Poco::Data::Statement use1(s);
			use1 << "UPDATE account_activations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
					"AND revoked_at IS NULL AND expires_at > ?",
				use(at), useRef(hash), use(at);
			if (use1.execute() != 1) return false;
			Poco::Data::Statement activate(s);
			activate << "UPDATE users SET password_hash = ?, status = 'active' WHERE id = ? AND status = 'pending'",
				useRef(passwordHash), use(pending.userId);
			if (activate.execute() != 1) throw ActivationExpiredException("the account is not waiting for activation");
			return true;
		});
	if (!done) throw ActivationExpiredException("the activation link was used, replaced or has expired");
}

} // namespace RefHost
