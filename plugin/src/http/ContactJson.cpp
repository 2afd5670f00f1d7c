#include "http/ContactJson.h"

#include <Poco/JSON/Parser.h>

#include "domain/ContactSnapshot.h"
#include <Poco/JSON/Array.h>
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

} // namespace

Poco::JSON::Object::Ptr ContactJson::summary(const ContactView& view)
{
	Poco::JSON::Object::Ptr out = newObject();
	ContactSnapshot::writeSummaryFields(*out, view.contact);
	out->set("addedBy", person(view.addedBy));
	return out;
}

Poco::JSON::Object::Ptr ContactJson::detail(const ContactView& view)
{
	Poco::JSON::Object::Ptr out = summary(view);
	ContactSnapshot::writeDetailFields(*out, view.contact);
	Poco::JSON::Array::Ptr members = new Poco::JSON::Array;
	for (const ContactView::Person& p : view.visibleMembers)
		members->add(person(p));
	out->set("visibleMembers", members);
	if (view.wechat)
	{
		Poco::JSON::Object::Ptr wechat = newObject();
		wechat->set("bound", true);
		wechat->set("nickname", view.wechat->nickname);
		wechat->set("avatarUrl", view.wechat->avatarUrl);
		wechat->set("boundAt", view.wechat->boundAt);
		out->set("wechat", wechat);
	}
	else
	{
		out->set("wechat", Poco::Dynamic::Var());
	}
	return out;
}

Poco::JSON::Object::Ptr ContactJson::allowed(bool mayEdit)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	o->set("edit", mayEdit);
	o->set("delete", mayEdit);
	o->set("share", mayEdit);
	o->set("history", mayEdit);
	return o;
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

Poco::JSON::Object::Ptr ContactJson::page(const ContactPage& page)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const ContactView& view : page.items)
		items->add(summary(view));
	Poco::JSON::Object::Ptr out = newObject();
	out->set("items", items);
	out->set("nextCursor", page.nextCursor ? Poco::Dynamic::Var(*page.nextCursor) : Poco::Dynamic::Var());
	return out;
}

Poco::JSON::Object::Ptr ContactJson::groups(const GroupList& groups)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const GroupList::Group& g : groups.items)
	{
		Poco::JSON::Object::Ptr item = newObject();
		item->set("name", g.name ? Poco::Dynamic::Var(*g.name) : Poco::Dynamic::Var());
		item->set("count", g.count);
		items->add(item);
	}
	Poco::JSON::Object::Ptr out = newObject();
	out->set("items", items);
	out->set("total", groups.total);
	return out;
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
