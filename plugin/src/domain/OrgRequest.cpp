#include "domain/OrgRequest.h"

namespace ExternalContacts
{

OrgRequest::Status OrgRequest::statusAt(Poco::Int64 nowMs) const
{
	if (status == Status::Pending && nowMs >= expiresAt) return Status::Expired;
	return status;
}

const char* OrgRequest::statusName(Status status)
{
	switch (status)
	{
	case Status::Pending:
		return "pending";
	case Status::Accepted:
		return "accepted";
	case Status::Declined:
		return "declined";
	case Status::Cancelled:
		return "cancelled";
	case Status::Expired:
		return "expired";
	}
	return "expired";
}

std::optional<OrgRequest::Status> OrgRequest::parseStatus(const std::string& name)
{
	for (Status s : {Status::Pending, Status::Accepted, Status::Declined, Status::Cancelled, Status::Expired})
		if (name == statusName(s)) return s;
	return std::nullopt;
}

} // namespace ExternalContacts
