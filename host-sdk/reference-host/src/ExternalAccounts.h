#pragma once

#include "Database.h"
#include "Directory.h"
#include "PasswordPolicy.h"
#include "SessionManager.h"
#include <string>

namespace RefHost
{

class ActivationLinkException : public HttpError
/// The activation link is unknown or was tampered with (404
/// activation_link_invalid, field token); detail says which.
{
public:
	explicit ActivationLinkException(const std::string& detail) :
		HttpError(404, "activation_link_invalid", "this activation link is not valid", "token"), detail(detail)
	{
	}
	std::string detail;
};

class ActivationExpiredException : public HttpError
/// The activation link was used, replaced by a newer one, or expired (410
/// activation_link_expired, field token); detail says which.
{
public:
	explicit ActivationExpiredException(const std::string& detail) :
		HttpError(410, "activation_link_expired",
				  "this activation link was used, replaced or has expired; ask for a new one", "token"),
		detail(detail)
	{
	}
	std::string detail;
};

class PasswordRejectedException : public HttpError
/// The new password breaks a PasswordPolicy rule (400 password_<rule>,
/// field password): what() says which.
{
public:
	explicit PasswordRejectedException(const PasswordPolicy::Problem& problem) :
		HttpError(400, "password_" + problem.code, problem.message, "password")
	{
	}
};

class ExternalAccounts
/// Accounts of external users as plugins manage them through the SDK
/// (R3.4, R6.4), and their activation: a pending account gets a
/// one-time link (256-bit token from the CSPRNG, SHA-256 at rest, 7 days
/// by default, single use, revoked by a newer one) with which its owner
/// chooses a password on the public page /#/activate/<token>. No
/// password is ever generated, shown or logged. Thread-safe.
{
public:
	struct Settings
	{
		int defaultTtlSeconds = 7 * 24 * 3600;
		std::string publicBaseUrl; // e.g. "https://im.example.com"; "" → links are paths only
	};

	struct Link
	{
		std::string token; // hand it to the person only: it is not stored
		std::string path;  // "/#/activate/<token>"
		std::string url;   // publicBaseUrl + path, or "" without publicBaseUrl
		Poco::Int64 expiresAt = 0;
	};

	struct Created
	{
		Poco::Int64 userId = 0;
		std::string login;
		Link link;
	};

	struct Pending
	{
		Poco::Int64 userId = 0;
		std::string login;
		std::string displayName;
		Poco::Int64 expiresAt = 0;
	};

	static constexpr int TTL_MIN_SECONDS = 3600;
	static constexpr int TTL_MAX_SECONDS = 30 * 24 * 3600;

	ExternalAccounts(Database& db, Directory& directory, SessionManager& sessions, const PasswordPolicy& policy,
					 Settings settings);

	Created createPending(Poco::Int64 orgId, const std::string& displayName, const std::string& loginHint,
						  int securityLevel, int ttlSeconds);
	/// A new user in state pending with an external membership of org
	/// at securityLevel (-999..0) and an activation link (ttlSeconds 0:
	/// the default). The login is loginHint normalized when it is a valid,
	/// free login, else with "-2", "-3", … appended, else "ext-" + 10 random
	/// digits. Poco::InvalidArgumentException for a bad name, level or ttl;
	/// Poco::NotFoundException for an unknown org.

	Link reset(Poco::Int64 userId, int ttlSeconds);
	/// Takes the password away (state pending), ends the user's sessions,
	/// revokes earlier links and issues a new one. Poco::NoPermissionException
	/// unless the user is only an external user (member of no org);
	/// Poco::IllegalStateException for a disabled account (enable it first).

	void setSecurityLevel(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel);
	/// Poco::NotFoundException unless userId is an external user of org.

	Pending check(const std::string& token);
	/// Who the link activates. Throws ActivationLinkException or
	/// ActivationExpiredException.

	void activate(const std::string& token, const std::string& password);
	/// Sets the password and makes the account active, once: of two
	/// concurrent calls with the same link exactly one succeeds. Throws as
	/// check(), or PasswordRejectedException (nothing used up).

	static bool plausibleToken(const std::string& token);
	/// 64 lower-case hex digits.

private:
	Link issue(Poco::Data::Session& s, Poco::Int64 userId, int ttlSeconds, bool revokeOld);
	/// A new link; revokeOld: the user's open links end (reset). A user
	/// created in the same transaction has none: then nothing is read,
	/// and no lock beyond the new row's is taken.
	int ttlOrDefault(int ttlSeconds) const;
	bool onlyExternal(Poco::Int64 userId);

	Database& _db;
	Directory& _directory;
	SessionManager& _sessions;
	const PasswordPolicy& _policy;
	Settings _settings;
};

} // namespace RefHost
