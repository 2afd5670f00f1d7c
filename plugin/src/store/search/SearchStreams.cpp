#include "store/search/SearchStreams.h"

#include "store/ContactRows.h"
#include <iterator>
#include <tuple>

namespace ExternalContacts
{

using Branch = ContactStore::Branch;

namespace
{

class OneStatementStream : public SearchStream
/// A stream that reads its rows with one statement.
{
public:
	using SearchStream::SearchStream;

	std::vector<Contact> fetch(Poco::Data::Session& session, const std::optional<SortKey>& after,
							   std::size_t n) override
	{
		return ContactRows::read(database(), session, sql(after, n));
	}

	std::vector<SqlStatement> statements(const std::optional<SortKey>& after, std::size_t n) const override
	{
		return {sql(after, n)};
	}

private:
	virtual SqlStatement sql(const std::optional<SortKey>& after, std::size_t n) const = 0;
	/// The statement of up to n rows after `after`.
};

class TokenStream : public OneStatementStream
/// The contacts of one token: an ec_contact_search primary-key range,
/// (org, token[, group]) then the list key, each joined to its contact.
{
public:
	TokenStream(ContactStore& store, Branch branch, const ContactListQuery& query, std::string token, bool exact,
				ContactStore::Filter filter) :
		OneStatementStream(store.database(), "token " + token, exact),
		_dialect(store.dialect()), _branch(branch), _query(query), _token(std::move(token)), _filter(std::move(filter))
	{
	}

private:
	SqlStatement sql(const std::optional<SortKey>& after, std::size_t n) const override
	{
		SqlStatement sql;
		// Start from the token's rows, then fetch each contact by key; the
		// join order is pinned (CROSS JOIN / STRAIGHT_JOIN) so the token's
		// order is the result's order.
		sql << "SELECT " << ContactRows::COLUMNS << " FROM ec_contact_search s " << _dialect.joinInOrder()
			<< " ec_contacts c ON c.id = s.contact_id WHERE s.org_id = ? AND s.token = ?";
		sql.integer(_query.orgId).text(_token);
		KeysetSql key = KeysetSql::of("s", "contact_id");
		if (_branch == Branch::Group)
		{
			sql << " AND s.group_rank = ? AND s.group_name = ?";
			sql.smallInteger(_query.groupRank).text(_query.groupName);
			if (after) key.afterInGroup(sql, _dialect, *after);
		}
		else if (after)
			key.after(sql, _dialect, *after);
		sql << " AND c.deleted_at IS NULL";
		if (_branch == Branch::AddedBy)
		{
			sql << " AND c.added_by = ?";
			sql.integer(_query.viewerId);
		}
		SearchAccess::appendSource(sql, _query);
		if (!exact()) _filter(sql);
		sql << (_branch == Branch::Group ? " ORDER BY s.name, s.contact_id"
										 : " ORDER BY s.group_rank, s.group_name, s.name, s.contact_id");
		sql << " LIMIT ?";
		sql.integer(static_cast<Poco::Int64>(n));
		return sql;
	}

	SqlDialect _dialect;
	Branch _branch;
	ContactListQuery _query;
	std::string _token;
	ContactStore::Filter _filter;
};

class GroupsStream : public SearchStream
/// The contacts of the groups whose company matches, group after group:
/// equality on (org[, adder], deleted_at, group_rank, group_name) of the
/// list index, so each group is one range in (name, id) order.
{
public:
	GroupsStream(ContactStore& store, Branch branch, const ContactListQuery& query, std::vector<SearchGroup> groups,
				 bool exact, ContactStore::Filter filter) :
		SearchStream(store.database(), "groups " + std::to_string(groups.size()), exact),
		_dialect(store.dialect()), _branch(branch), _query(query), _groups(std::move(groups)),
		_filter(std::move(filter))
	{
	}

	std::vector<Contact> fetch(Poco::Data::Session& session, const std::optional<SortKey>& after,
							   std::size_t n) override
	{
		std::vector<Contact> rows;
		plan(after, n, &rows, &session);
		return rows;
	}

	std::vector<SqlStatement> statements(const std::optional<SortKey>& after, std::size_t n) const override
	{
		return const_cast<GroupsStream*>(this)->plan(after, n, nullptr, nullptr);
	}

private:
	std::vector<SqlStatement> plan(const std::optional<SortKey>& after, std::size_t n, std::vector<Contact>* rows,
								   Poco::Data::Session* session)
	/// The statements for up to n rows after `after`; run and collected into
	/// rows when a session is given (stopping once n rows are there),
	/// else the statements of every step.
	{
		std::vector<SqlStatement> done;
		std::size_t i = 0;
		if (after)
		{
			auto afterGroup = std::make_tuple(after->groupRank, after->groupName);
			while (i < _groups.size() && std::make_tuple(_groups[i].rank, _groups[i].name) < afterGroup)
				++i;
			if (i < _groups.size() && std::make_tuple(_groups[i].rank, _groups[i].name) == afterGroup)
			{
				done.push_back(sql({_groups[i]}, after, n));
				if (session && run(*session, done.back(), n, *rows)) return done;
				++i;
			}
		}
		while (i < _groups.size())
		{
			std::vector<SearchGroup> chunk;
			for (; i < _groups.size() && chunk.size() < SearchAccess::GROUPS_PER_QUERY; ++i)
				chunk.push_back(_groups[i]);
			std::size_t wanted = rows ? n - rows->size() : n;
			done.push_back(sql(chunk, std::nullopt, wanted));
			if (session && run(*session, done.back(), n, *rows)) return done;
			if (!session) break; // the plan of one chunk stands for all
		}
		return done;
	}

	bool run(Poco::Data::Session& session, const SqlStatement& sql, std::size_t n, std::vector<Contact>& rows)
	/// True once rows holds n.
	{
		std::vector<Contact> part = ContactRows::read(database(), session, sql);
		std::move(part.begin(), part.end(), std::back_inserter(rows));
		return rows.size() >= n;
	}

	SqlStatement sql(const std::vector<SearchGroup>& groups, const std::optional<SortKey>& after, std::size_t n) const
	{
		SqlStatement sql;
		sql << "SELECT " << ContactRows::COLUMNS << " FROM ec_contacts c";
		if (_branch == Branch::AddedBy)
		{
			sql << _dialect.forceIndex("ix_ec_contacts_adder") << " WHERE c.org_id = ? AND c.added_by = ?";
			sql.integer(_query.orgId).integer(_query.viewerId);
		}
		else
		{
			sql << _dialect.forceIndex("ix_ec_contacts_org") << " WHERE c.org_id = ?";
			sql.integer(_query.orgId);
		}
		sql << " AND c.deleted_at IS NULL AND c.group_rank = ?";
		sql.smallInteger(groups.front().rank);
		if (groups.size() == 1)
		{
			sql << " AND c.group_name = ?";
			sql.text(groups.front().name);
			if (after) KeysetSql::of("c").afterInGroup(sql, _dialect, *after);
		}
		else
		{
			sql << " AND c.group_name ";
			sql.in(SearchGroup::names(groups));
		}
		SearchAccess::appendSource(sql, _query);
		if (!exact()) _filter(sql);
		sql << (groups.size() == 1 ? " ORDER BY c.name, c.id" : " ORDER BY c.group_name, c.name, c.id") << " LIMIT ?";
		sql.integer(static_cast<Poco::Int64>(n));
		return sql;
	}

	SqlDialect _dialect;
	Branch _branch;
	ContactListQuery _query;
	std::vector<SearchGroup> _groups; /// all of one group_rank (named groups), ascending names
	ContactStore::Filter _filter;
};

class WalkStream : public OneStatementStream
/// The branch's own list (its index, from the cursor), pre-filtered.
{
public:
	WalkStream(ContactStore& store, Branch branch, const ContactListQuery& query, ContactStore::Filter filter) :
		OneStatementStream(store.database(), "walk", false), _store(store), _branch(branch), _query(query),
		_filter(std::move(filter))
	{
	}

private:
	SqlStatement sql(const std::optional<SortKey>& after, std::size_t n) const override
	{
		ContactListQuery q = _query;
		q.after = after;
		q.limit = n;
		return _store.listSql(_branch, q, _filter);
	}

	ContactStore& _store;
	Branch _branch;
	ContactListQuery _query;
	ContactStore::Filter _filter;
};

// LIKE: every term is a substring (ASCII case ignored; MySQL ignores more)
// of the name, email, mobile or company - a superset of the term's rule.
void appendLike(SqlStatement& sql, SqlDialect dialect, const std::string& term)
{
	// Terms hold no separator, so no LIKE wildcard or escape.
	std::string pattern = "%" + term + "%";
	sql << "(" << dialect.unicodeCollated("c.name")
		<< " LIKE ? OR c.email LIKE ? OR c.mobile_key LIKE ? OR c.company LIKE ?)";
	sql.text(pattern).text(pattern).text(pattern).text(pattern);
}

} // namespace

ContactStore::Filter SearchStreams::filter(SqlDialect dialect, const SearchAccess& a, const KeysetSql& key)
{
	// Rows of an inexact stream that cannot match are dropped in SQL before
	// they are read and re-checked. A term with an exact token is checked
	// exactly with the index alone (its token in the row's key range, or
	// the row's group among the companies that hold it), so a stream need
	// not fetch a contact to drop it; other terms, and the phone digits,
	// by LIKE over the contact (a superset).
	return [a, key, dialect](SqlStatement& sql)
	{
		const SearchQuery& search = a.query;
		if (!a.byIndex)
		{
			sql << " AND (";
			bool any = false;
			if (!search.phoneDigits.empty())
			{
				sql << "c.mobile_key LIKE ?";
				sql.text("%" + search.phoneDigits + "%");
				any = true;
			}
			if (!search.terms.empty())
			{
				sql << (any ? " OR (" : "(");
				for (std::size_t i = 0; i < search.terms.size(); ++i)
				{
					if (i > 0) sql << " AND ";
					appendLike(sql, dialect, search.terms[i]);
				}
				sql << ")";
			}
			sql << ")";
			return;
		}
		for (const SearchCheck& check : a.checks)
		{
			sql << " AND ";
			if (!check.exact)
			{
				appendLike(sql, dialect, check.term);
				continue;
			}
			sql << "(EXISTS (SELECT 1 FROM ec_contact_search x WHERE x.org_id = " << key.org
				<< " AND x.token = ? AND x.group_rank = " << key.rank << " AND x.group_name = " << key.group
				<< " AND x.name = " << key.name << " AND x.contact_id = " << key.id << ")";
			sql.text(check.token);
			if (!check.groups.empty())
			{
				sql << " OR (" << key.rank << " = ? AND " << key.group << " ";
				sql.smallInteger(SortKey::GROUP_NAMED);
				sql.in(check.groups);
				sql << ")";
			}
			sql << ")";
		}
	};
}

SearchStreams::List SearchStreams::of(ContactStore& store, Branch branch, const ContactListQuery& query,
									  const SearchAccess& access)
{
	List list;
	ContactStore::Filter byContact = filter(store.dialect(), access, KeysetSql::of("c"));
	if (access.walk)
	{
		list.push_back(std::make_unique<WalkStream>(store, branch, query, byContact));
		return list;
	}
	ContactStore::Filter byToken = filter(store.dialect(), access, KeysetSql::of("s", "contact_id"));
	for (const auto& token : access.tokens)
		list.push_back(std::make_unique<TokenStream>(store, branch, query, token.first, token.second, byToken));
	if (!access.groups.empty())
		list.push_back(
			std::make_unique<GroupsStream>(store, branch, query, access.groups, access.groupsExact, byContact));
	return list;
}

} // namespace ExternalContacts
