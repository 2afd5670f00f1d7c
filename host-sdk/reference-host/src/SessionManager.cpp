#include "SessionManager.h"

#include "DirectoryRows.h"

#include "PasswordHasher.h"
#include "Secrets.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/String.h>

using namespace Poco::Data::Keywords;

namespace RefHost
{

SessionManager::SessionManager(Database& db, Directory& directory, const Settings& settings) :
	_db(db), _directory(directory), _settings(settings)
{
}

void SessionManager::ensureThrottleRow(Poco::Data::Session& s, const std::string& key, Poco::Int64 windowStart)
{
	std::string insert =
		_db.dialect() == Database::Dialect::SQLite
			? "INSERT OR IGNORE INTO login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 0)"
			: "INSERT IGNORE INTO login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 0)";
	s << insert, useRef(key), use(windowStart), now;
}

void SessionManager::restartQuietCount(Poco::Data::Session& s, const std::string& countKey, Poco::Int64 at)
{
	Poco::Int64 quietSince = at - static_cast<Poco::Int64>(_settings.backoffResetSeconds) * 1000;
	s << "UPDATE login_throttle SET failures = 0 WHERE throttle_key = ? AND window_start <= ?", useRef(countKey),
		use(quietSince), now;
}

int SessionManager::reserveAttempt(const std::string& key, int maxFailures, Poco::Int64 at)
{
	Poco::Int64 windowMs = static_cast<Poco::Int64>(_settings.failureWindowSeconds) * 1000;
	Poco::Int64 expired = at - windowMs;
	Poco::Data::Session s = _db.session();
	// Each statement is atomic on its own; together they never let two
	// concurrent attempts take the same last slot.
	ensureThrottleRow(s, key, at);
	s << "UPDATE login_throttle SET window_start = ?, failures = 0 WHERE throttle_key = ? AND window_start <= ?",
		use(at), useRef(key), use(expired), now;
	Poco::Data::Statement reserve(s);
	reserve << "UPDATE login_throttle SET failures = failures + 1 WHERE throttle_key = ? AND failures < ?", useRef(key),
		use(maxFailures);
	if (reserve.execute() == 1) return 0;
	Poco::Int64 windowStart = at;
	s << "SELECT window_start FROM login_throttle WHERE throttle_key = ?", useRef(key), into(windowStart), now;
	return static_cast<int>(std::max<Poco::Int64>(windowStart + windowMs - at, 0) / 1000) + 1;
}

void SessionManager::releaseAttempt(const std::string& key)
{
	Poco::Data::Session s = _db.session();
	s << "UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0", useRef(key), now;
}

void SessionManager::resetAttempts(const std::string& key)
{
	Poco::Data::Session s = _db.session();
	s << "DELETE FROM login_throttle WHERE throttle_key = ?", useRef(key), now;
}

bool SessionManager::knownAddress(const std::string& key, Poco::Int64 at)
{
	Poco::Int64 since = at - static_cast<Poco::Int64>(_settings.knownAddressSeconds) * 1000;
	int found = 0;
	Poco::Data::Session s = _db.session();
	s << "SELECT COUNT(*) FROM login_throttle WHERE throttle_key = ? AND window_start > ?", useRef(key), use(since),
		into(found), now;
	return found > 0;
}

void SessionManager::rememberAddress(const std::string& key, Poco::Int64 at)
{
	Poco::Data::Session s = _db.session();
	ensureThrottleRow(s, key, at);
	s << "UPDATE login_throttle SET window_start = ? WHERE throttle_key = ?", use(at), useRef(key), now;
	// This login's addresses that are no longer known go (the table would
	// otherwise keep every address a login ever succeeded from). A key range,
	// not LIKE: exact ('_' is no wildcard here) and served by the primary key
	// on both databases (SQLite's LIKE is case-insensitive, so it scans).
	std::string from = key.substr(0, key.find('|') + 1);    // "known:<login>|"
	std::string to = from.substr(0, from.size() - 1) + "}"; // '}' follows '|'
	Poco::Int64 since = at - static_cast<Poco::Int64>(_settings.knownAddressSeconds) * 1000;
	s << "DELETE FROM login_throttle WHERE throttle_key >= ? AND throttle_key < ? AND window_start <= ?", useRef(from),
		useRef(to), use(since), now;
}

int SessionManager::reserveCheck(const std::string& countKey, const std::string& nextKey, Poco::Int64 at)
{
	// Not the failure window: with a quiet time no longer than the longest
	// step, a guesser who waits it out (or whose step has grown to it) would
	// get the free guesses back every quarter hour. backoffResetSeconds is at
	// least twice the longest step, so patience buys nothing.
	Poco::Data::Session s = _db.session();
	ensureThrottleRow(s, countKey, at);
	ensureThrottleRow(s, nextKey, 0);
	// The count is of checked guesses; it starts again after a quiet window
	// (window_start is the last reservation), so a steady trickle of guesses
	// keeps the back-off growing instead of earning new free tries.
	restartQuietCount(s, countKey, at);
	Poco::Data::Statement free(s);
	free << "UPDATE login_throttle SET failures = failures + 1, window_start = ? WHERE throttle_key = ? AND failures < "
			"?",
		use(at), useRef(countKey), use(_settings.backoffAfterFailures);
	if (free.execute() == 1) return 0;
	// In back-off: one check per step, the step doubling with each failure.
	// Taking the step is one conditional UPDATE, so of concurrent guesses on
	// any node exactly one is checked.
	int failures = 0;
	s << "SELECT failures FROM login_throttle WHERE throttle_key = ?", useRef(countKey), into(failures), now;
	int doublings = std::min(std::max(failures - _settings.backoffAfterFailures, 0), 30);
	Poco::Int64 stepMs = std::min<Poco::Int64>(static_cast<Poco::Int64>(_settings.backoffBaseSeconds) << doublings,
											   _settings.backoffMaxSeconds) *
						 1000;
	Poco::Int64 next = at + stepMs;
	Poco::Data::Statement step(s);
	step << "UPDATE login_throttle SET window_start = ? WHERE throttle_key = ? AND window_start <= ?", use(next),
		useRef(nextKey), use(at);
	if (step.execute() == 1)
	{
		s << "UPDATE login_throttle SET failures = failures + 1, window_start = ? WHERE throttle_key = ?", use(at),
			useRef(countKey), now;
		return 0;
	}
	Poco::Int64 nextAt = at;
	s << "SELECT window_start FROM login_throttle WHERE throttle_key = ?", useRef(nextKey), into(nextAt), now;
	return static_cast<int>(std::max<Poco::Int64>(nextAt - at, 0) / 1000) + 1;
}

std::optional<SessionManager::LoginResult> SessionManager::login(const std::string& login, const std::string& password,
																 const std::string& remoteAddr)
{
	// Three counters (README, "Logins"): the pair (login, address)
	// refuses a guesser after maxFailuresPerLogin, whatever they send next,
	// so from their address the right password is no oracle; the address
	// refuses after maxFailuresPerAddress attempts at any login; and the
	// login itself, over all addresses, checks at most backoffAfterFailures
	// guesses freely and then one per doubling step, refusing the others
	// unchecked (429) - except from an address this login succeeded from
	// lately, which is how the owner gets in while strangers guess.
	Poco::Int64 nowMs = Secrets::nowMs();
	std::string name = Directory::normalizeLogin(login);
	std::string addr = remoteAddr.substr(0, 64);
	std::string pairKey = "pair:" + name + "|" + addr;
	std::string addrKey = "addr:" + addr;
	std::string countKey = "login:" + name;
	std::string nextKey = "next:" + name;
	std::string knownKey = "known:" + name + "|" + addr;
	int wait = reserveAttempt(pairKey, _settings.maxFailuresPerLogin, nowMs);
	if (wait > 0) throw LoginThrottledException(wait);
	wait = reserveAttempt(addrKey, _settings.maxFailuresPerAddress, nowMs);
	if (wait > 0)
	{
		releaseAttempt(pairKey);
		throw LoginThrottledException(wait);
	}
	bool known = knownAddress(knownKey, nowMs);
	if (!known)
	{
		wait = reserveCheck(countKey, nextKey, nowMs);
		if (wait > 0)
		{
			releaseAttempt(pairKey); // not checked: not a guess of this pair's
			throw LoginThrottledException(wait);
		}
	}
	std::optional<User> user = _directory.userByLogin(name);
	// verify() spends one argon2id verification whatever the hash (none for
	// an unknown login, an empty one for a pending or reset account).
	bool ok = PasswordHasher::verify(user ? user->passwordHash : std::string(), password);
	std::vector<Membership> memberships;
	if (ok && user->status == "active") memberships = _directory.membershipsOfUser(user->id);
	if (!ok || user->status != "active" || memberships.empty())
	{
		// The attempts stay counted; a known address's failure counts for the login too.
		if (known)
		{
			Poco::Data::Session s = _db.session();
			ensureThrottleRow(s, countKey, nowMs);
			// The same quiet-time rule as reserveCheck: a count that lapsed
			// starts over here too, or this failure would revive it.
			restartQuietCount(s, countKey, nowMs);
			s << "UPDATE login_throttle SET failures = failures + 1, window_start = ? WHERE throttle_key = ?",
				use(nowMs), useRef(countKey), now;
		}
		return std::nullopt;
	}
	resetAttempts(pairKey);
	releaseAttempt(addrKey);
	if (!known) releaseAttempt(countKey);
	rememberAddress(knownKey, nowMs);
	// membershipsOfUser lists 'member' before 'external': start in a home org.
	LoginResult result;
	result.token = Secrets::randomHex(32);
	SessionInfo& si = result.session;
	si.idHash = Secrets::sha256Hex(result.token);
	si.userId = user->id;
	si.orgId = memberships.front().orgId;
	si.csrfToken = Secrets::randomHex(32);
	si.createdAt = nowMs;
	si.lastSeenAt = nowMs;
	si.expiresAt = nowMs + static_cast<Poco::Int64>(_settings.absoluteSeconds) * 1000;
	_db.write(
		[&](Poco::Data::Session& s)
		{
			s << "INSERT INTO sessions (id_hash, user_id, org_id, csrf_token, created_at, last_seen_at, expires_at, "
				 "remote_addr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				useRef(si.idHash), use(si.userId), use(si.orgId), useRef(si.csrfToken), use(si.createdAt),
				use(si.lastSeenAt), use(si.expiresAt), useRef(addr), now;
		});
	return result;
}

bool SessionManager::checkCurrentPassword(Poco::Int64 userId, const std::string& passwordHash,
										  const std::string& password)
{
	// Counted before the check like a login's, so parallel guesses cannot overrun it.
	std::string key = "pwcheck:" + std::to_string(userId);
	int wait = reserveAttempt(key, _settings.maxFailuresPerLogin, Secrets::nowMs());
	if (wait > 0) throw LoginThrottledException(wait);
	bool ok = PasswordHasher::verify(passwordHash, password);
	if (ok) resetAttempts(key);
	return ok;
}

std::optional<SessionManager::SignedIn> SessionManager::signedIn(const std::string& token)
{
	using namespace DirectoryRows;
	if (token.size() != 64) return std::nullopt;
	std::string idHash = Secrets::sha256Hex(token);
	Poco::Data::Session s = _db.session();
	// Columns: the session's 0-5, the user's from 6 (kUserColumns, status
	// at 9), the membership's from 16 (kMembershipColumns, NULL when none),
	// a permission granted in the org at 22: one row per permission (one
	// row with NULL when none), so that the plugins get the caller's
	// permissions with the request instead of asking for each. Every
	// request runs it: query() keeps it prepared on SQLite.
	static const std::string sql =
		std::string("SELECT s.user_id, s.org_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, ") +
		kUserColumns + ", " + kMembershipColumns +
		", p.permission FROM sessions s JOIN users u ON u.id = s.user_id"
		" LEFT JOIN memberships m ON m.org_id = s.org_id AND m.user_id = s.user_id"
		" LEFT JOIN orgs o ON o.id = m.org_id"
		" LEFT JOIN member_permissions p ON p.org_id = m.org_id AND p.user_id = m.user_id WHERE s.id_hash = ?";
	SignedIn in;
	bool seen = false, stillMember = false;
	std::size_t rows = _db.query(s, sql, {Database::Param::text(idHash)},
								 [&](const Database::Row& row)
								 {
									 if (!row.isNull(22)) in.permissions.push_back(row.text(22));
									 if (seen) return; // the session's columns repeat in every row
									 seen = true;
									 SessionInfo& si = in.session;
									 si.idHash = idHash;
									 si.userId = row.integer(0);
									 si.orgId = row.integer(1);
									 si.csrfToken = row.text(2);
									 si.createdAt = row.integer(3);
									 si.lastSeenAt = row.integer(4);
									 si.expiresAt = row.integer(5);
									 in.user = userAt(row, 6);
									 stillMember = !row.isNull(16);
									 if (stillMember) in.membership = membershipAt(row, 16);
								 });
	if (rows == 0) return std::nullopt;
	SessionInfo& si = in.session;
	Poco::Int64 nowMs = Secrets::nowMs();
	Poco::Int64 idleMs = static_cast<Poco::Int64>(_settings.idleSeconds) * 1000;
	if (nowMs >= si.expiresAt || nowMs - si.lastSeenAt >= idleMs || in.user.status != "active" || !stillMember)
	{
		s << "DELETE FROM sessions WHERE id_hash = ?", useRef(idHash), now;
		return std::nullopt;
	}
	// Touch at most every tenth of the idle timeout to keep reads cheap.
	if (nowMs - si.lastSeenAt >= idleMs / 10)
	{
		si.lastSeenAt = nowMs;
		s << "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", use(nowMs), useRef(idHash), now;
	}
	return in;
}

std::optional<SessionInfo> SessionManager::authenticate(const std::string& token)
{
	std::optional<SignedIn> in = signedIn(token);
	if (!in) return std::nullopt;
	return in->session;
}

void SessionManager::logout(const std::string& token)
{
	std::string idHash = Secrets::sha256Hex(token);
	Poco::Data::Session s = _db.session();
	s << "DELETE FROM sessions WHERE id_hash = ?", useRef(idHash), now;
}

bool SessionManager::switchOrg(const std::string& idHash, Poco::Int64 userId, Poco::Int64 orgId)
{
	if (!_directory.membership(orgId, userId)) return false;
	Poco::Data::Session s = _db.session();
	s << "UPDATE sessions SET org_id = ? WHERE id_hash = ? AND user_id = ?", use(orgId), useRef(idHash), use(userId),
		now;
	return true;
}

int SessionManager::endSessionsOfUser(Poco::Int64 userId, const std::string& exceptIdHash)
{
	Poco::Data::Session s = _db.session();
	Poco::Data::Statement st(s);
	st << "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", use(userId), useRef(exceptIdHash);
	return static_cast<int>(st.execute());
}

} // namespace RefHost
