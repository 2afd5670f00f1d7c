#include "store/ContactStore.h"

#include "domain/DuplicateKey.h"

#include "store/SqlValue.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <algorithm>
#include <sstream>
#include <typeinfo>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

class ContactStore::Sql
/// A statement under construction: its text and its parameters, kept
/// as values so the same statement can be run or explained.
{
public:
	Sql& operator<<(const std::string& text)
	{
		_text += text;
		return *this;
	}

	Sql& integer(Poco::Int64 value)
	{
		_params.push_back({Param::Kind::Int64, value, 0, {}});
		return *this;
	}

	Sql& smallInteger(int value)
	{
		_params.push_back({Param::Kind::Int32, 0, value, {}});
		return *this;
	}

	Sql& text(const std::string& value)
	{
		_params.push_back({Param::Kind::Text, 0, 0, value});
		return *this;
	}

	const std::string& str() const
	{
		return _text;
	}

	void bindTo(Poco::Data::Statement& statement) const
	/// Binds every parameter by reference: this object must outlive the
	/// statement's execution.
	{
		for (const Param& p : _params)
		{
			switch (p.kind)
			{
			case Param::Kind::Int64:
				statement.addBind(useRef(p.int64));
				break;
			case Param::Kind::Int32:
				statement.addBind(useRef(p.int32));
				break;
			case Param::Kind::Text:
				statement.addBind(useRef(p.text));
				break;
			}
		}
	}

	Poco::Data::RecordSet query(Poco::Data::Session& session, const std::string& prefix = std::string()) const
	{
		Poco::Data::Statement statement(session);
		statement << prefix + _text;
		bindTo(statement);
		statement.execute();
		return Poco::Data::RecordSet(statement);
	}

private:
	struct Param
	{
		enum class Kind
		{
			Int64,
			Int32,
			Text
		};
		Kind kind;
		Poco::Int64 int64;
		int int32;
		std::string text;
	};

	std::string _text;
	std::vector<Param> _params;
};

namespace
{

const std::string COLUMNS = "c.id, c.org_id, c.name, c.mobile, c.email, c.company, c.title, c.department, c.address,"
							" c.remark, c.tags, c.source, c.added_by, c.security_level, c.version, c.created_at,"
							" c.updated_at";
const std::string ORDER = " ORDER BY c.group_rank, c.group_name, c.name, c.id";

std::string tagsToJson(const std::vector<std::string>& tags)
{
	Poco::JSON::Array array;
	for (const std::string& tag : tags)
		array.add(tag);
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(array, out);
	return out.str();
}

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

Contact contactAt(const Poco::Data::RecordSet& rows, std::size_t row)
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

std::string likePattern(const std::string& search)
{
	// ASCII lower case on both sides: LOWER() in SQLite folds only ASCII.
	std::string pattern = "%";
	for (char ch : search)
	{
		if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
		pattern += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
	}
	return pattern + "%";
}

} // namespace

ContactStore::ContactStore(Database::Dialect dialect) : _dialect(dialect) {}

Poco::Int64 ContactStore::insert(Poco::Data::Session& session, const Contact& contact)
{
	SortKey key = contact.sortKey();
	Poco::Nullable<std::string> mobile = SqlValue::nullable(contact.mobile);
	Poco::Nullable<std::string> email = SqlValue::nullable(contact.email);
	Poco::Nullable<std::string> company = SqlValue::nullable(contact.company);
	Poco::Nullable<std::string> title = SqlValue::nullable(contact.title);
	Poco::Nullable<std::string> department = SqlValue::nullable(contact.department);
	Poco::Nullable<std::string> address = SqlValue::nullable(contact.address);
	Poco::Nullable<std::string> remark = SqlValue::nullable(contact.remark);
	std::string tags = tagsToJson(contact.tags);
	const std::string& source = toString(contact.source);
	Poco::Nullable<std::string> mobileKey = SqlValue::nullable(DuplicateKey::mobile(contact.mobile));
	Poco::Nullable<std::string> emailKey = SqlValue::nullable(DuplicateKey::email(contact.email));
	session << "INSERT INTO ec_contacts (org_id, name, mobile, email, company, title, department, address, remark,"
			   " tags, source, added_by, security_level, group_rank, group_name, version, created_at, updated_at,"
			   " mobile_key, email_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		useRef(contact.orgId), useRef(contact.name), use(mobile), use(email), use(company), use(title), use(department),
		use(address), use(remark), use(tags), useRef(source), useRef(contact.addedBy), useRef(contact.securityLevel),
		use(key.groupRank), use(key.groupName), useRef(contact.version), useRef(contact.createdAt),
		useRef(contact.updatedAt), use(mobileKey), use(emailKey), now;
	Poco::Int64 id = 0;
	session << (_dialect == Database::Dialect::SQLite ? "SELECT last_insert_rowid()" : "SELECT LAST_INSERT_ID()"),
		into(id), now;
	return id;
}

bool ContactStore::update(Poco::Data::Session& session, const Contact& contact, Poco::Int64 expectedVersion)
{
	SortKey key = contact.sortKey();
	Poco::Nullable<std::string> mobile = SqlValue::nullable(contact.mobile);
	Poco::Nullable<std::string> email = SqlValue::nullable(contact.email);
	Poco::Nullable<std::string> company = SqlValue::nullable(contact.company);
	Poco::Nullable<std::string> title = SqlValue::nullable(contact.title);
	Poco::Nullable<std::string> department = SqlValue::nullable(contact.department);
	Poco::Nullable<std::string> address = SqlValue::nullable(contact.address);
	Poco::Nullable<std::string> remark = SqlValue::nullable(contact.remark);
	std::string tags = tagsToJson(contact.tags);
	Poco::Nullable<std::string> mobileKey = SqlValue::nullable(DuplicateKey::mobile(contact.mobile));
	Poco::Nullable<std::string> emailKey = SqlValue::nullable(DuplicateKey::email(contact.email));
	Poco::Data::Statement statement(session);
	statement << "UPDATE ec_contacts SET name = ?, mobile = ?, email = ?, company = ?, title = ?, department = ?,"
				 " address = ?, remark = ?, tags = ?, security_level = ?, group_rank = ?, group_name = ?, version = ?,"
				 " updated_at = ?, mobile_key = ?, email_key = ?"
				 " WHERE id = ? AND org_id = ? AND version = ? AND deleted_at IS NULL",
		useRef(contact.name), use(mobile), use(email), use(company), use(title), use(department), use(address),
		use(remark), use(tags), useRef(contact.securityLevel), use(key.groupRank), use(key.groupName),
		useRef(contact.version), useRef(contact.updatedAt), use(mobileKey), use(emailKey), useRef(contact.id),
		useRef(contact.orgId), use(expectedVersion);
	return statement.execute() == 1;
}

std::vector<Poco::Int64> ContactStore::withSameKey(Poco::Data::Session& session, Poco::Int64 orgId,
												   const std::string& column, const std::string& key,
												   Poco::Int64 excludeId, std::size_t limit)
{
	std::vector<Poco::Int64> ids;
	Poco::Int64 rows = static_cast<Poco::Int64>(limit);
	// column is "mobile_key" or "email_key" (DuplicateKey), never caller input.
	session << "SELECT id FROM ec_contacts WHERE org_id = ? AND " + column +
				   " = ? AND deleted_at IS NULL AND id <> ? ORDER BY id LIMIT ?",
		use(orgId), useRef(key), use(excludeId), use(rows), into(ids), now;
	return ids;
}

bool ContactStore::softDelete(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id, Poco::Int64 at)
{
	Poco::Data::Statement statement(session);
	statement << "UPDATE ec_contacts SET deleted_at = ?, updated_at = ?, version = version + 1"
				 " WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
		use(at), use(at), use(id), use(orgId);
	return statement.execute() == 1;
}

void ContactStore::addVisibleMembers(Poco::Data::Session& session, Poco::Int64 contactId,
									 const std::vector<Poco::Int64>& memberIds)
{
	for (Poco::Int64 memberId : memberIds)
	{
		session << "INSERT INTO ec_contact_visible_members (contact_id, member_id) VALUES (?, ?)", use(contactId),
			use(memberId), now;
	}
}

void ContactStore::replaceVisibleMembers(Poco::Data::Session& session, Poco::Int64 contactId,
										 const std::vector<Poco::Int64>& memberIds)
{
	session << "DELETE FROM ec_contact_visible_members WHERE contact_id = ?", use(contactId), now;
	addVisibleMembers(session, contactId, memberIds);
}

std::vector<Poco::Int64> ContactStore::shareMembers(Poco::Data::Session& session, Poco::Int64 contactId)
{
	std::vector<Poco::Int64> members;
	session << "SELECT member_id FROM ec_contact_shares WHERE contact_id = ? ORDER BY member_id", use(contactId),
		into(members), now;
	return members;
}

void ContactStore::replaceShares(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
								 const std::vector<Poco::Int64>& memberIds, Poco::Int64 sharedBy, Poco::Int64 at)
{
	std::vector<Poco::Int64> current = shareMembers(session, contactId);
	for (Poco::Int64 memberId : current)
	{
		if (std::find(memberIds.begin(), memberIds.end(), memberId) != memberIds.end()) continue;
		session << "DELETE FROM ec_contact_shares WHERE contact_id = ? AND member_id = ?", use(contactId),
			use(memberId), now;
	}
	for (Poco::Int64 memberId : memberIds)
	{
		if (std::find(current.begin(), current.end(), memberId) != current.end()) continue;
		session << "INSERT INTO ec_contact_shares (contact_id, member_id, org_id, shared_by, created_at)"
				   " VALUES (?, ?, ?, ?, ?)",
			use(contactId), use(memberId), use(orgId), use(sharedBy), use(at), now;
	}
}

std::optional<Contact> ContactStore::findById(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id)
{
	Sql sql;
	sql << "SELECT " << COLUMNS << " FROM ec_contacts c WHERE c.id = ? AND c.org_id = ? AND c.deleted_at IS NULL";
	sql.integer(id).integer(orgId);
	Poco::Data::RecordSet rows = sql.query(session);
	if (rows.rowCount() == 0) return std::nullopt;
	return contactAt(rows, 0);
}

std::vector<Poco::Int64> ContactStore::visibleMembers(Poco::Data::Session& session, Poco::Int64 contactId)
{
	std::vector<Poco::Int64> members;
	session << "SELECT member_id FROM ec_contact_visible_members WHERE contact_id = ? ORDER BY member_id",
		use(contactId), into(members), now;
	return members;
}

bool ContactStore::isSharedWith(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 memberId)
{
	std::vector<Poco::Int64> found;
	session << "SELECT contact_id FROM ec_contact_shares WHERE contact_id = ? AND member_id = ?", use(contactId),
		use(memberId), into(found), now;
	return !found.empty();
}

std::string ContactStore::indexHint(const std::string& index) const
{
	// MariaDB may pick the other (equally covering) index for a GROUP BY and
	// sort its result; the hint keeps every plan on the index whose order is
	// the list's order. SQLite's planner finds it unaided.
	return _dialect == Database::Dialect::MySQL ? " FORCE INDEX (" + index + ")" : std::string();
}

void ContactStore::appendFrom(Sql& sql, Branch branch, const ContactListQuery& query) const
{
	switch (branch)
	{
	case Branch::AddedBy:
		sql << " FROM ec_contacts c" << indexHint("ix_ec_contacts_adder")
			<< " WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL";
		sql.integer(query.orgId).integer(query.viewerId);
		break;
	case Branch::SharedWith:
		// Start from the viewer's share rows, then fetch each contact by key:
		// the share list of one member is small, the org's contacts are not.
		// CROSS JOIN (SQLite) and STRAIGHT_JOIN (MySQL) pin that join order.
		sql << " FROM ec_contact_shares s " << (_dialect == Database::Dialect::SQLite ? "CROSS JOIN" : "STRAIGHT_JOIN")
			<< " ec_contacts c ON c.id = s.contact_id"
			   " WHERE s.member_id = ? AND s.org_id = ? AND c.org_id = ? AND c.added_by <> ? AND c.deleted_at IS NULL";
		sql.integer(query.viewerId).integer(query.orgId).integer(query.orgId).integer(query.viewerId);
		break;
	case Branch::Org:
		sql << " FROM ec_contacts c" << indexHint("ix_ec_contacts_org")
			<< " WHERE c.org_id = ? AND c.deleted_at IS NULL";
		sql.integer(query.orgId);
		break;
	case Branch::Group:
		// Equality on the index's first four columns: one range per group.
		sql << " FROM ec_contacts c" << indexHint("ix_ec_contacts_org")
			<< " WHERE c.org_id = ? AND c.deleted_at IS NULL AND c.group_rank = ? AND c.group_name = ?";
		sql.integer(query.orgId).smallInteger(query.groupRank).text(query.groupName);
		break;
	}
	if (query.source)
	{
		sql << " AND c.source = ?";
		sql.text(toString(*query.source));
	}
	if (!query.search.empty())
	{
		std::string pattern = likePattern(query.search);
		sql << " AND (LOWER(c.name) LIKE ? ESCAPE '!' OR LOWER(c.mobile) LIKE ? ESCAPE '!'"
			   " OR LOWER(c.email) LIKE ? ESCAPE '!' OR LOWER(c.company) LIKE ? ESCAPE '!')";
		sql.text(pattern).text(pattern).text(pattern).text(pattern);
	}
}

ContactStore::Sql ContactStore::listSql(Branch branch, const ContactListQuery& query) const
{
	Sql sql;
	sql << "SELECT " << COLUMNS;
	appendFrom(sql, branch, query);
	if (query.after && branch == Branch::Group)
	{
		// Within one group the key continues on (name, id).
		const SortKey& k = *query.after;
		if (_dialect == Database::Dialect::SQLite)
		{
			sql << " AND (c.name, c.id) > (?, ?)";
			sql.text(k.name).integer(k.id);
		}
		else
		{
			sql << " AND (c.name > ? OR (c.name = ? AND c.id > ?))";
			sql.text(k.name).text(k.name).integer(k.id);
		}
	}
	else if (query.after)
	{
		const SortKey& k = *query.after;
		if (_dialect == Database::Dialect::SQLite)
		{
			// SQLite turns a row-value comparison into one index range.
			sql << " AND (c.group_rank, c.group_name, c.name, c.id) > (?, ?, ?, ?)";
			sql.smallInteger(k.groupRank).text(k.groupName).text(k.name).integer(k.id);
		}
		else
		{
			// MySQL and MariaDB range-scan the expanded form, not row values.
			sql << " AND (c.group_rank > ? OR (c.group_rank = ? AND (c.group_name > ? OR (c.group_name = ? AND"
				   " (c.name > ? OR (c.name = ? AND c.id > ?))))))";
			sql.smallInteger(k.groupRank).smallInteger(k.groupRank);
			sql.text(k.groupName).text(k.groupName);
			sql.text(k.name).text(k.name);
			sql.integer(k.id);
		}
	}
	// In one group the index is already in (name, id) order; MariaDB does not
	// drop the group columns fixed by a string equality from ORDER BY on its
	// own and would sort.
	sql << (branch == Branch::Group ? std::string(" ORDER BY c.name, c.id") : ORDER) << " LIMIT ?";
	sql.smallInteger(static_cast<int>(query.limit));
	return sql;
}

ContactStore::Sql ContactStore::groupsSql(Branch branch, const ContactListQuery& query) const
{
	Sql sql;
	if (branch == Branch::Group)
	{
		// One group: a plain count over its index range (a GROUP BY of the
		// fixed columns would make MariaDB sort). An empty group answers
		// one row with count 0, which groups() drops.
		sql << "SELECT MIN(c.group_rank), MIN(c.group_name), COUNT(*)";
		appendFrom(sql, branch, query);
		return sql;
	}
	sql << "SELECT c.group_rank, c.group_name, COUNT(*)";
	appendFrom(sql, branch, query);
	sql << " GROUP BY c.group_rank, c.group_name ORDER BY c.group_rank, c.group_name";
	return sql;
}

std::vector<Contact> ContactStore::list(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	Sql sql = listSql(branch, query);
	Poco::Data::RecordSet rows = sql.query(session);
	std::vector<Contact> contacts;
	contacts.reserve(rows.rowCount());
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		contacts.push_back(contactAt(rows, row));
	return contacts;
}

std::vector<GroupCount> ContactStore::groups(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	Sql sql = groupsSql(branch, query);
	Poco::Data::RecordSet rows = sql.query(session);
	std::vector<GroupCount> groups;
	groups.reserve(rows.rowCount());
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
	{
		if (SqlValue::integer(rows.value(2, row)) == 0) continue;
		GroupCount g;
		g.groupRank = static_cast<int>(SqlValue::integer(rows.value(0, row)));
		g.groupName = rows.value(1, row).convert<std::string>();
		g.count = SqlValue::integer(rows.value(2, row));
		groups.push_back(g);
	}
	return groups;
}

std::vector<std::string> ContactStore::plan(Poco::Data::Session& session, const Sql& sql) const
{
	std::vector<std::string> lines;
	if (_dialect == Database::Dialect::SQLite)
	{
		Poco::Data::RecordSet rows = sql.query(session, "EXPLAIN QUERY PLAN ");
		for (std::size_t row = 0; row < rows.rowCount(); ++row)
			lines.push_back(rows.value("detail", row).convert<std::string>());
		return lines;
	}
	Poco::Data::RecordSet rows = sql.query(session, "EXPLAIN ");
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
	{
		std::string line;
		for (const char* column : {"table", "type", "key", "Extra"})
		{
			Poco::Dynamic::Var v = rows.value(column, row);
			line +=
				std::string(line.empty() ? "" : " ") + column + "=" + (v.isEmpty() ? "NULL" : v.convert<std::string>());
		}
		lines.push_back(line);
	}
	return lines;
}

std::vector<std::string> ContactStore::listPlanForTest(Poco::Data::Session& session, Branch branch,
													   const ContactListQuery& query)
{
	return plan(session, listSql(branch, query));
}

std::vector<std::string> ContactStore::groupsPlanForTest(Poco::Data::Session& session, Branch branch,
														 const ContactListQuery& query)
{
	return plan(session, groupsSql(branch, query));
}

} // namespace ExternalContacts
