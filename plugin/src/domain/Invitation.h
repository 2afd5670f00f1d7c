#pragma once

#include "domain/Exceptions.h"
#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct Invitation
/// A member's invitation link for WeChat friends (R4.1, R4.5). The token
/// itself is never kept: tokenHash is its hex SHA-256.
{
	static constexpr int TTL_HOURS_MIN = 1;
	static constexpr int TTL_HOURS_MAX = 30 * 24;
	static constexpr int TTL_HOURS_DEFAULT = 7 * 24;
	static constexpr int MAX_USES_MAX = 1000;

	enum class State
	{
		Active,
		Expired,
		Revoked,
		UsedUp
	};

	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0;
	Poco::Int64 createdBy = 0;
	std::string tokenHash;
	Poco::Int64 createdAt = 0;
	Poco::Int64 expiresAt = 0;
	int ttlHours = TTL_HOURS_DEFAULT;
	std::optional<int> maxUses; /// none: no limit
	int uses = 0;
	std::optional<Poco::Int64> revokedAt;
	std::optional<Poco::Int64> revokedBy;
	std::optional<Poco::Int64> lastUsedAt;

	State stateAt(Poco::Int64 nowMs) const;
	/// Revoked before used up before expired: the first that applies.

	static const char* stateName(State state);
	/// "active", "expired", "revoked", "used_up".
};

struct InvitationSettings
/// What a member chooses for a new link.
{
	int ttlHours = Invitation::TTL_HOURS_DEFAULT;
	std::optional<int> maxUses;
};

struct InviteForm
/// What a WeChat friend enters on the landing page (R4.3): name and mobile
/// required, company and title optional; trimmed.
{
	static constexpr std::size_t NAME_LENGTH_MAX = 100;
	static constexpr std::size_t COMPANY_LENGTH_MAX = 100;
	static constexpr std::size_t TITLE_LENGTH_MAX = 100;

	std::string name;
	std::string mobile;
	std::string company;
	std::string title;

	struct Problem
	{
		std::string field; /// name, mobile, company, title
		std::string kind;  /// required, too_long, invalid
	};

	std::vector<Problem> problems() const;
	/// Every rule the form breaks, in field order; empty when it is fine.
};

class InvitationGoneException : public ContactsException
/// The link exists but can no longer be used (Gone, "invitation_gone").
{
public:
	enum class Reason
	{
		Expired,
		Revoked,
		UsedUp,
		InviterLeft
	};

	explicit InvitationGoneException(Reason reason);

	Reason reason() const noexcept
	{
		return _reason;
	}

	static const char* reasonName(Reason reason);
	/// "expired", "revoked", "used_up", "inviter_left".

	static Reason reasonOf(Invitation::State state);
	/// The reason for a state other than Active.

private:
	Reason _reason;
};

class InvitationNotFoundException : public ContactsException
/// No such link, or not the caller's (NotFound, "not_found").
{
public:
	explicit InvitationNotFoundException(const std::string& message) :
		ContactsException(Outcome::NotFound, "not_found", message)
	{
	}
};

class RateLimitedException : public ContactsException
/// Too many requests of one kind (TooMany, with its code; answered with
/// Retry-After).
{
public:
	RateLimitedException(std::string code, const std::string& message, int retryAfterSeconds);

	int retryAfterSeconds() const noexcept
	{
		return _retryAfterSeconds;
	}

private:
	int _retryAfterSeconds;
};

} // namespace ExternalContacts
