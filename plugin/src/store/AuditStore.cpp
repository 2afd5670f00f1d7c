#include "store/AuditStore.h"

#include "store/SqlValue.h"
#include <limits>

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

std::vector<AuditEntry> AuditStore::forContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
												 Poco::Int64 beforeId, std::size_t limit)
{
	Poco::Int64 before = beforeId > 0 ? beforeId : std::numeric_limits<Poco::Int64>::max();
	Poco::Int64 rows = static_cast<Poco::Int64>(limit);
	std::vector<Poco::Int64> ids, actors, ats;
	std::vector<std::string> actions, addrs;
	std::vector<Poco::Nullable<std::string>> befores, afters;
	session << "SELECT id, actor_id, action, at, remote_addr, before_json, after_json FROM ec_audit"
			   " WHERE org_id = ? AND contact_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
		useRef(orgId), useRef(contactId), use(before), use(rows), into(ids), into(actors), into(actions), into(ats),
		into(addrs), into(befores), into(afters), now;
	std::vector<AuditEntry> entries(ids.size());
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		AuditEntry& e = entries[i];
		e.id = ids[i];
		e.orgId = orgId;
		e.contactId = contactId;
		e.actorId = actors[i];
		e.action = actions[i];
		e.at = ats[i];
		e.remoteAddr = addrs[i];
		if (!befores[i].isNull()) e.beforeJson = befores[i].value();
		if (!afters[i].isNull()) e.afterJson = afters[i].value();
	}
	return entries;
}

} // namespace ExternalContacts
