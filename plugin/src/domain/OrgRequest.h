#pragma once

#include "domain/Exceptions.h"
#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct OrgRequest
/// A member's request to add a member of another organization as an
/// external contact (R5.2-R5.5): pending until the person accepts or
/// declines, the requester cancels, or 14 days pass.
{
	static constexpr Poco::Int64 TTL_MS = 14 * 24 * 3600 * 1000LL;

	enum class Status
	{
		Pending,
		Accepted,
		Declined,
		Cancelled,
		Expired /// pending past expiresAt (stored once a new request replaces it)
	};

	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0; /// the requester's org
	Poco::Int64 requesterId = 0;
	Poco::Int64 targetUserId = 0;
	Poco::Int64 targetOrgId = 0; /// where the person was found
	std::string targetName;
	std::string targetOrgName;
	Status status = Status::Pending;
	Poco::Int64 createdAt = 0;
	Poco::Int64 expiresAt = 0;
	std::optional<Poco::Int64> decidedAt;
	std::optional<Poco::Int64> contactId; /// the contact an acceptance made

	Status statusAt(Poco::Int64 nowMs) const;
	/// status, or Expired for a pending request at or after expiresAt.

	static const char* statusName(Status status);
	/// "pending", "accepted", "declined", "cancelled", "expired".

	static std::optional<Status> parseStatus(const std::string& name);
	/// The status named name.
};

class OrgRequestNotFoundException : public ContactsException
/// No such request, or not the caller's to see (NotFound, "not_found").
{
public:
	explicit OrgRequestNotFoundException(const std::string& message) :
		ContactsException(Outcome::NotFound, "not_found", message)
	{
	}
};

class OrgRequestSettledException : public ContactsException
/// The request is no longer pending (answers 409 with its status).
{
public:
	explicit OrgRequestSettledException(OrgRequest::Status status) :
		ContactsException(Outcome::Conflict, "request_settled",
						  std::string("the request is already ") + OrgRequest::statusName(status)),
		status(status)
	{
	}
	OrgRequest::Status status;
};

class OrgRequestPendingException : public ContactsException
/// The requester already has a pending request to the person (409).
{
public:
	explicit OrgRequestPendingException(Poco::Int64 pendingId) :
		ContactsException(Outcome::Conflict, "request_pending",
						  "you already asked this person; the request is pending"),
		pendingId(pendingId)
	{
	}
	Poco::Int64 pendingId;
};

class AlreadyContactException : public ContactsException
/// The person already is an external contact of the requester's org (409).
{
public:
	explicit AlreadyContactException(std::optional<Poco::Int64> visibleContactId) :
		ContactsException(Outcome::Conflict, "already_contact",
						  "this person already is an external contact of your organization"),
		visibleContactId(visibleContactId)
	{
	}
	std::optional<Poco::Int64> visibleContactId; /// when the requester may see it
};

} // namespace ExternalContacts
