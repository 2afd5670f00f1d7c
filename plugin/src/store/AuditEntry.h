#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>
#include <utility>

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

	static AuditEntry of(Poco::Int64 orgId, std::optional<Poco::Int64> contactId, Poco::Int64 actorId,
						 std::string action, Poco::Int64 at, std::string remoteAddr)
	/// The entry of one change without its snapshots (contactId nothing for
	/// a change of no one contact: invitations, group maintainers …).
	{
		AuditEntry entry;
		entry.orgId = orgId;
		entry.contactId = contactId;
		entry.actorId = actorId;
		entry.action = std::move(action);
		entry.at = at;
		entry.remoteAddr = std::move(remoteAddr);
		return entry;
	}
};

} // namespace ExternalContacts
