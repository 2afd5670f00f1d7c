#pragma once

#include "store/ContactStore.h"
#include "store/KeysetSql.h"
#include "store/search/SearchAccess.h"
#include <Poco/Data/Session.h>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class SearchStream
/// Rows of one index range in SortKey order, read from a key on. A
/// stream is exact when every row it yields matches; the rows of the
/// others are re-checked (SearchMerge).
{
public:
	SearchStream(Database& database, std::string label, bool exact) :
		_database(database), _label(std::move(label)), _exact(exact)
	{
	}
	virtual ~SearchStream() = default;

	virtual std::vector<Contact> fetch(Poco::Data::Session& session, const std::optional<SortKey>& after,
									   std::size_t n) = 0;
	/// Up to n rows after `after`, in SortKey order; fewer only at the end.

	virtual std::vector<SqlStatement> statements(const std::optional<SortKey>& after, std::size_t n) const = 0;
	/// The statements the first fetch(after, n) runs (for their plans).

	const std::string& label() const
	{
		return _label;
	}
	/// "token …", "groups …" or "walk".

	bool exact() const
	{
		return _exact;
	}

protected:
	Database& database() const
	{
		return _database;
	}

private:
	Database& _database;
	std::string _label;
	bool _exact;
};

class SearchStreams
/// The streams of a search access:
///   - token: the rows of one token of ec_contact_search, already in list
///     order (its key is part of the primary key), joined to ec_contacts by
///     primary key;
///   - groups: the org's (or the member's) index range of every group whose
///     company holds the term, read from the group counts;
///   - walk: the branch's own list index with a LIKE pre-filter, for a
///     member's "mine" when it is small (and for "shared with me").
/// Rows of an inexact stream that cannot match are dropped in SQL (the
/// pre-filter) before they are read and re-checked.
{
public:
	using List = std::vector<std::unique_ptr<SearchStream>>;

	static List of(ContactStore& store, ContactStore::Branch branch, const ContactListQuery& query,
				   const SearchAccess& access);

private:
	static ContactStore::Filter filter(SqlDialect dialect, const SearchAccess& access, const KeysetSql& key);
};

} // namespace ExternalContacts
