#pragma once

#include "store/ContactStore.h"
#include "store/SqlStatement.h"
#include <Poco/Data/Session.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactSearch
/// The search access path of ContactStore::list() and groups() (a query
/// with search text). A search page is the merge, in SortKey order, of a
/// few streams that each read one index range from the cursor on:
///   - SearchPlanner chooses the access: the token of the term with the
///     fewest candidates, the groups whose company holds it, or a walk;
///   - SearchStreams reads each index range (token, groups, walk), with
///     a pre-filter in SQL for the streams that are not exact;
///   - SearchMerge merges them, re-checking the inexact rows with
///     SearchText::matches, and stops once the page is full;
///   - SearchCounts counts the groups in the index when every candidate
///     matches.
/// So a page costs about a page of rows per exact stream, however common
/// the term (docs/PERFORMANCE.md).
{
public:
	explicit ContactSearch(ContactStore& store);

	std::vector<Contact> list(Poco::Data::Session& session, ContactStore::Branch branch, const ContactListQuery& query);

	std::vector<GroupCount> groups(Poco::Data::Session& session, ContactStore::Branch branch,
								   const ContactListQuery& query);

	struct Labelled
	/// One statement a search runs, named by its part.
	{
		std::string label;
		SqlStatement sql;
	};

	std::vector<Labelled> statements(Poco::Data::Session& session, ContactStore::Branch branch,
									 const ContactListQuery& query);
	/// The statements a search page and its group counts run after the
	/// access is chosen (query.search must be set; the probes that choose
	/// it run), labelled "token …", "groups …", "walk", "probe …",
	/// "count tokens", "count groups": built, not run, for their plans.

private:
	ContactStore& _store;
};

} // namespace ExternalContacts
