#include "store/search/SearchCounts.h"

#include "store/SqlValue.h"
#include <algorithm>
#include <map>
#include <set>

namespace ExternalContacts
{

using Branch = ContactStore::Branch;

SearchCounts::SearchCounts(SqlDialect dialect) : _dialect(dialect) {}

std::vector<GroupCount> SearchCounts::exact(Poco::Data::Session& session, Branch branch, const ContactListQuery& query,
											const SearchAccess& a)
{
	// Every candidate matches: count without reading the contacts. A
	// matching company's group counts whole (all its contacts match); the
	// tokens add the contacts of the other groups.
	std::map<std::pair<int, std::string>, Poco::Int64> counts;
	std::set<std::pair<int, std::string>> whole;
	for (const SearchGroup& g : a.groups)
	{
		whole.insert({g.rank, g.name});
		if (branch != Branch::AddedBy) counts[{g.rank, g.name}] = g.count;
	}
	if (branch == Branch::AddedBy)
	{
		for (std::size_t i = 0; i < a.groups.size(); i += SearchAccess::GROUPS_PER_QUERY)
		{
			std::vector<SearchGroup> chunk(
				a.groups.begin() + static_cast<std::ptrdiff_t>(i),
				a.groups.begin() +
					static_cast<std::ptrdiff_t>(std::min(a.groups.size(), i + SearchAccess::GROUPS_PER_QUERY)));
			Poco::Data::RecordSet rows = groupCountSql(query, chunk).query(session);
			for (std::size_t row = 0; row < rows.rowCount(); ++row)
				if (SqlValue::integer(rows.value(2, row)) > 0)
					counts[{static_cast<int>(SqlValue::integer(rows.value(0, row))),
							rows.value(1, row).convert<std::string>()}] = SqlValue::integer(rows.value(2, row));
		}
	}
	if (!a.tokens.empty())
	{
		std::vector<std::string> tokens;
		for (const auto& t : a.tokens)
			tokens.push_back(t.first);
		Poco::Data::RecordSet rows = tokenCountSql(branch, query, tokens).query(session);
		for (std::size_t row = 0; row < rows.rowCount(); ++row)
		{
			if (SqlValue::integer(rows.value(2, row)) == 0) continue; // one group, none of its rows
			std::pair<int, std::string> group{static_cast<int>(SqlValue::integer(rows.value(0, row))),
											  rows.value(1, row).convert<std::string>()};
			if (!whole.count(group)) counts[group] += SqlValue::integer(rows.value(2, row));
		}
	}
	std::vector<GroupCount> result;
	for (const auto& entry : counts)
		if (entry.second > 0) result.push_back({entry.first.first, entry.first.second, entry.second});
	return result;
}

SqlStatement SearchCounts::tokenCountSql(Branch branch, const ContactListQuery& query,
										 const std::vector<std::string>& tokens) const
{
	// Index only unless the source or the adder must be looked at.
	bool join = query.source || branch == Branch::AddedBy;
	SqlStatement sql;
	// One group: no GROUP BY of its fixed columns (MariaDB would sort).
	sql << (branch == Branch::Group ? "SELECT MIN(s.group_rank), MIN(s.group_name), "
									: "SELECT s.group_rank, s.group_name, ")
		<< (tokens.size() == 1 ? "COUNT(*)" : "COUNT(DISTINCT s.contact_id)") << " FROM ec_contact_search s";
	if (join) sql << " " << _dialect.joinInOrder() << " ec_contacts c ON c.id = s.contact_id";
	sql << " WHERE s.org_id = ? AND s.token ";
	sql.integer(query.orgId);
	if (tokens.size() == 1)
	{
		sql << "= ?";
		sql.text(tokens.front());
	}
	else
	{
		sql.in(tokens);
	}
	if (branch == Branch::Group)
	{
		sql << " AND s.group_rank = ? AND s.group_name = ?";
		sql.smallInteger(query.groupRank).text(query.groupName);
	}
	if (branch == Branch::AddedBy)
	{
		sql << " AND c.added_by = ?";
		sql.integer(query.viewerId);
	}
	if (join) sql << " AND c.deleted_at IS NULL";
	SearchAccess::appendSource(sql, query);
	if (branch != Branch::Group) sql << " GROUP BY s.group_rank, s.group_name";
	return sql;
}

SqlStatement SearchCounts::groupCountSql(const ContactListQuery& query, const std::vector<SearchGroup>& groups) const
{
	// A member's contacts in some named groups: ranges of the adder index
	// (one group: a plain count, as a GROUP BY of fixed columns would sort).
	bool one = groups.size() == 1;
	SqlStatement sql;
	sql << (one ? "SELECT MIN(c.group_rank), MIN(c.group_name), COUNT(*)"
				: "SELECT c.group_rank, c.group_name, COUNT(*)")
		<< " FROM ec_contacts c" << _dialect.forceIndex("ix_ec_contacts_adder")
		<< " WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL AND c.group_rank = ? AND c.group_name";
	sql.integer(query.orgId).integer(query.viewerId).smallInteger(SortKey::GROUP_NAMED);
	if (one)
	{
		sql << " = ?";
		sql.text(groups.front().name);
	}
	else
	{
		sql << " ";
		sql.in(SearchGroup::names(groups));
	}
	SearchAccess::appendSource(sql, query);
	if (!one) sql << " GROUP BY c.group_rank, c.group_name";
	return sql;
}

} // namespace ExternalContacts
