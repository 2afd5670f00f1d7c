#pragma once

#include "store/ContactStore.h"
#include "store/search/SearchAccess.h"
#include <Poco/Data/Session.h>
#include <cstddef>
#include <string>
#include <vector>

namespace ExternalContacts
{

class SearchPlanner
/// Chooses where a search reads its candidates from (SearchAccess): the
/// token of the term with the fewest candidates, the groups whose company
/// holds it, and the checks of the other terms; or a walk of the branch
/// when that reads fewer rows. Probes count index rows only, each at most
/// PROBE_CAP.
{
public:
	explicit SearchPlanner(ContactStore& store);

	static constexpr std::size_t WALK_ALWAYS = 2000;    /// "mine" up to this size is walked
	static constexpr std::size_t PROBE_CAP = 5000;      /// index rows a size probe counts at most
	static constexpr std::size_t TERMS_WEIGHED = 4;     /// terms of a query whose candidates are counted
	static constexpr std::size_t GROUPS_CHECKED = 1000; /// companies a term is checked against by name

	SearchAccess plan(Poco::Data::Session& session, ContactStore::Branch branch, const ContactListQuery& query);
	/// The access of query (query.search set); query.matchesNothing() when
	/// no contact can match.

	static SqlStatement probeTokenSql(ContactStore::Branch branch, const ContactListQuery& query,
									  const std::string& token);
	/// How many rows the token has (at most PROBE_CAP): index only.

private:
	std::vector<std::vector<SearchGroup>> companyGroups(Poco::Data::Session& session, ContactStore::Branch branch,
														const ContactListQuery& query,
														const std::vector<std::string>& terms);
	Poco::Int64 probeToken(Poco::Data::Session& session, ContactStore::Branch branch, const ContactListQuery& query,
						   const std::string& token);
	Poco::Int64 probeMine(Poco::Data::Session& session, const ContactListQuery& query, std::size_t cap);

	ContactStore& _store;
	SqlDialect _dialect;
};

} // namespace ExternalContacts
