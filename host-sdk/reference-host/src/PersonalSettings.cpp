#include "PersonalSettings.h"

#include "PasswordHasher.h"
#include "Secrets.h"
#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>
#include <Poco/UTF8Encoding.h>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace RefHost
{

namespace
{

// Characters of valid UTF-8 text without control characters, or -1.
long textLength(const std::string& text)
{
	Poco::UTF8Encoding utf8;
	const auto* p = reinterpret_cast<const unsigned char*>(text.data());
	const auto* end = p + text.size();
	long count = 0;
	while (p < end)
	{
		int n = utf8.sequenceLength(p, static_cast<int>(end - p));
		if (n <= 0 || p + n > end || !utf8.isLegal(p, n)) return -1;
		if (n == 1 && (*p < 0x20 || *p == 0x7f)) return -1;
		p += n;
		++count;
	}
	return count;
}

void checkChannel(const std::string& channel)
{
	if (channel != "email" && channel != "mobile")
		throw PersonalSettingsError(400, "validation_failed", "channel must be email or mobile", "channel");
}

} // namespace

PersonalSettings::PersonalSettings(Database& db, Directory& directory, SessionManager& sessions,
								   NotificationCenter& notifications, const PasswordPolicy& policy,
								   const Settings& settings) :
	_db(db),
	_directory(directory), _sessions(sessions), _notifications(notifications), _policy(policy), _settings(settings)
{
}

PersonalSettings::PersonalSettings(Database& db, Directory& directory, SessionManager& sessions,
								   NotificationCenter& notifications, const PasswordPolicy& policy) :
	PersonalSettings(db, directory, sessions, notifications, policy, Settings{})
{
}

void PersonalSettings::updateProfile(Poco::Int64 userId, const std::string& displayName, const std::string& title,
									 std::optional<bool> discoverable)
{
	std::string name = Poco::trim(displayName);
	long n = textLength(name);
	if (n < 1 || n > 100)
		throw PersonalSettingsError(400, "validation_failed", "displayName must be 1..100 characters", "displayName");
	std::string t = Poco::trim(title);
	n = textLength(t);
	if (n < 0 || n > 100)
		throw PersonalSettingsError(400, "validation_failed", "title must be 0..100 characters", "title");
	_db.write(
		[&](Poco::Data::Session& s)
		{
			s << "UPDATE users SET display_name = ?, title = ? WHERE id = ?", useRef(name), useRef(t), use(userId), now;
			if (discoverable)
			{
				int flag = *discoverable ? 1 : 0;
				s << "UPDATE users SET discoverable = ? WHERE id = ?", use(flag), use(userId), now;
			}
		});
}

void PersonalSettings::changePassword(Poco::Int64 userId, const std::string& currentSessionIdHash,
									  const std::string& currentPassword, const std::string& newPassword)
{
	std::optional<User> user = _directory.userById(userId);
	bool ok = false;
	try
	{
		// Wrong current passwords are counted per user like logins: a stolen
		// session must not guess at the rate of the server's argon2id.
		ok = _sessions.checkCurrentPassword(userId, user ? user->passwordHash : std::string(),
											currentPassword.substr(0, 1024));
		ok = ok && currentPassword.size() <= 1024;
	}
	catch (const LoginThrottledException& e)
	{
		PersonalSettingsError err(429, "too_many_requests", "too many wrong current passwords; try again later",
								  "currentPassword");
		err.retryAfter = e.retryAfterSeconds();
		throw err;
	}
	if (!ok)
		throw PersonalSettingsError(400, "invalid_credentials", "the current password is wrong", "currentPassword");
	if (std::optional<PasswordPolicy::Problem> problem = _policy.check(newPassword, user->login, user->displayName))
		throw PersonalSettingsError(400, "password_" + problem->code, problem->message, "newPassword");
	_directory.setPassword(userId, newPassword);
	_sessions.endSessionsOfUser(userId, currentSessionIdHash);
}

bool PersonalSettings::validEmail(const std::string& value)
{
	if (value.empty() || value.size() > 254) return false;
	std::size_t at = value.find('@');
	if (at == std::string::npos || at == 0 || value.find('@', at + 1) != std::string::npos) return false;
	std::string domain = value.substr(at + 1);
	if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.')
		return false;
	if (domain.find("..") != std::string::npos) return false;
	for (unsigned char c : value)
		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' || c == ',' || c == ';' ||
			c == '(' || c == ')' || c == '[' || c == ']' || c == ':')
			return false;
	return textLength(value) > 0;
}

bool PersonalSettings::validMobile(const std::string& value)
{
	std::size_t i = (!value.empty() && value[0] == '+') ? 1 : 0;
	std::size_t digits = value.size() - i;
	if (digits < 6 || digits > 20) return false;
	for (; i < value.size(); ++i)
		if (value[i] < '0' || value[i] > '9') return false;
	return true;
}

std::string PersonalSettings::newCode()
{
	// 2^32 - (2^32 mod 10^6) is the largest multiple of 10^6 below 2^32:
	// values at or above it are drawn again, so every code is as likely.
	const uint64_t range = 1000000;
	const uint64_t limit = (uint64_t(1) << 32) - ((uint64_t(1) << 32) % range);
	for (;;)
	{
		uint8_t b[4];
		Secrets::randomBytes(b, sizeof b);
		uint64_t v = (uint64_t(b[0]) << 24) | (uint64_t(b[1]) << 16) | (uint64_t(b[2]) << 8) | uint64_t(b[3]);
		if (v >= limit) continue;
		std::string code = std::to_string(v % range);
		return std::string(6 - code.size(), '0') + code;
	}
}

std::string PersonalSettings::codeHash(Poco::Int64 userId, const std::string& code)
{
	return Secrets::sha256Hex(std::to_string(userId) + ":" + code);
}

void PersonalSettings::requestBinding(Poco::Int64 userId, const std::string& channel, const std::string& value)
{
	checkChannel(channel);
	if (channel == "email" ? !validEmail(value) : !validMobile(value))
		throw PersonalSettingsError(400, "validation_failed",
									channel == "email"
										? "value must be an email address (at most 254 characters)"
										: "value must be a mobile number: an optional + and 6 to 20 digits",
									"value");
	std::string code = newCode();
	std::string hash = codeHash(userId, code);
	bool mysql = _db.dialect() == Database::Dialect::MySQL;
	Poco::Int64 at = Secrets::nowMs();
	Poco::Int64 hourAgo = at - 3600 * 1000LL;
	Poco::Int64 expires = at + _settings.codeTtlSeconds * 1000LL;
	int attempts = _settings.attempts;
	std::string ch = channel;
	std::string v = value;
	Poco::Int64 retryAt = _db.write(
		[&](Poco::Data::Session& s) -> Poco::Int64
		{
			// Requests of one user queue on their user row (SQLite: on the write lock).
			Poco::Int64 id = 0;
			if (mysql) s << "SELECT id FROM users WHERE id = ? FOR UPDATE", into(id), use(userId), now;
			s << "DELETE FROM verification_requests WHERE user_id = ? AND created_at <= ?", use(userId), use(hourAgo),
				now;
			int count = 0;
			Poco::Int64 oldest = 0;
			s << "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM verification_requests WHERE user_id = ?",
				into(count), into(oldest), use(userId), now;
			if (count >= _settings.maxRequestsPerHour) return oldest + 3600 * 1000LL;
			s << "INSERT INTO verification_requests (user_id, created_at) VALUES (?, ?)", use(userId), use(at), now;
			s << "DELETE FROM verification_codes WHERE user_id = ? AND channel = ?", use(userId), useRef(ch), now;
			s << "INSERT INTO verification_codes (user_id, channel, value, code_hash, expires_at, attempts_left, "
				 "created_at) "
				 "VALUES (?, ?, ?, ?, ?, ?, ?)",
				use(userId), useRef(ch), useRef(v), useRef(hash), use(expires), use(attempts), use(at), now;
			return 0;
		});
	if (retryAt)
	{
		PersonalSettingsError e(429, "too_many_requests", "too many verification codes requested; try again later");
		e.retryAfter = static_cast<int>(std::max<Poco::Int64>(1, (retryAt - at + 999) / 1000));
		throw e;
	}
	Poco::JSON::Object message;
	message.set("channel", channel == "email" ? "email" : "sms");
	message.set("to", value);
	message.set("template", "verification_code");
	Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
	params->set("code", code);
	message.set("params", params);
	std::ostringstream out;
	message.stringify(out);
	_notifications.enqueueOutbound("host", out.str());
}

void PersonalSettings::confirmBinding(Poco::Int64 userId, const std::string& channel, const std::string& code)
{
	checkChannel(channel);
	bool wellFormed = code.size() == 6 && code.find_first_not_of("0123456789") == std::string::npos;
	std::string hash = codeHash(userId, wellFormed ? code : std::string("x"));
	bool mysql = _db.dialect() == Database::Dialect::MySQL;
	Poco::Int64 at = Secrets::nowMs();
	std::string ch = channel;
	enum class Outcome
	{
		Bound,
		Wrong,
		Expired
	};
	int left = 0;
	Outcome outcome = _db.write(
		[&](Poco::Data::Session& s)
		{
			std::vector<std::string> values, hashes;
			std::vector<Poco::Int64> expiries;
			std::vector<int> attempts;
			s << std::string("SELECT value, code_hash, expires_at, attempts_left FROM verification_codes "
							 "WHERE user_id = ? AND channel = ?") +
					 (mysql ? " FOR UPDATE" : ""),
				into(values), into(hashes), into(expiries), into(attempts), use(userId), useRef(ch), now;
			if (values.empty()) return Outcome::Expired;
			if (expiries[0] <= at || attempts[0] <= 0)
			{
				s << "DELETE FROM verification_codes WHERE user_id = ? AND channel = ?", use(userId), useRef(ch), now;
				return Outcome::Expired;
			}
			if (wellFormed && Secrets::constantTimeEquals(hash, hashes[0]))
			{
				s << "DELETE FROM verification_codes WHERE user_id = ? AND channel = ?", use(userId), useRef(ch), now;
				if (ch == "email")
				{
					// members.find compares email_key (migration 005).
					std::string key = Directory::emailKey(values[0]);
					s << "UPDATE users SET email = ?, email_key = ? WHERE id = ?", useRef(values[0]), useRef(key),
						use(userId), now;
				}
				else
				{
					s << "UPDATE users SET mobile = ? WHERE id = ?", useRef(values[0]), use(userId), now;
				}
				return Outcome::Bound;
			}
			left = attempts[0] - 1;
			s << "UPDATE verification_codes SET attempts_left = ? WHERE user_id = ? AND channel = ?", use(left),
				use(userId), useRef(ch), now;
			return Outcome::Wrong;
		});
	if (outcome == Outcome::Expired)
		throw PersonalSettingsError(
			410, "code_expired",
			"there is no valid code: it expired, was used or had too many wrong tries; ask for a new one", "code");
	if (outcome == Outcome::Wrong)
	{
		PersonalSettingsError e(400, "code_invalid", "the code is wrong", "code");
		e.attemptsLeft = left;
		throw e;
	}
}

} // namespace RefHost
