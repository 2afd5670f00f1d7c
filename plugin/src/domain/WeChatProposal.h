#pragma once

#include "domain/Contact.h"
#include "domain/Exceptions.h"
#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct WeChatProposal
/// A WeChat identity a visitor of an invitation offered for a contact the
/// inviter already had (security review, issue 14, finding 3): it is bound
/// only when someone who may edit the contact confirms it (确认绑定);
/// 忽略 drops it; it lapses after TTL_MS; a newer one replaces it.
{
	static constexpr Poco::Int64 TTL_MS = 7 * 24 * 3600 * 1000LL;

	enum class Status
	{
		Pending,
		Confirmed,
		Ignored,
		Replaced,
		Expired /// pending past expiresAt (stored once a newer one replaces it)
	};

	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0;
	Poco::Int64 contactId = 0;
	Poco::Int64 invitationId = 0;
	Poco::Int64 inviterId = 0;
	WeChatIdentity wechat; /// boundAt: when it was proposed
	Poco::Int64 expiresAt = 0;
	Status status = Status::Pending;
	std::optional<Poco::Int64> decidedAt;
	std::optional<Poco::Int64> decidedBy;

	Status statusAt(Poco::Int64 nowMs) const
	/// The stored status, or Expired for a pending one past expiresAt.
	{
		if (status == Status::Pending && expiresAt <= nowMs) return Status::Expired;
		return status;
	}

	static const char* statusName(Status status)
	{
		switch (status)
		{
		case Status::Pending:
			return "pending";
		case Status::Confirmed:
			return "confirmed";
		case Status::Ignored:
			return "ignored";
		case Status::Replaced:
			return "replaced";
		case Status::Expired:
			return "expired";
		}
		return "pending";
	}

	static Status statusOf(const std::string& name)
	{
		for (Status s : {Status::Confirmed, Status::Ignored, Status::Replaced, Status::Expired})
			if (name == statusName(s)) return s;
		return Status::Pending;
	}
};

class WeChatProposalSettledException : public ContactsException
/// The proposal is no longer pending: decided, replaced or expired (409
/// with its status).
{
public:
	explicit WeChatProposalSettledException(WeChatProposal::Status status) :
		ContactsException(Outcome::Conflict, "proposal_settled",
						  std::string("the proposal is already ") + WeChatProposal::statusName(status)),
		status(status)
	{
	}
	WeChatProposal::Status status;
};

} // namespace ExternalContacts
