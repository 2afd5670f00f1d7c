#include "http/ContactJson.h"

#include "domain/ContactSnapshot.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <sstream>

namespace ExternalContacts
{

namespace
{

Poco::JSON::Object::Ptr newObject()
{
	return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Object::Ptr person(const ContactView::Person& p)
{
	Poco::JSON::Object::Ptr out = newObject();
	out->set("id", p.id);
	out->set("displayName", p.displayName ? Poco::Dynamic::Var(*p.displayName) : Poco::Dynamic::Var());
	return out;
}

void writePerson(JsonWriter& out, const ContactView::Person& p)
{
	out.startObject().field("id", p.id).field("displayName", p.displayName).endObject();
}

} // namespace

void ContactJson::writeSummary(JsonWriter& out, const ContactView& view)
{
	out.startObject();
	ContactSnapshot::writeSummaryFields(out, view.contact);
	out.key("addedBy");
	writePerson(out, view.addedBy);
	out.endObject();
}

void ContactJson::writeDetail(JsonWriter& out, const ContactView& view)
{
	ContactSnapshot::writeSummaryFields(out, view.contact);
	out.key("addedBy");
	writePerson(out, view.addedBy);
	ContactSnapshot::writeDetailFields(out, view.contact);
	out.key("visibleMembers").startArray();
	for (const ContactView::Person& p : view.visibleMembers)
		writePerson(out, p);
	out.endArray();
	out.key("wechat");
	if (view.wechat)
		out.startObject()
			.field("bound", true)
			.field("nickname", view.wechat->nickname)
			.field("avatarUrl", view.wechat->avatarUrl)
			.field("boundAt", view.wechat->boundAt)
			.endObject();
	else
		out.null();
}

std::string ContactJson::detail(const ContactView& view)
{
	JsonWriter out;
	out.startObject();
	writeDetail(out, view);
	out.endObject();
	return out.take();
}

std::string ContactJson::card(const ContactView& view)
{
	JsonWriter out;
	out.startObject();
	writeDetail(out, view);
	out.key("permissions")
		.startObject()
		.field("edit", view.mayEdit)
		.field("delete", view.mayEdit)
		.field("share", view.mayEdit)
		.field("history", view.mayEdit)
		.endObject();
	out.endObject();
	return out.take();
}

Poco::JSON::Object::Ptr ContactJson::detailObject(const ContactView& view)
{
	// Keys in the order written, as every other answer.
	Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
	return parser.parse(detail(view)).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr ContactJson::permissions(const ContactView& view)
{
	Poco::JSON::Array::Ptr members = new Poco::JSON::Array;
	for (const ContactView::Person& p : view.visibleMembers)
		members->add(person(p));
	Poco::JSON::Object::Ptr out = newObject();
	out->set("visibleMembers", members);
	out->set("securityLevel", view.contact.securityLevel);
	out->set("version", view.contact.version);
	return out;
}

Poco::JSON::Object::Ptr ContactJson::members(const std::vector<ContactView::Person>& people)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const ContactView::Person& p : people)
		items->add(person(p));
	Poco::JSON::Object::Ptr out = newObject();
	out->set("members", items);
	return out;
}

Poco::JSON::Object::Ptr ContactJson::groupMaintainers(const GroupMaintainerService::Entry& entry)
{
	Poco::JSON::Array::Ptr maintainers = new Poco::JSON::Array;
	for (const ContactView::Person& p : entry.maintainers)
		maintainers->add(person(p));
	Poco::JSON::Object::Ptr out = newObject();
	out->set("group", entry.group ? Poco::Dynamic::Var(*entry.group) : Poco::Dynamic::Var());
	out->set("maintainers", maintainers);
	return out;
}

Poco::JSON::Object::Ptr ContactJson::groupMaintainers(const GroupMaintainerService::Page& page)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const GroupMaintainerService::Entry& entry : page.items)
		items->add(groupMaintainers(entry));
	Poco::JSON::Object::Ptr out = newObject();
	out->set("items", items);
	out->set("nextCursor", page.nextCursor ? Poco::Dynamic::Var(*page.nextCursor) : Poco::Dynamic::Var());
	return out;
}

Poco::JSON::Object::Ptr ContactJson::person(const ContactView::Person& p)
{
	return ExternalContacts::person(p);
}

Poco::JSON::Object::Ptr ContactJson::history(const HistoryService::Page& page)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	auto snapshot = [](const std::optional<std::string>& json) -> Poco::Dynamic::Var
	{
		if (!json) return Poco::Dynamic::Var();
		Poco::JSON::Parser parser;
		return parser.parse(*json);
	};
	for (const HistoryService::Entry& e : page.items)
	{
		Poco::JSON::Object::Ptr item = newObject();
		item->set("id", e.entry.id);
		item->set("action", e.entry.action);
		item->set("at", e.entry.at);
		item->set("actor", person(e.actor));
		item->set("remoteAddr", e.entry.remoteAddr);
		item->set("before", snapshot(e.entry.beforeJson));
		item->set("after", snapshot(e.entry.afterJson));
		items->add(item);
	}
	Poco::JSON::Object::Ptr out = newObject();
	out->set("items", items);
	out->set("nextCursor",
			 page.nextBeforeId ? Poco::Dynamic::Var(std::to_string(page.nextBeforeId)) : Poco::Dynamic::Var());
	Poco::JSON::Array::Ptr people = new Poco::JSON::Array;
	for (const ContactView::Person& p : page.people)
		people->add(person(p));
	out->set("people", people);
	return out;
}

Poco::JSON::Object::Ptr ContactJson::duplicate(const DuplicateContactException& e)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const DuplicateContactException::Match& m : e.visible())
	{
		Poco::JSON::Object::Ptr item = newObject();
		item->set("id", m.id);
		item->set("name", m.name);
		items->add(item);
	}
	Poco::JSON::Object::Ptr out = error("duplicate", e.message(), e.field());
	out->set("duplicates", items);
	out->set("hiddenDuplicates", static_cast<Poco::UInt64>(e.hidden()));
	return out;
}

std::string ContactJson::page(const ContactPage& page)
{
	JsonWriter out;
	out.startObject().key("items").startArray();
	for (const ContactView& view : page.items)
		writeSummary(out, view);
	out.endArray().field("nextCursor", page.nextCursor).endObject();
	return out.take();
}

std::string ContactJson::groups(const GroupList& groups)
{
	JsonWriter out;
	out.startObject().key("items").startArray();
	for (const GroupList::Group& g : groups.items)
		out.startObject().field("name", g.name).field("count", g.count).endObject();
	out.endArray().field("total", groups.total).endObject();
	return out.take();
}

Poco::JSON::Object::Ptr ContactJson::error(const std::string& code, const std::string& message,
										   const std::string& field)
{
	Poco::JSON::Object::Ptr error = newObject();
	error->set("code", code);
	error->set("message", message);
	if (!field.empty()) error->set("field", field);
	Poco::JSON::Object::Ptr out = newObject();
	out->set("error", error);
	return out;
}

std::string ContactJson::toString(const Poco::JSON::Object::Ptr& object)
{
	std::ostringstream out;
	object->stringify(out);
	return out.str();
}

} // namespace ExternalContacts
