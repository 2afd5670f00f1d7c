#pragma once

#include "store/ContactStore.h"
#include "store/search/SearchAccess.h"
#include <Poco/Data/Session.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class SearchCounts
/// The group counts of a search whose every candidate matches, counted
/// without reading the contacts: a matching company's group counts whole
/// (all its contacts match); the tokens add the contacts of the other
/// groups, counted in the index.
{
public:
	explicit SearchCounts(SqlDialect dialect);

	std::vector<GroupCount> exact(Poco::Data::Session& session, ContactStore::Branch branch,
								  const ContactListQuery& query, const SearchAccess& access);
	/// The counts, in SortKey order, when no stream of access needs a
	/// re-check (see ContactSearch::groups()).

	SqlStatement tokenCountSql(ContactStore::Branch branch, const ContactListQuery& query,
							   const std::vector<std::string>& tokens) const;
	/// The contacts holding any of the tokens, per group.

	SqlStatement groupCountSql(const ContactListQuery& query, const std::vector<SearchGroup>& groups) const;
	/// A member's contacts in some named groups, per group.

private:
	SqlDialect _dialect;
};

} // namespace ExternalContacts
