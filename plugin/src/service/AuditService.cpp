#include "service/AuditService.h"

#include "domain/Exceptions.h"
#include "domain/TimeCursor.h"
#include "domain/ValidationError.h"
#include <Poco/RegularExpression.h>
#include <map>
#include <set>

namespace ExternalContacts
{

AuditService::AuditService(ServiceContext& context) : _context(context) {}

void AuditService::requireReader(const Actor& actor, const AuditFilter& filter) const
{
	if (actor.kind != Actor::Kind::Member || !actor.isAdmin)
		throw AccessDeniedException("only admins may read the organization's audit log");
	if (filter.action)
	{
		static const Poco::RegularExpression shape("^[a-z][a-z_]*\\.[a-z_]+$");
		if (filter.action->size() > ACTION_MAX || !shape.match(*filter.action))
			throw ValidationError::failed("action", "action must look like contact.update (lowercase letters, a dot, "
													"letters or _)");
	}
	if (filter.from && filter.to && *filter.to <= *filter.from)
		throw ValidationError::failed("to", "to must be after from");
}

std::string AuditService::encodeCursor(const AuditKey& key)
{
	return TimeCursor{key.at, key.id}.encode();
}

AuditKey AuditService::decodeCursor(const std::string& cursor)
{
	TimeCursor position = TimeCursor::decode(cursor, "cursor is not one this log handed out");
	return {position.at, position.id};
}

AuditService::Page AuditService::page(const Actor& actor, const AuditFilter& filter, const std::string& cursor,
									  std::size_t limit)
{
	requireReader(actor, filter);
	if (limit < 1 || limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	std::optional<AuditKey> after;
	if (!cursor.empty()) after = decodeCursor(cursor);
	Page page;
	page.items = fetch(actor, filter, after, limit + 1);
	if (page.items.size() > limit)
	{
		page.items.resize(limit);
		const AuditEntry& last = page.items.back().row.entry;
		page.nextCursor = encodeCursor({last.at, last.id});
	}
	return page;
}

std::vector<AuditService::Item> AuditService::fetch(const Actor& actor, const AuditFilter& filter,
													const std::optional<AuditKey>& after, std::size_t limit)
{
	std::vector<AuditStore::Row> rows;
	{
		Poco::Data::Session s = _context.database.session();
		rows = _context.audit.search(s, actor.orgId, filter, after, limit);
	}
	// The actors' names in one directory call per batch (0 is the system).
	std::set<Poco::Int64> ids;
	for (const AuditStore::Row& row : rows)
		if (row.entry.actorId > 0) ids.insert(row.entry.actorId);
	std::map<Poco::Int64, ContactView::Person> named;
	if (!ids.empty())
		for (const ContactView::Person& p : _context.people(std::vector<Poco::Int64>(ids.begin(), ids.end())))
			named[p.id] = p;
	std::vector<Item> items;
	items.reserve(rows.size());
	for (AuditStore::Row& row : rows)
	{
		Item item;
		item.actor.id = row.entry.actorId;
		auto it = named.find(row.entry.actorId);
		if (it != named.end()) item.actor = it->second;
		item.row = std::move(row);
		items.push_back(std::move(item));
	}
	return items;
}

} // namespace ExternalContacts
