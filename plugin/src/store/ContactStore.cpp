#include "store/ContactStore.h"

#include "domain/ContactSnapshot.h"
#include "domain/DuplicateKey.h"

#include "store/ContactRows.h"
#include "store/InvitationStore.h"
#include "store/KeysetSql.h"
#include "store/search/ContactSearch.h"
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

namespace
{

const std::string ORDER = " ORDER BY c.group_rank, c.group_name, c.name, c.id";

// The first column of every row, as integers.
std::vector<Poco::Int64> ids(Database& database, Poco::Data::Session& session, const SqlStatement& sql)
{
	std::vector<Poco::Int64> ids;
	sql.run(database, session, [&](const HostSdk::SqlDatabase::Row& row) { ids.push_back(row.integer(0)); });
	return ids;
}

} // namespace

struct ContactStore::Stored
/// A live contact's row as read under its lock before a write.
{
	SearchIndex::Entry entry;
};

ContactStore::ContactStore(Database& database) : _database(database), _dialect(database.dialect()), _index(database) {}

std::optional<ContactStore::Stored> ContactStore::lockLive(Poco::Data::Session& session, Poco::Int64 orgId,
														   Poco::Int64 id, std::optional<Poco::Int64> version)
{
	// MySQL: a locking read sees the latest committed row and holds it
	// until the transaction ends; SQLite's write transaction already
	// excludes every other writer.
	SqlStatement sql;
	sql << "SELECT c.name, c.mobile, c.email, c.company, c.source FROM ec_contacts c"
		   " WHERE c.id = ? AND c.org_id = ? AND c.deleted_at IS NULL";
	sql.integer(id).integer(orgId);
	if (version)
	{
		sql << " AND c.version = ?";
		sql.integer(*version);
	}
	sql << _dialect.forUpdate();
	std::optional<Stored> stored;
	sql.run(_database, session,
			[&](const HostSdk::SqlDatabase::Row& row)
			{
				stored.emplace();
				stored->entry.orgId = orgId;
				stored->entry.id = id;
				stored->entry.name = row.text(0);
				stored->entry.mobile = row.optionalText(1);
				stored->entry.email = row.optionalText(2);
				stored->entry.company = row.optionalText(3);
				stored->entry.source = row.text(4);
			});
	return stored;
}

Poco::Int64 ContactStore::insert(Poco::Data::Session& session, const Contact& contact)
{
	SortKey key = contact.sortKey();
	SqlStatement sql;
	sql << "INSERT INTO ec_contacts (org_id, name, mobile, email, company, title, department, address, remark, tags,"
		   " source, added_by, security_level, group_rank, group_name, version, created_at, updated_at, mobile_key,"
		   " email_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sql.integer(contact.orgId).text(contact.name);
	sql.nullableText(contact.mobile).nullableText(contact.email).nullableText(contact.company);
	sql.nullableText(contact.title).nullableText(contact.department).nullableText(contact.address);
	sql.nullableText(contact.remark).text(ContactSnapshot::tagsToJson(contact.tags)).text(toString(contact.source));
	sql.integer(contact.addedBy).smallInteger(contact.securityLevel).smallInteger(key.groupRank).text(key.groupName);
	sql.integer(contact.version).integer(contact.createdAt).integer(contact.updatedAt);
	sql.nullableText(DuplicateKey::mobile(contact.mobile)).nullableText(DuplicateKey::email(contact.email));
	sql.execute(_database, session);
	Poco::Int64 id = _database.lastInsertId(session);
	SearchIndex::Entry entry = SearchIndex::Entry::of(contact);
	entry.id = id;
	_index.added(session, entry);
	return id;
}

bool ContactStore::update(Poco::Data::Session& session, const Contact& contact, Poco::Int64 expectedVersion)
{
	std::optional<Stored> before = lockLive(session, contact.orgId, contact.id, expectedVersion);
	if (!before) return false;
	SortKey key = contact.sortKey();
	SqlStatement sql;
	sql << "UPDATE ec_contacts SET name = ?, mobile = ?, email = ?, company = ?, title = ?, department = ?,"
		   " address = ?, remark = ?, tags = ?, security_level = ?, group_rank = ?, group_name = ?, version = ?,"
		   " updated_at = ?, mobile_key = ?, email_key = ?"
		   " WHERE id = ? AND org_id = ? AND version = ? AND deleted_at IS NULL";
	sql.text(contact.name).nullableText(contact.mobile).nullableText(contact.email).nullableText(contact.company);
	sql.nullableText(contact.title).nullableText(contact.department).nullableText(contact.address);
	sql.nullableText(contact.remark)
		.text(ContactSnapshot::tagsToJson(contact.tags))
		.smallInteger(contact.securityLevel);
	sql.smallInteger(key.groupRank).text(key.groupName).integer(contact.version).integer(contact.updatedAt);
	sql.nullableText(DuplicateKey::mobile(contact.mobile)).nullableText(DuplicateKey::email(contact.email));
	sql.integer(contact.id).integer(contact.orgId).integer(expectedVersion);
	if (sql.execute(_database, session) != 1) return false;
	SearchIndex::Entry after = SearchIndex::Entry::of(contact);
	after.source = before->entry.source; // update() never changes the source
	_index.changed(session, before->entry, after);
	return true;
}

std::vector<Poco::Int64> ContactStore::withSameKey(Poco::Data::Session& session, Poco::Int64 orgId,
												   const std::string& column, const std::string& key,
												   Poco::Int64 excludeId, std::size_t limit)
{
	return ids(_database, session, withSameKeySql(orgId, column, key, excludeId, limit));
}

SqlStatement ContactStore::withSameKeySql(Poco::Int64 orgId, const std::string& column, const std::string& key,
										  Poco::Int64 excludeId, std::size_t limit) const
{
	// column is "mobile_key" or "email_key" (DuplicateKey), never caller input.
	if (column != "mobile_key" && column != "email_key") throw Poco::InvalidArgumentException("duplicate key", column);
	SqlStatement sql;
	sql << "SELECT c.id FROM ec_contacts c WHERE c.org_id = ? AND c." + column +
			   " = ? AND c.deleted_at IS NULL AND c.id <> ? ORDER BY c.id LIMIT ?";
	sql.integer(orgId).text(key).integer(excludeId).integer(static_cast<Poco::Int64>(limit));
	return sql;
}

bool ContactStore::softDelete(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id, Poco::Int64 at)
{
	std::optional<Stored> before = lockLive(session, orgId, id, std::nullopt);
	if (!before) return false;
	SqlStatement sql;
	sql << "UPDATE ec_contacts SET deleted_at = ?, updated_at = ?, version = version + 1"
		   " WHERE id = ? AND org_id = ? AND deleted_at IS NULL";
	sql.integer(at).integer(at).integer(id).integer(orgId);
	if (sql.execute(_database, session) != 1) return false;
	_index.removed(session, before->entry);
	return true;
}

void ContactStore::addVisibleMembers(Poco::Data::Session& session, Poco::Int64 contactId,
									 const std::vector<Poco::Int64>& memberIds)
{
	for (Poco::Int64 memberId : memberIds)
	{
		SqlStatement sql;
		sql << "INSERT INTO ec_contact_visible_members (contact_id, member_id) VALUES (?, ?)";
		sql.integer(contactId).integer(memberId);
		sql.execute(_database, session);
	}
}

void ContactStore::replaceVisibleMembers(Poco::Data::Session& session, Poco::Int64 contactId,
										 const std::vector<Poco::Int64>& memberIds)
{
	SqlStatement sql;
	sql << "DELETE FROM ec_contact_visible_members WHERE contact_id = ?";
	sql.integer(contactId);
	sql.execute(_database, session);
	addVisibleMembers(session, contactId, memberIds);
}

std::vector<Poco::Int64> ContactStore::shareMembers(Poco::Data::Session& session, Poco::Int64 contactId)
{
	SqlStatement sql;
	sql << "SELECT member_id FROM ec_contact_shares WHERE contact_id = ? ORDER BY member_id";
	sql.integer(contactId);
	return ids(_database, session, sql);
}

void ContactStore::replaceShares(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
								 const std::vector<Poco::Int64>& memberIds, Poco::Int64 sharedBy, Poco::Int64 at)
{
	std::vector<Poco::Int64> current = shareMembers(session, contactId);
	for (Poco::Int64 memberId : current)
	{
		if (std::find(memberIds.begin(), memberIds.end(), memberId) != memberIds.end()) continue;
		SqlStatement sql;
		sql << "DELETE FROM ec_contact_shares WHERE contact_id = ? AND member_id = ?";
		sql.integer(contactId).integer(memberId);
		sql.execute(_database, session);
	}
	for (Poco::Int64 memberId : memberIds)
	{
		if (std::find(current.begin(), current.end(), memberId) != current.end()) continue;
		SqlStatement sql;
		sql << "INSERT INTO ec_contact_shares (contact_id, member_id, org_id, shared_by, created_at)"
			   " VALUES (?, ?, ?, ?, ?)";
		sql.integer(contactId).integer(memberId).integer(orgId).integer(sharedBy).integer(at);
		sql.execute(_database, session);
	}
}

std::optional<Contact> ContactStore::findById(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id)
{
	SqlStatement sql;
	sql << "SELECT " << ContactRows::COLUMNS
		<< " FROM ec_contacts c WHERE c.id = ? AND c.org_id = ? AND c.deleted_at IS NULL";
	sql.integer(id).integer(orgId);
	std::vector<Contact> rows = ContactRows::read(_database, session, sql);
	if (rows.empty()) return std::nullopt;
	return std::move(rows.front());
}

std::vector<Poco::Int64> ContactStore::visibleMembers(Poco::Data::Session& session, Poco::Int64 contactId)
{
	SqlStatement sql;
	sql << "SELECT member_id FROM ec_contact_visible_members WHERE contact_id = ? ORDER BY member_id";
	sql.integer(contactId);
	return ids(_database, session, sql);
}

bool ContactStore::isSharedWith(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 memberId)
{
	SqlStatement sql;
	sql << "SELECT contact_id FROM ec_contact_shares WHERE contact_id = ? AND member_id = ?";
	sql.integer(contactId).integer(memberId);
	return sql.run(_database, session, [](const HostSdk::SqlDatabase::Row&) {}) > 0;
}

void ContactStore::appendFrom(SqlStatement& sql, Branch branch, const ContactListQuery& query,
							  const Filter& filter) const
{
	// MariaDB may pick the other (equally covering) index for a GROUP BY and
	// sort its result; the hint keeps every plan on the index whose order is
	// the list's order.
	switch (branch)
	{
	case Branch::AddedBy:
		sql << " FROM ec_contacts c" << _dialect.forceIndex("ix_ec_contacts_adder")
			<< " WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL";
		sql.integer(query.orgId).integer(query.viewerId);
		break;
	case Branch::SharedWith:
		// Start from the viewer's share rows, then fetch each contact by key:
		// the share list of one member is small, the org's contacts are not.
		sql << " FROM ec_contact_shares s " << _dialect.joinInOrder()
			<< " ec_contacts c ON c.id = s.contact_id"
			   " WHERE s.member_id = ? AND s.org_id = ? AND c.org_id = ? AND c.added_by <> ? AND c.deleted_at IS NULL";
		sql.integer(query.viewerId).integer(query.orgId).integer(query.orgId).integer(query.viewerId);
		break;
	case Branch::Org:
		sql << " FROM ec_contacts c" << _dialect.forceIndex("ix_ec_contacts_org")
			<< " WHERE c.org_id = ? AND c.deleted_at IS NULL";
		sql.integer(query.orgId);
		break;
	case Branch::Group:
		// Equality on the index's first four columns: one range per group.
		sql << " FROM ec_contacts c" << _dialect.forceIndex("ix_ec_contacts_org")
			<< " WHERE c.org_id = ? AND c.deleted_at IS NULL AND c.group_rank = ? AND c.group_name = ?";
		sql.integer(query.orgId).smallInteger(query.groupRank).text(query.groupName);
		break;
	}
	if (query.source)
	{
		sql << " AND c.source = ?";
		sql.text(toString(*query.source));
	}
	if (filter) filter(sql);
}

SqlStatement ContactStore::listSql(Branch branch, const ContactListQuery& query, const Filter& filter) const
{
	SqlStatement sql;
	sql << "SELECT " << ContactRows::COLUMNS;
	appendFrom(sql, branch, query, filter);
	if (query.after && branch == Branch::Group)
		KeysetSql::of("c").afterInGroup(sql, _dialect, *query.after); // within one group: (name, id)
	else if (query.after)
		KeysetSql::of("c").after(sql, _dialect, *query.after);
	// In one group the index is already in (name, id) order; MariaDB does not
	// drop the group columns fixed by a string equality from ORDER BY on its
	// own and would sort.
	sql << (branch == Branch::Group ? std::string(" ORDER BY c.name, c.id") : ORDER) << " LIMIT ?";
	sql.smallInteger(static_cast<int>(query.limit));
	return sql;
}

SqlStatement ContactStore::groupsSql(Branch branch, const ContactListQuery& query) const
{
	// The whole org and one group from the kept counts; a member's own
	// branches from their index.
	if (branch == Branch::Org || branch == Branch::Group) return countsSql(branch, query);
	SqlStatement sql;
	sql << "SELECT c.group_rank, c.group_name, COUNT(*)";
	appendFrom(sql, branch, query, Filter());
	sql << " GROUP BY c.group_rank, c.group_name ORDER BY c.group_rank, c.group_name";
	return sql;
}

SqlStatement ContactStore::countsSql(Branch branch, const ContactListQuery& query) const
{
	// The kept counts (migration 004): one row per group and source.
	SqlStatement sql;
	// One group: a plain sum over its rows (a GROUP BY of the fixed columns
	// would make MariaDB sort); no rows answer a NULL sum, which groups()
	// drops.
	sql << (branch == Branch::Group ? "SELECT MIN(g.group_rank), MIN(g.group_name), "
									: "SELECT g.group_rank, g.group_name, ")
		<< _dialect.integerSum("g.n") << " FROM ec_group_counts g WHERE g.org_id = ?";
	sql.integer(query.orgId);
	if (branch == Branch::Group)
	{
		sql << " AND g.group_rank = ? AND g.group_name = ?";
		sql.smallInteger(query.groupRank).text(query.groupName);
	}
	if (query.source)
	{
		sql << " AND g.source = ?";
		sql.text(toString(*query.source));
	}
	if (branch != Branch::Group) sql << " GROUP BY g.group_rank, g.group_name ORDER BY g.group_rank, g.group_name";
	return sql;
}

std::vector<Contact> ContactStore::list(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	if (!query.search.empty()) return ContactSearch(*this).list(session, branch, query);
	return ContactRows::read(_database, session, listSql(branch, query));
}

std::vector<GroupCount> ContactStore::groups(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	if (!query.search.empty()) return ContactSearch(*this).groups(session, branch, query);
	SqlStatement sql = groupsSql(branch, query);
	std::vector<GroupCount> groups;
	sql.run(_database, session,
			[&](const HostSdk::SqlDatabase::Row& row)
			{
				if (row.isNull(2) || row.integer(2) == 0) return;
				GroupCount g;
				g.groupRank = static_cast<int>(row.integer(0));
				g.groupName = row.text(1);
				g.count = row.integer(2);
				groups.push_back(g);
			});
	return groups;
}

std::optional<WeChatIdentity> ContactStore::wechatOf(Poco::Data::Session& session, Poco::Int64 contactId)
{
	return InvitationStore::identityIn(session, "ec_contact_wechat", "contact_id", contactId);
}

} // namespace ExternalContacts
