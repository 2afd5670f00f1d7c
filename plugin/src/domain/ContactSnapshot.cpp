#include "domain/ContactSnapshot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>

namespace ExternalContacts
{

namespace
{

Poco::Dynamic::Var orNull(const std::optional<std::string>& value)
{
	return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

} // namespace

void ContactSnapshot::writeSummaryFields(Poco::JSON::Object& out, const Contact& contact)
{
	out.set("id", contact.id);
	out.set("name", contact.name);
	out.set("mobile", orNull(contact.mobile));
	out.set("email", orNull(contact.email));
	out.set("company", orNull(contact.company));
	out.set("title", orNull(contact.title));
	out.set("department", orNull(contact.department));
	out.set("source", toString(contact.source));
	out.set("createdAt", contact.createdAt);
	out.set("version", contact.version);
}

void ContactSnapshot::writeDetailFields(Poco::JSON::Object& out, const Contact& contact)
{
	out.set("address", orNull(contact.address));
	out.set("remark", orNull(contact.remark));
	Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
	for (const std::string& tag : contact.tags)
		tags->add(tag);
	out.set("tags", tags);
	out.set("securityLevel", contact.securityLevel);
	out.set("updatedAt", contact.updatedAt);
}

std::string ContactSnapshot::toAuditJson(const Contact& contact)
{
	Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
	writeSummaryFields(out, contact);
	writeDetailFields(out, contact);
	out.set("orgId", contact.orgId);
	out.set("addedBy", contact.addedBy);
	Poco::JSON::Array::Ptr members = new Poco::JSON::Array;
	for (Poco::Int64 id : contact.visibleMembers)
		members->add(id);
	out.set("visibleMembers", members);
	std::ostringstream json;
	out.stringify(json);
	return json.str();
}

std::string ContactSnapshot::membersJson(const std::string& name, const std::vector<Poco::Int64>& ids)
{
	Poco::JSON::Array::Ptr members = new Poco::JSON::Array;
	for (Poco::Int64 id : ids)
		members->add(id);
	Poco::JSON::Object out;
	out.set(name, members);
	std::ostringstream json;
	out.stringify(json);
	return json.str();
}

} // namespace ExternalContacts
