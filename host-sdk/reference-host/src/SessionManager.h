#pragma once

#include "Database.h"
#include "Directory.h"
#include <Poco/Exception.h>
#include <optional>
#include <string>

namespace RefHost {

struct SessionInfo
{
	std::string idHash; // SHA-256 of the cookie value; the value itself is never stored
	Poco::Int64 userId = 0;
	Poco::Int64 orgId = 0;
	std::string csrfToken;
	Poco::Int64 createdAt = 0;
	Poco::Int64 lastSeenAt = 0;
	Poco::Int64 expiresAt = 0;
};

class LoginThrottledException: public Poco::Exception
	/// Too many failed logins; retryAfterSeconds says when to try again.
{
public:
	explicit LoginThrottledException(int retryAfterSeconds):
		Poco::Exception("too many failed logins"),
		_retryAfter(retryAfterSeconds)
	{
	}
	int retryAfterSeconds() const
	{
		return _retryAfter;
	}

private:
	int _retryAfter;
};

class SessionManager
	/// Logins, sessions stored in the database (so several host nodes share
	/// them), idle and absolute timeouts, CSRF tokens and login throttling.
{
public:
	struct Settings
	{
		int idleSeconds = 1800;
		int absoluteSeconds = 12 * 3600;
		int maxFailuresPerLogin = 5;
		int maxFailuresPerAddress = 20;
		int failureWindowSeconds = 900;
	};

	SessionManager(Database& db, Directory& directory, const Settings& settings);

	struct LoginResult
	{
		std::string token; // the cookie value; shown once, to the client
		SessionInfo session;
	};

	std::optional<LoginResult> login(const std::string& login, const std::string& password,
		const std::string& remoteAddr);
		/// A new session (new id) on success, nullopt for wrong credentials,
		/// a disabled or pending account, or a user without any org.
		/// Every attempt is counted against the login and the address before
		/// the password is checked (so parallel guesses cannot overrun the
		/// limit) and given back on success. Throws LoginThrottledException
		/// when either is at its limit.

	std::optional<SessionInfo> authenticate(const std::string& token);
		/// The live session for a cookie value; expired ones are deleted.

	void logout(const std::string& token);

	bool switchOrg(const std::string& idHash, Poco::Int64 userId, Poco::Int64 orgId);
		/// False when the user has no membership in orgId.

	int endSessionsOfUser(Poco::Int64 userId, const std::string& exceptIdHash = "");

	const Settings& settings() const
	{
		return _settings;
	}

private:
	int reserveAttempt(const std::string& key, int maxFailures, Poco::Int64 at);
		/// Counts one attempt against key unless its window is full; 0 when
		/// reserved, else the seconds until the window ends. Atomic per key.
	void releaseAttempt(const std::string& key);
	void resetAttempts(const std::string& key);

	Database& _db;
	Directory& _directory;
	Settings _settings;
};

} // namespace RefHost
