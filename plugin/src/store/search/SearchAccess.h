#pragma once

#include "store/ContactListQuery.h"
#include "store/SearchText.h"
#include "store/SqlStatement.h"
#include <Poco/Types.h>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ExternalContacts
{

struct SearchGroup
/// A group whose company holds a search term, with its size.
{
	int rank;
	std::string name;
	Poco::Int64 count; /// live contacts (of query.source) in the org

	static std::vector<std::string> names(const std::vector<SearchGroup>& groups)
	{
		std::vector<std::string> names;
		for (const SearchGroup& g : groups)
			names.push_back(g.name);
		return names;
	}
};

struct SearchCheck
/// A term the candidates are checked against: exactly by its token and
/// the companies that hold it, or (not exact) by LIKE.
{
	std::string term;
	std::string token;
	bool exact;
	std::vector<std::string> groups;
};

struct SearchAccess
/// Where a search reads its candidates from: SearchPlanner's choice,
/// which SearchStreams reads and SearchCounts counts.
{
	static constexpr std::size_t GROUPS_PER_QUERY = 20; /// groups one statement reads or counts

	SearchQuery query;
	bool byIndex = false;            /// inexact streams are filtered by checks, not by LIKE of every term
	std::vector<SearchCheck> checks; /// with byIndex: the terms other than the one read
	bool walk = false;               /// walk the branch (pre-filtered)
	std::vector<std::pair<std::string, bool>> tokens; /// (token, exact), each once
	std::vector<SearchGroup> groups;                  /// company matches, in list order
	bool groupsExact = false;

	static void appendSource(SqlStatement& sql, const ContactListQuery& query)
	/// " AND c.source = ?" when the query names a source.
	{
		if (!query.source) return;
		sql << " AND c.source = ?";
		sql.text(toString(*query.source));
	}
};

} // namespace ExternalContacts
