#include "domain/ContactSnapshot.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <typeinfo>

namespace ExternalContacts
{

void ContactSnapshot::writeSummaryFields(JsonWriter& out, const Contact& contact)
{
	out.field("id", contact.id);
	out.field("name", contact.name);
	out.field("mobile", contact.mobile);
	out.field("email", contact.email);
	out.field("company", contact.company);
	out.field("title", contact.title);
	out.field("department", contact.department);
	out.field("source", toString(contact.source));
	out.field("createdAt", contact.createdAt);
	out.field("version", contact.version);
}

void ContactSnapshot::writeDetailFields(JsonWriter& out, const Contact& contact)
{
	out.field("address", contact.address);
	out.field("remark", contact.remark);
	out.key("tags").startArray();
	for (const std::string& tag : contact.tags)
		out.value(tag);
	out.endArray();
	out.field("securityLevel", contact.securityLevel);
	out.field("updatedAt", contact.updatedAt);
}

std::string ContactSnapshot::toAuditJson(const Contact& contact)
{
	JsonWriter out;
	out.startObject();
	writeSummaryFields(out, contact);
	writeDetailFields(out, contact);
	out.field("orgId", contact.orgId);
	out.field("addedBy", contact.addedBy);
	out.key("visibleMembers").startArray();
	for (Poco::Int64 id : contact.visibleMembers)
		out.value(id);
	out.endArray();
	out.endObject();
	return out.take();
}

std::string ContactSnapshot::membersJson(const std::string& name, const std::vector<Poco::Int64>& ids)
{
	JsonWriter out;
	out.startObject();
	out.key(name.c_str()).startArray();
	for (Poco::Int64 id : ids)
		out.value(id);
	out.endArray();
	out.endObject();
	return out.take();
}

std::string ContactSnapshot::tagsToJson(const std::vector<std::string>& tags)
{
	JsonWriter out;
	out.startArray();
	for (const std::string& tag : tags)
		out.value(tag);
	out.endArray();
	return out.take();
}

std::vector<std::string> ContactSnapshot::tagsFromJson(const std::string& json)
{
	// Read on every listed row. The text JsonWriter stores for tags without
	// a quote, backslash or control character in them (nearly all) is read
	// here: [] or ["…","…"], split at "," — exact, since no tag holds a
	// quote. Anything else goes to POCO's parser.
	std::vector<std::string> tags;
	if (json == "[]") return tags;
	if (json.size() >= 4 && json.compare(0, 2, "[\"") == 0 && json.compare(json.size() - 2, 2, "\"]") == 0 &&
		json.find('\\') == std::string::npos)
	{
		const std::size_t end = json.size() - 2;
		std::size_t start = 2;
		bool plain = true;
		while (true)
		{
			std::size_t quote = json.find('"', start);
			if (quote == end)
			{
				tags.emplace_back(json, start, end - start);
				break;
			}
			// Between two tags exactly "," and a tag after it: else not the stored form.
			if (quote + 3 > end || json.compare(quote, 3, "\",\"") != 0)
			{
				plain = false;
				break;
			}
			tags.emplace_back(json, start, quote - start);
			start = quote + 3;
		}
		bool controls = false;
		for (const std::string& tag : tags)
			for (unsigned char c : tag)
				controls = controls || c < 0x20;
		if (plain && !controls) return tags;
		tags.clear();
	}
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(json);
	if (parsed.type() != typeid(Poco::JSON::Array::Ptr)) throw Poco::DataFormatException("ec_contacts.tags", json);
	for (const Poco::Dynamic::Var& tag : *parsed.extract<Poco::JSON::Array::Ptr>())
		tags.push_back(tag.convert<std::string>());
	return tags;
}

} // namespace ExternalContacts
