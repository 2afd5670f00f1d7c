#include "store/ContactRows.h"

#include "store/SqlValue.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

std::vector<std::string> tagsFromJson(const std::string& json)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(json);
	if (parsed.type() != typeid(Poco::JSON::Array::Ptr)) throw Poco::DataFormatException("ec_contacts.tags", json);
	std::vector<std::string> tags;
	for (const Poco::Dynamic::Var& tag : *parsed.extract<Poco::JSON::Array::Ptr>())
		tags.push_back(tag.convert<std::string>());
	return tags;
}

} // namespace

const std::string ContactRows::COLUMNS =
	"c.id, c.org_id, c.name, c.mobile, c.email, c.company, c.title, c.department, c.address,"
	" c.remark, c.tags, c.source, c.added_by, c.security_level, c.version, c.created_at,"
	" c.updated_at";

std::string ContactRows::tagsToJson(const std::vector<std::string>& tags)
{
	Poco::JSON::Array array;
	for (const std::string& tag : tags)
		array.add(tag);
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(array, out);
	return out.str();
}

Contact ContactRows::at(const Poco::Data::RecordSet& rows, std::size_t row)
{
	Contact c;
	c.id = SqlValue::integer(rows.value(0, row));
	c.orgId = SqlValue::integer(rows.value(1, row));
	c.name = rows.value(2, row).convert<std::string>();
	c.mobile = SqlValue::optionalString(rows.value(3, row));
	c.email = SqlValue::optionalString(rows.value(4, row));
	c.company = SqlValue::optionalString(rows.value(5, row));
	c.title = SqlValue::optionalString(rows.value(6, row));
	c.department = SqlValue::optionalString(rows.value(7, row));
	c.address = SqlValue::optionalString(rows.value(8, row));
	c.remark = SqlValue::optionalString(rows.value(9, row));
	c.tags = tagsFromJson(rows.value(10, row).convert<std::string>());
	std::string source = rows.value(11, row).convert<std::string>();
	std::optional<ContactSource> parsed = parseContactSource(source);
	if (!parsed) throw Poco::DataFormatException("ec_contacts.source", source);
	c.source = *parsed;
	c.addedBy = SqlValue::integer(rows.value(12, row));
	c.securityLevel = static_cast<int>(SqlValue::integer(rows.value(13, row)));
	c.version = SqlValue::integer(rows.value(14, row));
	c.createdAt = SqlValue::integer(rows.value(15, row));
	c.updatedAt = SqlValue::integer(rows.value(16, row));
	return c;
}

std::vector<Contact> ContactRows::all(const Poco::Data::RecordSet& rows)
{
	std::vector<Contact> contacts;
	contacts.reserve(rows.rowCount());
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		contacts.push_back(at(rows, row));
	return contacts;
}

} // namespace ExternalContacts
