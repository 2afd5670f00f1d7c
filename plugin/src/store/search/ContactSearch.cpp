#include "store/search/ContactSearch.h"

#include "store/search/SearchCounts.h"
#include "store/search/SearchMerge.h"
#include "store/search/SearchPlanner.h"
#include "store/search/SearchStreams.h"
#include <map>

namespace ExternalContacts
{

using Branch = ContactStore::Branch;

ContactSearch::ContactSearch(ContactStore& store) : _store(store) {}

std::vector<Contact> ContactSearch::list(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	std::vector<Contact> page;
	SearchAccess a = SearchPlanner(_store).plan(session, branch, query);
	if (a.query.matchesNothing()) return page;
	SearchStreams::List all = SearchStreams::of(_store, branch, query, a);
	SearchMerge::run(session, all, query, a.query, query.limit,
					 [&](const Contact& c)
					 {
						 page.push_back(c);
						 return page.size() < query.limit;
					 });
	return page;
}

std::vector<GroupCount> ContactSearch::groups(Poco::Data::Session& session, Branch branch,
											  const ContactListQuery& query)
{
	SearchAccess a = SearchPlanner(_store).plan(session, branch, query);
	if (a.query.matchesNothing()) return {};
	bool exact = !a.walk && (a.groups.empty() || a.groupsExact);
	for (const auto& t : a.tokens)
		exact = exact && t.second;
	if (exact) return SearchCounts(_store.dialect()).exact(session, branch, query, a);
	// Otherwise every candidate is read and re-checked.
	std::map<std::pair<int, std::string>, Poco::Int64> counts;
	SearchStreams::List all = SearchStreams::of(_store, branch, query, a);
	ContactListQuery from = query;
	from.after.reset();
	SearchMerge::run(session, all, from, a.query, 1000,
					 [&](const Contact& c)
					 {
						 SortKey key = c.sortKey();
						 ++counts[{key.groupRank, key.groupName}];
						 return true;
					 });
	std::vector<GroupCount> result;
	for (const auto& entry : counts)
		result.push_back({entry.first.first, entry.first.second, entry.second});
	return result;
}

std::vector<ContactSearch::Labelled> ContactSearch::statements(Poco::Data::Session& session, Branch branch,
															   const ContactListQuery& query)
{
	std::vector<Labelled> all;
	SearchAccess a = SearchPlanner(_store).plan(session, branch, query);
	for (const auto& stream : SearchStreams::of(_store, branch, query, a))
		for (SqlStatement& sql : stream->statements(query.after, query.limit))
			all.push_back({stream->label(), std::move(sql)});
	if (!a.walk)
	{
		SearchCounts counts(_store.dialect());
		std::vector<std::string> tokens;
		for (const auto& t : a.tokens)
		{
			tokens.push_back(t.first);
			all.push_back({"probe " + t.first, SearchPlanner::probeTokenSql(branch, query, t.first)});
		}
		if (!tokens.empty()) all.push_back({"count tokens", counts.tokenCountSql(branch, query, tokens)});
		if (!a.groups.empty() && branch == Branch::AddedBy)
			all.push_back({"count groups", counts.groupCountSql(query, a.groups)});
	}
	return all;
}

} // namespace ExternalContacts
