#pragma once

#include "store/AuditEntry.h"
#include <Poco/Data/Session.h>

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
};

} // namespace ExternalContacts
