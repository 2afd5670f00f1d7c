#include "service/HistoryService.h"

#include "domain/ValidationError.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <set>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

// The member ids a snapshot names: "addedBy" and the lists "visibleMembers",
// "shares" and "members". Anything else (or text that is not JSON) adds none.
void collectMembers(const std::string& json, std::set<Poco::Int64>& ids)
{
	Poco::JSON::Object::Ptr object;
	try
	{
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var parsed = parser.parse(json);
		if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return;
		object = parsed.extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
		return;
	}
	Poco::Dynamic::Var adder = object->get("addedBy");
	if (adder.isInteger()) ids.insert(adder.convert<Poco::Int64>());
	for (const char* key : {"visibleMembers", "shares", "members"})
	{
		Poco::JSON::Array::Ptr list = object->getArray(key);
		for (std::size_t i = 0; list && i < list->size(); ++i)
		{
			Poco::Dynamic::Var id = list->get(static_cast<unsigned>(i));
			if (id.isInteger()) ids.insert(id.convert<Poco::Int64>());
		}
	}
}

} // namespace

HistoryService::HistoryService(ServiceContext& context) : _context(context) {}

HistoryService::Page HistoryService::history(const Actor& actor, Poco::Int64 contactId, Poco::Int64 beforeId,
											 std::size_t limit)
{
	if (limit < 1 || limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	std::vector<AuditEntry> rows;
	{
		Poco::Data::Session s = _context.database.session();
		_context.access.requireEditable(s, actor, contactId);
		rows = _context.audit.forContact(s, actor.orgId, contactId, beforeId, limit + 1);
	}
	Page page;
	if (rows.size() > limit)
	{
		rows.resize(limit);
		page.nextBeforeId = rows.back().id;
	}
	std::vector<Poco::Int64> actorIds;
	for (const AuditEntry& e : rows)
		actorIds.push_back(e.actorId);
	// Actors and the members the snapshots name, in one directory call: a
	// member who left (a hand-over's "from") still has a name.
	std::set<Poco::Int64> named;
	for (const AuditEntry& e : rows)
		for (const std::optional<std::string>* json : {&e.beforeJson, &e.afterJson})
			if (*json) collectMembers(**json, named);
	// One users.get call takes at most 1000 ids; the rest stay "#id".
	constexpr std::size_t NAMED_MAX = 800;
	std::vector<Poco::Int64> everyone = actorIds;
	for (Poco::Int64 id : named)
		if (everyone.size() < actorIds.size() + NAMED_MAX) everyone.push_back(id);
	std::vector<ContactView::Person> people = _context.people(everyone);
	for (std::size_t i = 0; i < rows.size(); ++i)
		page.items.push_back({std::move(rows[i]), people[i]});
	page.people.assign(people.begin() + static_cast<std::ptrdiff_t>(actorIds.size()), people.end());
	return page;
}

} // namespace ExternalContacts
