#include "store/GroupMaintainerStore.h"

#include "store/SqlValue.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

std::vector<Poco::Int64> GroupMaintainerStore::maintainers(Poco::Data::Session& session, Poco::Int64 orgId,
														   const std::string& group)
{
	std::vector<Poco::Int64> members;
	session << "SELECT member_id FROM ec_group_maintainers WHERE org_id = ? AND group_name = ? ORDER BY member_id",
		use(orgId), useRef(group), into(members), now;
	return members;
}

void GroupMaintainerStore::replace(Poco::Data::Session& session, Poco::Int64 orgId, const std::string& group,
								   const std::vector<Poco::Int64>& memberIds)
{
	session << "DELETE FROM ec_group_maintainers WHERE org_id = ? AND group_name = ?", use(orgId), useRef(group), now;
	for (Poco::Int64 memberId : memberIds)
	{
		session << "INSERT INTO ec_group_maintainers (org_id, group_name, member_id) VALUES (?, ?, ?)", use(orgId),
			useRef(group), use(memberId), now;
	}
}

std::vector<std::string> GroupMaintainerStore::groupsOf(Poco::Data::Session& session, Poco::Int64 orgId,
														Poco::Int64 memberId)
{
	Poco::Data::Statement statement(session);
	statement << "SELECT group_name FROM ec_group_maintainers WHERE org_id = ? AND member_id = ? ORDER BY group_name",
		use(orgId), use(memberId);
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::vector<std::string> groups;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		groups.push_back(rows.value(0, row).convert<std::string>());
	return groups;
}

bool GroupMaintainerStore::maintains(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 memberId,
									 const std::string& group)
{
	std::vector<Poco::Int64> found;
	session << "SELECT member_id FROM ec_group_maintainers WHERE org_id = ? AND group_name = ? AND member_id = ?",
		use(orgId), useRef(group), use(memberId), into(found), now;
	return !found.empty();
}

std::vector<GroupMaintainers> GroupMaintainerStore::page(Poco::Data::Session& session, Poco::Int64 orgId,
														 const std::optional<std::string>& after, std::size_t limit)
{
	// The groups first (DISTINCT over the primary key's prefix), then their
	// rows in one range of the primary key.
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	std::string from = after.value_or(std::string());
	std::vector<GroupMaintainers> groups;
	{
		Poco::Data::Statement statement(session);
		if (after)
			statement << "SELECT DISTINCT group_name FROM ec_group_maintainers WHERE org_id = ? AND group_name > ?"
						 " ORDER BY group_name LIMIT ?",
				use(orgId), useRef(from), use(rowsMax);
		else
			statement << "SELECT DISTINCT group_name FROM ec_group_maintainers WHERE org_id = ?"
						 " ORDER BY group_name LIMIT ?",
				use(orgId), use(rowsMax);
		statement.execute();
		Poco::Data::RecordSet rows(statement);
		for (std::size_t row = 0; row < rows.rowCount(); ++row)
			groups.push_back({rows.value(0, row).convert<std::string>(), {}});
	}
	if (groups.empty()) return groups;
	std::string first = groups.front().group;
	std::string last = groups.back().group;
	Poco::Data::Statement statement(session);
	statement << "SELECT group_name, member_id FROM ec_group_maintainers WHERE org_id = ? AND group_name >= ?"
				 " AND group_name <= ? ORDER BY group_name, member_id",
		use(orgId), useRef(first), useRef(last);
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::size_t at = 0;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
	{
		std::string group = rows.value(0, row).convert<std::string>();
		while (at < groups.size() && groups[at].group != group)
			++at;
		if (at == groups.size()) break;
		groups[at].maintainers.push_back(SqlValue::integer(rows.value(1, row)));
	}
	return groups;
}

} // namespace ExternalContacts
