#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct AuditFilter
/// What the back office's org-wide audit page (R10) shows: every filter
/// is optional and they combine with AND.
{
	std::optional<Poco::Int64> actorId;   /// changes by this user (0: the system)
	std::optional<std::string> action;    /// one action, e.g. "contact.update"
	std::optional<Poco::Int64> contactId; /// changes of this contact, deleted or not
	std::optional<Poco::Int64> from;      /// at or after (ms since the epoch)
	std::optional<Poco::Int64> to;        /// before (ms since the epoch)
};

struct AuditKey
/// Where a page of the audit log starts: after this entry, newest first.
{
	Poco::Int64 at = 0;
	Poco::Int64 id = 0;
};

} // namespace ExternalContacts
