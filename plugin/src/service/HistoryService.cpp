#include "service/HistoryService.h"

#include "domain/ValidationError.h"

namespace ExternalContacts
{

HistoryService::HistoryService(ContactService& contacts) : _contacts(contacts) {}

HistoryService::Page HistoryService::history(const Actor& actor, Poco::Int64 contactId, Poco::Int64 beforeId,
											 std::size_t limit)
{
	if (limit < 1 || limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	std::vector<AuditEntry> rows;
	{
		Poco::Data::Session s = _contacts.database().session();
		_contacts.access().requireEditable(s, actor, contactId);
		rows = _contacts.audit().forContact(s, actor.orgId, contactId, beforeId, limit + 1);
	}
	Page page;
	if (rows.size() > limit)
	{
		rows.resize(limit);
		page.nextBeforeId = rows.back().id;
	}
	std::vector<Poco::Int64> actorIds;
	for (const AuditEntry& e : rows) actorIds.push_back(e.actorId);
	std::vector<ContactView::Person> actors = _contacts.people(actorIds);
	for (std::size_t i = 0; i < rows.size(); ++i) page.items.push_back({std::move(rows[i]), actors[i]});
	return page;
}

} // namespace ExternalContacts
