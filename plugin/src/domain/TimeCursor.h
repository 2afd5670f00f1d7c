#pragma once

#include <Poco/Types.h>
#include <string>

namespace ExternalContacts
{

struct TimeCursor
/// The `cursor` of logs listed newest first by (time, id) — the account
/// applications (R3.6) and the audit log (R10): "<ms>.<id>", plain
/// digits, no leading zeros, so that one position has one spelling.
{
	Poco::Int64 at = 0;
	Poco::Int64 id = 0;

	std::string encode() const;

	static TimeCursor decode(const std::string& cursor, const std::string& message);
	/// The position a cursor made by encode() holds. Throws ValidationError
	/// ("validation_failed", field "cursor", message) for anything else.
};

} // namespace ExternalContacts
