#include "store/AuditStore.h"

#include "store/SqlValue.h"

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

void AuditStore::append(Poco::Data::Session& session, const AuditEntry& entry)
{
	Poco::Nullable<Poco::Int64> contactId = SqlValue::nullable(entry.contactId);
	std::string remoteAddr = entry.remoteAddr.substr(0, REMOTE_ADDR_MAX);
	Poco::Nullable<std::string> before = SqlValue::nullable(entry.beforeJson);
	Poco::Nullable<std::string> after = SqlValue::nullable(entry.afterJson);
	session << "INSERT INTO ec_audit (org_id, contact_id, actor_id, action, at, remote_addr, before_json, after_json)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		useRef(entry.orgId), use(contactId), useRef(entry.actorId), useRef(entry.action), useRef(entry.at),
		use(remoteAddr), use(before), use(after), now;
}

} // namespace ExternalContacts
