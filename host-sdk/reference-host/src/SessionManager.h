#pragma once

#include "Database.h"
#include "Directory.h"
#include "HttpError.h"
#include <optional>
#include <string>

namespace RefHost
{

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

class LoginThrottledException : public HttpError
/// Too many failed logins (429 too_many_requests, with Retry-After);
/// retryAfterSeconds says when to try again.
{
public:
	explicit LoginThrottledException(int retryAfterSeconds) :
		HttpError(429, "too_many_requests", "too many failed logins; try again later")
	{
		retryAfter = retryAfterSeconds;
	}
	int retryAfterSeconds() const
	{
		return retryAfter;
	}
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
		int maxFailuresPerLogin = 5;    // wrong passwords per login from one address per window
		int maxFailuresPerAddress = 20; // attempts per address per window, any login
		int failureWindowSeconds = 900;
		int backoffAfterFailures = 10; // wrong passwords per login, all addresses, before the back-off
		int backoffBaseSeconds = 1;    // the back-off's first step; it doubles with every further failure
		int backoffMaxSeconds = 900;
		int backoffResetSeconds = 86400; // quiet time (no failure) after which the back-off starts over; >= 2 x max
		int knownAddressSeconds = 30 * 86400; // an address a login succeeded from skips the back-off this long
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
	/// Every attempt is counted against the pair (login, address), the
	/// address and - unless the login succeeded from this address lately -
	/// the login's back-off, before the password is checked (so parallel
	/// guesses cannot overrun a limit), and given back on success. Throws
	/// LoginThrottledException when one of them refuses; then the password
	/// is not checked at all (README, "Login throttling").

	bool checkCurrentPassword(Poco::Int64 userId, const std::string& passwordHash, const std::string& password);
	/// The current password of a logged-in user (changing it): at most
	/// maxFailuresPerLogin wrong ones per user and window, then
	/// LoginThrottledException, for the right one too, so a stolen
	/// session cannot keep guessing. A success clears the count.

	struct SignedIn
	/// A live session with its user and the membership in its org.
	{
		SessionInfo session;
		User user;
		Membership membership;
		std::vector<std::string> permissions; ///< granted explicitly in the session's org (admins hold all anyway)
	};

	std::optional<SignedIn> signedIn(const std::string& token);
	/// The live session for a cookie value with its user and membership,
	/// read by one statement (the check every signed-in request makes);
	/// nullopt when there is none, or when it expired, went idle, or its
	/// user is no longer active or no longer a member of its org: then it
	/// is deleted. Nothing is cached, so a session ended on one node is
	/// refused by every node at the next request.

	std::optional<SessionInfo> authenticate(const std::string& token);
	/// signedIn(token)'s session alone.

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
	int reserveCheck(const std::string& countKey, const std::string& nextKey, Poco::Int64 at);
	/// The login's back-off over all addresses: 0 when this guess may be
	/// checked (counted), else the seconds until the next step.
	bool knownAddress(const std::string& key, Poco::Int64 at);
	void rememberAddress(const std::string& key, Poco::Int64 at);
	void ensureThrottleRow(Poco::Data::Session& s, const std::string& key, Poco::Int64 windowStart);
	/// Inserts key's login_throttle row (no failures, windowStart) unless it exists.
	void restartQuietCount(Poco::Data::Session& s, const std::string& countKey, Poco::Int64 at);
	/// The back-off's quiet-time rule: a count whose last failure is at
	/// least backoffResetSeconds before at starts over from 0.

	Database& _db;
	Directory& _directory;
	Settings _settings;
};

} // namespace RefHost
