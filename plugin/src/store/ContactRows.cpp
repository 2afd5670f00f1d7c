#include "store/ContactRows.h"

#include "domain/ContactSnapshot.h"
#include <Poco/Exception.h>

namespace ExternalContacts
{

const std::string ContactRows::COLUMNS =
	"c.id, c.org_id, c.name, c.mobile, c.email, c.company, c.title, c.department, c.address,"
	" c.remark, c.tags, c.source, c.added_by, c.security_level, c.version, c.created_at,"
	" c.updated_at";

Contact ContactRows::decode(const HostSdk::SqlDatabase::Row& row)
{
	auto integer = [&](std::size_t i, const char* column)
	{
		if (row.isNull(i)) throw Poco::DataFormatException("NULL in ec_contacts", column);
		return row.integer(i);
	};
	auto text = [&](std::size_t i, const char* column)
	{
		if (row.isNull(i)) throw Poco::DataFormatException("NULL in ec_contacts", column);
		return row.text(i);
	};
	Contact c;
	c.id = integer(0, "id");
	c.orgId = integer(1, "org_id");
	c.name = text(2, "name");
	c.mobile = row.optionalText(3);
	c.email = row.optionalText(4);
	c.company = row.optionalText(5);
	c.title = row.optionalText(6);
	c.department = row.optionalText(7);
	c.address = row.optionalText(8);
	c.remark = row.optionalText(9);
	c.tags = ContactSnapshot::tagsFromJson(text(10, "tags"));
	std::string source = text(11, "source");
	std::optional<ContactSource> parsed = parseContactSource(source);
	if (!parsed) throw Poco::DataFormatException("ec_contacts.source", source);
	c.source = *parsed;
	c.addedBy = integer(12, "added_by");
	c.securityLevel = static_cast<int>(integer(13, "security_level"));
	c.version = integer(14, "version");
	c.createdAt = integer(15, "created_at");
	c.updatedAt = integer(16, "updated_at");
	return c;
}

std::vector<Contact> ContactRows::read(Database& database, Poco::Data::Session& session, const SqlStatement& sql)
{
	std::vector<Contact> contacts;
	sql.run(database, session, [&](const HostSdk::SqlDatabase::Row& row) { contacts.push_back(decode(row)); });
	return contacts;
}

} // namespace ExternalContacts
