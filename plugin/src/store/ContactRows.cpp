#include "store/ContactRows.h"

#include "domain/ContactSnapshot.h"
#include <Poco/Data/Statement.h>
#include <Poco/Data/TypeHandler.h>
#include <Poco/Exception.h>

namespace Poco::Data
{

template <> class TypeHandler<ExternalContacts::Contact>
/// One row of ContactRows::COLUMNS, in that order.
{
public:
	static std::size_t size()
	{
		return 17;
	}

	static void bind(std::size_t, const ExternalContacts::Contact&, AbstractBinder::Ptr, AbstractBinder::Direction)
	{
		throw Poco::NotImplementedException("a contact is read, never bound as a whole");
	}

	static void prepare(std::size_t pos, const ExternalContacts::Contact&, AbstractPreparator::Ptr preparator)
	{
		// The column types, in order: what MySQL's result buffers are made for.
		static const bool TEXT[17] = {false, false, true, true,  true,  true,  true,  true, true,
									  true,  true,  true, false, false, false, false, false};
		const Poco::Int64 integer = 0;
		const std::string text;
		for (std::size_t i = 0; i < 17; ++i)
			if (TEXT[i])
				preparator->prepare(pos + i, text);
			else
				preparator->prepare(pos + i, integer);
	}

	static void extract(std::size_t pos, ExternalContacts::Contact& c, const ExternalContacts::Contact&,
						AbstractExtractor::Ptr in)
	{
		auto integer = [&](std::size_t i, const char* column)
		{
			Poco::Int64 v = 0;
			if (!in->extract(pos + i, v)) throw Poco::DataFormatException("NULL in ec_contacts", column);
			return v;
		};
		auto text = [&](std::size_t i, const char* column)
		{
			std::string v;
			if (!in->extract(pos + i, v)) throw Poco::DataFormatException("NULL in ec_contacts", column);
			return v;
		};
		auto optional = [&](std::size_t i, std::optional<std::string>& out)
		{
			std::string v;
			if (in->extract(pos + i, v))
				out = std::move(v);
			else
				out.reset();
		};
		c.id = integer(0, "id");
		c.orgId = integer(1, "org_id");
		c.name = text(2, "name");
		optional(3, c.mobile);
		optional(4, c.email);
		optional(5, c.company);
		optional(6, c.title);
		optional(7, c.department);
		optional(8, c.address);
		optional(9, c.remark);
		c.tags = ExternalContacts::ContactSnapshot::tagsFromJson(text(10, "tags"));
		std::string source = text(11, "source");
		std::optional<ExternalContacts::ContactSource> parsed = ExternalContacts::parseContactSource(source);
		if (!parsed) throw Poco::DataFormatException("ec_contacts.source", source);
		c.source = *parsed;
		c.addedBy = integer(12, "added_by");
		c.securityLevel = static_cast<int>(integer(13, "security_level"));
		c.version = integer(14, "version");
		c.createdAt = integer(15, "created_at");
		c.updatedAt = integer(16, "updated_at");
	}
};

} // namespace Poco::Data

namespace ExternalContacts
{

const std::string ContactRows::COLUMNS =
	"c.id, c.org_id, c.name, c.mobile, c.email, c.company, c.title, c.department, c.address,"
	" c.remark, c.tags, c.source, c.added_by, c.security_level, c.version, c.created_at,"
	" c.updated_at";

std::vector<Contact> ContactRows::read(Poco::Data::Session& session, const SqlStatement& sql)
{
	std::vector<Contact> contacts;
	Poco::Data::Statement statement(session);
	statement << sql.str();
	sql.bindTo(statement);
	statement, Poco::Data::Keywords::into(contacts);
	statement.execute();
	return contacts;
}

} // namespace ExternalContacts
