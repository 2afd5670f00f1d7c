#pragma once

#include "store/AuditEntry.h"
#include <Poco/Data/Session.h>
#include <vector>

namespace ExternalContacts
{

class AuditStore
/// The append-only audit log (ec_audit).
{
public:
	static constexpr std::size_t REMOTE_ADDR_MAX = 64;

	void append(Poco::Data::Session& session, const AuditEntry& entry);
	/// Adds entry in the session's transaction. A longer remote address
	/// is cut to REMOTE_ADDR_MAX bytes.

	std::vector<AuditEntry> forContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
									   Poco::Int64 beforeId, std::size_t limit);
	/// The contact's entries with id < beforeId (0: from the newest),
	/// newest first, at most limit; served by ix_ec_audit_contact.
};

} // namespace ExternalContacts
