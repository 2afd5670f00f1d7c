#pragma once

#include "domain/AccountApplication.h"
#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct ApplicationFilter
/// What the back-office log (R3.6) shows: every filter is optional.
{
	std::optional<AccountApplication::Status> status;
	std::optional<Poco::Int64> from;        /// submitted at or after (ms since the epoch)
	std::optional<Poco::Int64> to;          /// submitted before (ms since the epoch)
	std::optional<Poco::Int64> applicantId; /// submitted by this member
	std::string keyword;                    /// in the contact's name or the remark (case-insensitive for ASCII)
};

struct ApplicationLogKey
/// Where a page of the log starts: after this entry, newest first.
{
	Poco::Int64 submittedAt = 0;
	Poco::Int64 id = 0;
};

} // namespace ExternalContacts
