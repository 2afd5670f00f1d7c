#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct AccountApplication
/// An application to open a login account for an external contact (R3):
/// submitted by a member who may edit the contact, decided once by an
/// approver (R3.3).
{
	enum class Status
	{
		Pending,
		Approved,
		Rejected
	};

	static constexpr std::size_t REMARK_MAX_CHARS = 500;
	static constexpr std::size_t REASON_MAX_CHARS = 500;

	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0;
	Poco::Int64 contactId = 0;
	Poco::Int64 applicantId = 0;
	std::string remark;
	Status status = Status::Pending;
	Poco::Int64 submittedAt = 0; /// ms since the epoch
	std::optional<Poco::Int64> decidedBy;
	std::optional<Poco::Int64> decidedAt;
	std::optional<std::string> comment; /// the reason of a rejection

	static std::string statusName(Status status);
	/// "pending", "approved" or "rejected".

	static std::optional<Status> parseStatus(const std::string& name);
};

} // namespace ExternalContacts
