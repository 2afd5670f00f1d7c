#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct AuditEntry
/// One change, as the audit log keeps it (R10): who, what, when, from
/// where, before and after. The JSON snapshots never hold secrets.
{
	Poco::Int64 id = 0; /// assigned by the database; 0 before it is stored
	Poco::Int64 orgId = 0;
	std::optional<Poco::Int64> contactId;
	Poco::Int64 actorId = 0;
	std::string action; /// e.g. "contact.create"
	Poco::Int64 at = 0; /// ms since the epoch
	std::string remoteAddr;
	std::optional<std::string> beforeJson;
	std::optional<std::string> afterJson;
};

} // namespace ExternalContacts
