#pragma once

#include "store/ContactStore.h"
#include "store/KeysetSql.h"
#include "store/SearchText.h"
#include <Poco/Data/Session.h>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ExternalContacts
{

class ContactSearch
/// The search access path of ContactStore::list() and groups() (a query
/// with search text). A search page is the merge, in SortKey order, of a
/// few streams that each read one index range from the cursor on:
///   - token: the rows of one token of ec_contact_search, already in list
///     order (its key is part of the primary key), joined to ec_contacts by
///     primary key;
///   - groups: the org's (or the member's) index range of every group whose
///     company holds the term, read from the group counts;
///   - walk: the branch's own list index with a LIKE pre-filter, for a
///     member's "mine" when it is small (and for "shared with me").
/// A stream is exact when every row it yields matches; rows of the other
/// streams are re-checked with SearchText::matches before they count. The
/// merge stops once the page is full, so a page costs about a page of rows
/// per exact stream, however common the term (docs/PERFORMANCE.md).
{
public:
	explicit ContactSearch(ContactStore& store);

	static constexpr std::size_t WALK_ALWAYS = 2000; /// "mine" up to this size is walked
	static constexpr std::size_t PROBE_CAP = 5000;   /// index rows a size probe counts at most
	static constexpr std::size_t GROUPS_PER_QUERY = 20;
	static constexpr std::size_t TERMS_WEIGHED = 4;     /// terms of a query whose candidates are counted
	static constexpr std::size_t GROUPS_CHECKED = 1000; /// companies a term is checked against by name

	std::vector<Contact> list(Poco::Data::Session& session, ContactStore::Branch branch, const ContactListQuery& query);

	std::vector<GroupCount> groups(Poco::Data::Session& session, ContactStore::Branch branch,
								   const ContactListQuery& query);

	std::vector<ContactStore::Plan> plansForTest(Poco::Data::Session& session, ContactStore::Branch branch,
												 const ContactListQuery& query);

private:
	struct Group
	{
		int rank;
		std::string name;
		Poco::Int64 count; /// live contacts (of query.source) in the org
	};

	struct Check
	/// A term the candidates are checked against: exactly by its token and
	/// the companies that hold it, or (not exact) by LIKE.
	{
		std::string term;
		std::string token;
		bool exact;
		std::vector<std::string> groups;
	};

	struct Access
	/// Where a search reads its candidates from.
	{
		SearchQuery query;
		bool byIndex = false;      /// inexact streams are filtered by checks, not by LIKE of every term
		std::vector<Check> checks; /// with byIndex: the terms other than the one read
		bool walk = false;         /// walk the branch (pre-filtered)
		std::vector<std::pair<std::string, bool>> tokens; /// (token, exact), each once
		std::vector<Group> groups;                        /// company matches, in list order
		bool groupsExact = false;
	};

	class Stream;
	class TokenStream;
	class GroupsStream;
	class WalkStream;
	using Visit = std::function<bool(const Contact&)>;

	Access access(Poco::Data::Session& session, ContactStore::Branch branch, const ContactListQuery& query);
	std::vector<std::vector<Group>> companyGroups(Poco::Data::Session& session, ContactStore::Branch branch,
												  const ContactListQuery& query, const std::vector<std::string>& terms);
	Poco::Int64 probeToken(Poco::Data::Session& session, ContactStore::Branch branch, const ContactListQuery& query,
						   const std::string& token);
	Poco::Int64 probeMine(Poco::Data::Session& session, const ContactListQuery& query, std::size_t cap);
	std::vector<std::unique_ptr<Stream>> streams(ContactStore::Branch branch, const ContactListQuery& query,
												 const Access& access);
	void merge(Poco::Data::Session& session, std::vector<std::unique_ptr<Stream>>& streams,
			   const ContactListQuery& query, const SearchQuery& search, std::size_t batch, const Visit& visit);
	std::vector<GroupCount> exactCounts(Poco::Data::Session& session, ContactStore::Branch branch,
										const ContactListQuery& query, const Access& access);
	SqlStatement tokenCountSql(ContactStore::Branch branch, const ContactListQuery& query,
							   const std::vector<std::string>& tokens) const;
	SqlStatement groupCountSql(ContactStore::Branch branch, const ContactListQuery& query,
							   const std::vector<Group>& groups) const;
	ContactStore::Filter filter(const Access& access, const KeysetSql& key) const;

	ContactStore& _store;
	Database::Dialect _dialect;
};

} // namespace ExternalContacts
