#include "service/HolderChange.h"

#include "service/CompactJson.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <algorithm>
#include <map>

namespace ExternalContacts
{

HolderChange::HolderChange(ServiceContext& context) : _context(context), _store(context.database.dialect()) {}

std::string HolderChange::holderJson(Poco::Int64 addedBy, const std::vector<Poco::Int64>& visibleMembers)
{
	Poco::JSON::Object object;
	object.set("addedBy", addedBy);
	Poco::JSON::Array ids;
	for (Poco::Int64 id : visibleMembers)
		ids.add(id);
	object.set("visibleMembers", ids);
	return compactJson(object);
}

std::vector<Poco::Int64> HolderChange::move(Poco::Data::Session& session, const Actor& actor,
											const std::vector<Poco::Int64>& contactIds, Poco::Int64 from,
											Poco::Int64 to, const std::string& action, Poco::Int64 at,
											const std::string& remoteAddr)
{
	std::vector<Poco::Int64> moved = _store.lockHeld(session, contactIds, from);
	if (moved.empty()) return moved;
	std::map<Poco::Int64, std::vector<Poco::Int64>> visible = _store.visibleMembers(session, moved);
	// `to` takes `from`'s place on the visible-members list (once).
	std::vector<Poco::Int64> hadFrom, addTo;
	std::map<Poco::Int64, std::vector<Poco::Int64>> after;
	for (Poco::Int64 id : moved)
	{
		std::vector<Poco::Int64>& members = visible[id];
		std::vector<Poco::Int64> next = members;
		bool has = std::find(next.begin(), next.end(), from) != next.end();
		bool hasTo = std::find(next.begin(), next.end(), to) != next.end();
		if (has)
		{
			hadFrom.push_back(id);
			next.erase(std::remove(next.begin(), next.end(), from), next.end());
			if (!hasTo)
			{
				addTo.push_back(id);
				next.insert(std::upper_bound(next.begin(), next.end(), to), to);
			}
		}
		after[id] = std::move(next);
	}
	_store.reassign(session, moved, from, to, at);
	_store.replaceVisible(session, hadFrom, from, addTo, to);
	for (Poco::Int64 id : moved)
	{
		AuditEntry entry = AuditEntry::of(actor.orgId, id, actor.userId, action, at, remoteAddr);
		entry.beforeJson = holderJson(from, visible[id]);
		entry.afterJson = holderJson(to, after[id]);
		_context.audit.append(session, entry);
	}
	return moved;
}

} // namespace ExternalContacts
