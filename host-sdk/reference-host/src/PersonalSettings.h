#pragma once

#include "Database.h"
#include "Directory.h"
#include "NotificationCenter.h"
#include "PasswordPolicy.h"
#include "SessionManager.h"
#include <optional>
#include <string>

namespace RefHost
{

class PersonalSettingsError : public HttpError
/// A request the user can correct (or must wait for): what() is an
/// English message, status 400 | 410 | 429, code the stable error code
/// (validation_failed | invalid_credentials | password_<code> |
/// code_invalid | code_expired | too_many_requests), field the JSON field;
/// retryAfter for too_many_requests.
{
public:
	using HttpError::HttpError;

	void describe(Poco::JSON::Object& error) const override
	/// code_invalid also says attemptsLeft.
	{
		if (attemptsLeft >= 0) error.set("attemptsLeft", attemptsLeft);
	}

	int attemptsLeft = -1; /// code_invalid: tries left for this code
};

class PersonalSettings
/// What every logged-in user may change about themselves (R7.3): the
/// profile (display name, title), the password (the current one is
/// checked, the new one by the PasswordPolicy; every other session of
/// the user ends), and the email address or mobile number, bound by a
/// 6-digit code sent through the outbound channel (outbox). Codes come
/// from the CSPRNG without modulo bias, are stored as SHA-256 over
/// "<userId>:<code>", expire after 10 minutes, allow 5 tries and are
/// single use; a new request replaces the pending code of that channel.
/// At most 5 requests per user and hour. Codes are never logged.
/// Thread-safe; all state is in the database.
{
public:
	struct Settings
	{
		int codeTtlSeconds = 600;
		int attempts = 5;
		int maxRequestsPerHour = 5;
	};

	PersonalSettings(Database& db, Directory& directory, SessionManager& sessions, NotificationCenter& notifications,
					 const PasswordPolicy& policy, const Settings& settings);
	PersonalSettings(Database& db, Directory& directory, SessionManager& sessions, NotificationCenter& notifications,
					 const PasswordPolicy& policy);

	void updateProfile(Poco::Int64 userId, const std::string& displayName, const std::string& title,
					   std::optional<bool> discoverable = std::nullopt);
	/// displayName is trimmed and must be 1..100 characters, title (trimmed)
	/// 0..100; PersonalSettingsError 400 naming the field otherwise.
	/// discoverable, when given, sets whether members of other orgs may
	/// find the user by name, mobile or email (members.find).

	void changePassword(Poco::Int64 userId, const std::string& currentSessionIdHash, const std::string& currentPassword,
						const std::string& newPassword);
	/// 400 invalid_credentials (currentPassword) for a wrong current
	/// password (the hash is always checked), 429 too_many_requests with
	/// retryAfter past maxFailuresPerLogin wrong ones per user and window
	/// (SessionManager::checkCurrentPassword), 400 password_<code>
	/// (newPassword) when the policy refuses the new one. Ends every
	/// session of the user but currentSessionIdHash.

	void requestBinding(Poco::Int64 userId, const std::string& channel, const std::string& value);
	/// channel "email" or "mobile"; value an email address (≤ 254) or a
	/// number (+?digits, 6..20 digits). 400 naming channel / value,
	/// 429 with retryAfter past the hourly limit.

	void confirmBinding(Poco::Int64 userId, const std::string& channel, const std::string& code);
	/// Sets the user's email / mobile to the pending value. 400
	/// code_invalid with attemptsLeft on a wrong code, 410 code_expired
	/// when there is no pending code, it expired or has no tries left.

	static std::string newCode();
	/// Six decimal digits, uniformly distributed (rejection sampling).

	static std::string codeHash(Poco::Int64 userId, const std::string& code);

	static bool validEmail(const std::string& value);
	static bool validMobile(const std::string& value);

private:
	Database& _db;
	Directory& _directory;
	SessionManager& _sessions;
	NotificationCenter& _notifications;
	const PasswordPolicy& _policy;
	Settings _settings;
};

} // namespace RefHost
