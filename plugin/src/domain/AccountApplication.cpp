#include "domain/AccountApplication.h"

namespace ExternalContacts
{

std::string AccountApplication::statusName(Status status)
{
	switch (status)
	{
	case Status::Pending:
		return "pending";
	case Status::Approved:
		return "approved";
	case Status::Rejected:
		return "rejected";
	}
	return "pending";
}

std::optional<AccountApplication::Status> AccountApplication::parseStatus(const std::string& name)
{
	if (name == "pending") return Status::Pending;
	if (name == "approved") return Status::Approved;
	if (name == "rejected") return Status::Rejected;
	return std::nullopt;
}

} // namespace ExternalContacts
