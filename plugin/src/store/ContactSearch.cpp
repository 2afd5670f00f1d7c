#include "store/ContactSearch.h"

#include "store/ContactRows.h"
#include "store/KeysetSql.h"
#include "store/SqlValue.h"
#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>

namespace ExternalContacts
{

using Branch = ContactStore::Branch;

namespace
{

bool mysql(Database::Dialect dialect)
{
	return dialect == Database::Dialect::MySQL;
}

std::string hint(Database::Dialect dialect, const std::string& index)
{
	return mysql(dialect) ? " FORCE INDEX (" + index + ")" : std::string();
}

void appendSource(SqlStatement& sql, const ContactListQuery& query)
{
	if (!query.source) return;
	sql << " AND c.source = ?";
	sql.text(toString(*query.source));
}

} // namespace

// ---- streams ---------------------------------------------------------------

class ContactSearch::Stream
/// Rows of one index range in SortKey order, read from a key on.
{
public:
	Stream(std::string label, bool exact) : _label(std::move(label)), _exact(exact) {}
	virtual ~Stream() = default;

	virtual std::vector<Contact> fetch(Poco::Data::Session& session, const std::optional<SortKey>& after,
									   std::size_t n) = 0;
	/// Up to n rows after `after`, in SortKey order; fewer only at the end.

	virtual std::vector<SqlStatement> statements(const std::optional<SortKey>& after, std::size_t n) const = 0;
	/// The statements the first fetch(after, n) runs (for the plan tests).

	const std::string& label() const
	{
		return _label;
	}

	bool exact() const
	{
		return _exact;
	}

private:
	std::string _label;
	bool _exact;
};

class ContactSearch::TokenStream : public Stream
/// The contacts of one token: an ec_contact_search primary-key range,
/// (org, token[, group]) then the list key, each joined to its contact.
{
public:
	TokenStream(Database::Dialect dialect, Branch branch, const ContactListQuery& query, std::string token, bool exact,
				ContactStore::Filter filter) :
		Stream("token " + token, exact),
		_dialect(dialect), _branch(branch), _query(query), _token(std::move(token)), _filter(std::move(filter))
	{
	}

	std::vector<Contact> fetch(Poco::Data::Session& session, const std::optional<SortKey>& after,
							   std::size_t n) override
	{
		return ContactRows::all(sql(after, n).query(session));
	}

	std::vector<SqlStatement> statements(const std::optional<SortKey>& after, std::size_t n) const override
	{
		return {sql(after, n)};
	}

private:
	SqlStatement sql(const std::optional<SortKey>& after, std::size_t n) const
	{
		SqlStatement sql;
		// Start from the token's rows, then fetch each contact by key; the
		// join order is pinned (CROSS JOIN / STRAIGHT_JOIN) so the token's
		// order is the result's order.
		sql << "SELECT " << ContactRows::COLUMNS << " FROM ec_contact_search s "
			<< (mysql(_dialect) ? "STRAIGHT_JOIN" : "CROSS JOIN")
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
		appendSource(sql, _query);
		if (!exact()) _filter(sql);
		sql << (_branch == Branch::Group ? " ORDER BY s.name, s.contact_id"
										 : " ORDER BY s.group_rank, s.group_name, s.name, s.contact_id");
		sql << " LIMIT ?";
		sql.integer(static_cast<Poco::Int64>(n));
		return sql;
	}

	Database::Dialect _dialect;
	Branch _branch;
	ContactListQuery _query;
	std::string _token;
	ContactStore::Filter _filter;
};

class ContactSearch::GroupsStream : public Stream
/// The contacts of the groups whose company matches, group after group:
/// equality on (org[, adder], deleted_at, group_rank, group_name) of the
/// list index, so each group is one range in (name, id) order.
{
public:
	GroupsStream(Database::Dialect dialect, Branch branch, const ContactListQuery& query, std::vector<Group> groups,
				 bool exact, ContactStore::Filter filter) :
		Stream("groups " + std::to_string(groups.size()), exact),
		_dialect(dialect), _branch(branch), _query(query), _groups(std::move(groups)), _filter(std::move(filter))
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
			std::vector<Group> chunk;
			for (; i < _groups.size() && chunk.size() < GROUPS_PER_QUERY; ++i)
				chunk.push_back(_groups[i]);
			std::size_t wanted = rows ? n - rows->size() : n;
			done.push_back(sql(chunk, std::nullopt, wanted));
			if (session && run(*session, done.back(), n, *rows)) return done;
			if (!session) break; // the plan of one chunk stands for all
		}
		return done;
	}

	static bool run(Poco::Data::Session& session, const SqlStatement& sql, std::size_t n, std::vector<Contact>& rows)
	/// True once rows holds n.
	{
		std::vector<Contact> part = ContactRows::all(sql.query(session));
		std::move(part.begin(), part.end(), std::back_inserter(rows));
		return rows.size() >= n;
	}

	SqlStatement sql(const std::vector<Group>& groups, const std::optional<SortKey>& after, std::size_t n) const
	{
		SqlStatement sql;
		sql << "SELECT " << ContactRows::COLUMNS << " FROM ec_contacts c";
		if (_branch == Branch::AddedBy)
		{
			sql << hint(_dialect, "ix_ec_contacts_adder") << " WHERE c.org_id = ? AND c.added_by = ?";
			sql.integer(_query.orgId).integer(_query.viewerId);
		}
		else
		{
			sql << hint(_dialect, "ix_ec_contacts_org") << " WHERE c.org_id = ?";
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
			sql << " AND c.group_name IN (";
			for (std::size_t i = 0; i < groups.size(); ++i)
			{
				sql << (i == 0 ? "?" : ", ?");
				sql.text(groups[i].name);
			}
			sql << ")";
		}
		appendSource(sql, _query);
		if (!exact()) _filter(sql);
		sql << (groups.size() == 1 ? " ORDER BY c.name, c.id" : " ORDER BY c.group_name, c.name, c.id") << " LIMIT ?";
		sql.integer(static_cast<Poco::Int64>(n));
		return sql;
	}

	Database::Dialect _dialect;
	Branch _branch;
	ContactListQuery _query;
	std::vector<Group> _groups; /// all of one group_rank (named groups), ascending names
	ContactStore::Filter _filter;
};

class ContactSearch::WalkStream : public Stream
/// The branch's own list (its index, from the cursor), pre-filtered.
{
public:
	WalkStream(ContactStore& store, Branch branch, const ContactListQuery& query, ContactStore::Filter filter) :
		Stream("walk", false), _store(store), _branch(branch), _query(query), _filter(std::move(filter))
	{
	}

	std::vector<Contact> fetch(Poco::Data::Session& session, const std::optional<SortKey>& after,
							   std::size_t n) override
	{
		return ContactRows::all(sql(after, n).query(session));
	}

	std::vector<SqlStatement> statements(const std::optional<SortKey>& after, std::size_t n) const override
	{
		return {sql(after, n)};
	}

private:
	SqlStatement sql(const std::optional<SortKey>& after, std::size_t n) const
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

// ---- the search ----------------------------------------------------------------

ContactSearch::ContactSearch(ContactStore& store) : _store(store), _dialect(store._dialect) {}

namespace
{

// LIKE: every term is a substring (ASCII case ignored; MySQL ignores more)
// of the name, email, mobile or company - a superset of the term's rule.
void appendLike(SqlStatement& sql, Database::Dialect dialect, const std::string& term)
{
	// Terms hold no separator, so no LIKE wildcard or escape.
	std::string pattern = "%" + term + "%";
	sql << "(" << (mysql(dialect) ? "c.name COLLATE utf8mb4_unicode_ci" : "c.name")
		<< " LIKE ? OR c.email LIKE ? OR c.mobile_key LIKE ? OR c.company LIKE ?)";
	sql.text(pattern).text(pattern).text(pattern).text(pattern);
}

} // namespace

ContactStore::Filter ContactSearch::filter(const Access& a, const KeysetSql& key) const
{
	// Rows of an inexact stream that cannot match are dropped in SQL before
	// they are read and re-checked. A term with an exact token is checked
	// exactly with the index alone (its token in the row's key range, or
	// the row's group among the companies that hold it), so a stream need
	// not fetch a contact to drop it; other terms, and the phone digits,
	// by LIKE over the contact (a superset).
	Database::Dialect dialect = _dialect;
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
		for (const Check& check : a.checks)
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
				sql << " OR (" << key.rank << " = ? AND " << key.group << " IN (";
				sql.smallInteger(SortKey::GROUP_NAMED);
				for (std::size_t i = 0; i < check.groups.size(); ++i)
				{
					sql << (i == 0 ? "?" : ", ?");
					sql.text(check.groups[i]);
				}
				sql << "))";
			}
			sql << ")";
		}
	};
}

std::vector<std::vector<ContactSearch::Group>> ContactSearch::companyGroups(Poco::Data::Session& session, Branch branch,
																			const ContactListQuery& query,
																			const std::vector<std::string>& terms)
{
	std::vector<std::vector<Group>> groups(terms.size());
	if (branch == Branch::Group)
	{
		if (query.groupRank != SortKey::GROUP_NAMED) return groups;
		Poco::Int64 n = -1;
		for (std::size_t t = 0; t < terms.size(); ++t)
		{
			if (!SearchText::termMatchesCompany(terms[t], query.groupName)) continue;
			if (n < 0)
			{
				Poco::Data::RecordSet rows = _store.countsSql(Branch::Group, query).query(session);
				n = rows.rowCount() && !rows.value(2, 0).isEmpty() ? SqlValue::integer(rows.value(2, 0)) : 0;
			}
			if (n > 0) groups[t].push_back({query.groupRank, query.groupName, n});
		}
		return groups;
	}
	// The org's named groups whose name holds a term: one LIKE scan of the
	// kept counts (a superset: case and more ignored), then the exact rule
	// per term.
	std::string name = mysql(_dialect) ? "g.group_name COLLATE utf8mb4_unicode_ci" : "g.group_name";
	SqlStatement sql;
	sql << "SELECT g.group_name, " << (mysql(_dialect) ? "CAST(SUM(g.n) AS SIGNED)" : "SUM(g.n)")
		<< " FROM ec_group_counts g WHERE g.org_id = ? AND g.group_rank = ? AND (";
	sql.integer(query.orgId).smallInteger(SortKey::GROUP_NAMED);
	for (std::size_t t = 0; t < terms.size(); ++t)
	{
		sql << (t == 0 ? "" : " OR ") << name << " LIKE ?";
		sql.text("%" + terms[t] + "%");
	}
	sql << ")";
	if (query.source)
	{
		sql << " AND g.source = ?";
		sql.text(toString(*query.source));
	}
	sql << " GROUP BY g.group_name ORDER BY g.group_name";
	Poco::Data::RecordSet rows = sql.query(session);
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
	{
		std::string group = rows.value(0, row).convert<std::string>();
		Poco::Int64 n = SqlValue::integer(rows.value(1, row));
		if (n <= 0) continue;
		for (std::size_t t = 0; t < terms.size(); ++t)
			if (SearchText::termMatchesCompany(terms[t], group)) groups[t].push_back({SortKey::GROUP_NAMED, group, n});
	}
	return groups;
}

Poco::Int64 ContactSearch::probeToken(Poco::Data::Session& session, Branch branch, const ContactListQuery& query,
									  const std::string& token)
{
	// How many rows the token has (at most PROBE_CAP): index only.
	SqlStatement sql;
	sql << "SELECT COUNT(*) FROM (SELECT 1 FROM ec_contact_search s WHERE s.org_id = ? AND s.token = ?";
	sql.integer(query.orgId).text(token);
	if (branch == Branch::Group)
	{
		sql << " AND s.group_rank = ? AND s.group_name = ?";
		sql.smallInteger(query.groupRank).text(query.groupName);
	}
	sql << " LIMIT ?) x";
	sql.integer(static_cast<Poco::Int64>(PROBE_CAP));
	return SqlValue::integer(sql.query(session).value(0, 0));
}

Poco::Int64 ContactSearch::probeMine(Poco::Data::Session& session, const ContactListQuery& query, std::size_t cap)
{
	SqlStatement sql;
	sql << "SELECT COUNT(*) FROM (SELECT 1 FROM ec_contacts c" << hint(_dialect, "ix_ec_contacts_adder")
		<< " WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL LIMIT ?) x";
	sql.integer(query.orgId).integer(query.viewerId).integer(static_cast<Poco::Int64>(cap));
	return SqlValue::integer(sql.query(session).value(0, 0));
}

ContactSearch::Access ContactSearch::access(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	Access a;
	a.query = SearchText::parse(query.search);
	if (a.query.matchesNothing()) return a;
	if (branch == Branch::SharedWith)
	{
		// One member's share rows: few, walked with the pre-filter.
		a.walk = true;
		return a;
	}
	if (branch == Branch::AddedBy &&
		probeMine(session, query, WALK_ALWAYS + 1) <= static_cast<Poco::Int64>(WALK_ALWAYS))
	{
		a.walk = true;
		return a;
	}
	auto addToken = [&](const std::string& token, bool exact)
	{
		for (auto& t : a.tokens)
			if (t.first == token)
			{
				t.second = t.second || exact;
				return;
			}
		a.tokens.emplace_back(token, exact);
	};
	const std::vector<std::string>& terms = a.query.terms;
	if (!terms.empty())
	{
		// Every match holds every term: read the candidates of the term
		// that has the fewest (probed only when there is a choice). At most
		// TERMS_WEIGHED terms (the longest) are weighed: any term's
		// candidates hold every match, so this bounds the probes of a long
		// query, not its result.
		struct Choice
		{
			std::string term;
			std::string token;
			bool exact; /// every row of token matches term
			std::vector<Group> groups;
			Poco::Int64 cost;
		};
		std::vector<std::string> weighed = terms;
		std::stable_sort(weighed.begin(), weighed.end(),
						 [](const std::string& x, const std::string& y)
						 { return SearchText::length(x) > SearchText::length(y); });
		if (weighed.size() > TERMS_WEIGHED) weighed.resize(TERMS_WEIGHED);
		std::vector<std::vector<Group>> companies = companyGroups(session, branch, query, weighed);
		std::vector<Choice> choices;
		for (std::size_t i = 0; i < weighed.size(); ++i)
		{
			Choice c;
			c.term = weighed[i];
			c.groups = std::move(companies[i]);
			c.cost = 0;
			for (const Group& g : c.groups)
				c.cost += g.count;
			if (SearchText::isIdeographic(c.term) && SearchText::length(c.term) >= 3)
			{
				// Any of its pairs is a token of every text holding it.
				Poco::Int64 fewest = -1;
				for (const std::string& pair : SearchText::bigrams(c.term))
				{
					Poco::Int64 n = probeToken(session, branch, query, pair);
					if (fewest < 0 || n < fewest)
					{
						fewest = n;
						c.token = pair;
					}
				}
				c.exact = false;
				c.cost += fewest;
			}
			else
			{
				c.token = SearchText::lookupToken(c.term, c.exact);
				if (terms.size() > 1) c.cost += probeToken(session, branch, query, c.token);
			}
			choices.push_back(std::move(c));
		}
		std::size_t best = 0;
		for (std::size_t i = 1; i < choices.size(); ++i)
			if (choices[i].cost < choices[best].cost) best = i;
		const Choice& chosen = choices[best];
		addToken(chosen.token, chosen.exact && terms.size() == 1);
		a.groups = chosen.groups;
		a.groupsExact = terms.size() == 1;
		// The other terms, checked on every candidate of the chosen one.
		a.byIndex = a.query.phoneDigits.empty();
		if (!chosen.exact) a.checks.push_back({chosen.term, std::string(), false, {}});
		for (const std::string& term : terms)
		{
			if (term == chosen.term) continue;
			auto c = std::find_if(choices.begin(), choices.end(), [&](const Choice& x) { return x.term == term; });
			Check check{term, std::string(), false, {}};
			if (c != choices.end() && c->exact && c->groups.size() <= GROUPS_CHECKED)
			{
				check.token = c->token;
				check.exact = true;
				for (const Group& g : c->groups)
					check.groups.push_back(g.name);
			}
			a.checks.push_back(std::move(check));
		}
	}
	const std::string& digits = a.query.phoneDigits;
	if (!digits.empty())
	{
		bool single = terms.size() == 1 && terms.front() == digits;
		addToken(SearchText::prefixToken(digits), single && digits.size() <= SearchText::PREFIX_MAX);
		if (digits.size() >= SearchText::SUFFIX_DIGITS)
			addToken(SearchText::suffixToken(digits), digits.size() == SearchText::SUFFIX_DIGITS);
	}
	if (branch == Branch::AddedBy)
	{
		// A member with many contacts: walk them unless the candidates are
		// fewer (both bounds are what the worst page reads).
		Poco::Int64 candidates = 0;
		for (const auto& t : a.tokens)
			candidates += probeToken(session, branch, query, t.first);
		for (const Group& g : a.groups)
			candidates += g.count;
		std::size_t cap = static_cast<std::size_t>(std::min<Poco::Int64>(candidates, PROBE_CAP)) + 1;
		if (probeMine(session, query, cap) < static_cast<Poco::Int64>(cap))
		{
			a.walk = true;
			a.byIndex = false;
			a.tokens.clear();
			a.groups.clear();
			a.checks.clear();
		}
	}
	return a;
}

std::vector<std::unique_ptr<ContactSearch::Stream>> ContactSearch::streams(Branch branch, const ContactListQuery& query,
																		   const Access& access)
{
	std::vector<std::unique_ptr<Stream>> list;
	ContactStore::Filter byContact = filter(access, KeysetSql::of("c"));
	if (access.walk)
	{
		list.push_back(std::make_unique<WalkStream>(_store, branch, query, byContact));
		return list;
	}
	ContactStore::Filter byToken = filter(access, KeysetSql::of("s", "contact_id"));
	for (const auto& token : access.tokens)
		list.push_back(std::make_unique<TokenStream>(_dialect, branch, query, token.first, token.second, byToken));
	if (!access.groups.empty())
		list.push_back(
			std::make_unique<GroupsStream>(_dialect, branch, query, access.groups, access.groupsExact, byContact));
	return list;
}

void ContactSearch::merge(Poco::Data::Session& session, std::vector<std::unique_ptr<Stream>>& streams,
						  const ContactListQuery& query, const SearchQuery& search, std::size_t batch,
						  const Visit& visit)
{
	struct Head
	{
		Stream* stream;
		std::deque<std::pair<SortKey, Contact>> rows;
		std::optional<SortKey> last;
		bool done = false;
		std::size_t batch;
	};
	std::vector<Head> heads;
	for (auto& s : streams)
	{
		// A stream that is re-checked may lose rows: read more at a time.
		std::size_t n = s->exact() ? batch : std::max<std::size_t>(batch, 200);
		heads.push_back({s.get(), {}, query.after, false, n});
	}
	Poco::Int64 lastId = 0;
	for (;;)
	{
		Head* next = nullptr;
		for (Head& h : heads)
		{
			if (h.rows.empty() && !h.done)
			{
				std::vector<Contact> rows = h.stream->fetch(session, h.last, h.batch);
				h.done = rows.size() < h.batch;
				for (Contact& c : rows)
				{
					SortKey key = c.sortKey();
					h.rows.emplace_back(key, std::move(c));
				}
				if (!h.rows.empty()) h.last = h.rows.back().first;
			}
			if (!h.rows.empty() && (!next || h.rows.front().first < next->rows.front().first)) next = &h;
		}
		if (!next) return;
		std::pair<SortKey, Contact> row = std::move(next->rows.front());
		next->rows.pop_front();
		// The same contact from two streams has the same key: it comes twice
		// in a row.
		if (row.second.id == lastId) continue;
		lastId = row.second.id;
		const Contact& c = row.second;
		if (!next->stream->exact() && !SearchText::matches(search, c.name, c.email, c.mobile, c.company)) continue;
		if (!visit(c)) return;
	}
}

std::vector<Contact> ContactSearch::list(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	std::vector<Contact> page;
	Access a = access(session, branch, query);
	if (a.query.matchesNothing()) return page;
	std::vector<std::unique_ptr<Stream>> all = streams(branch, query, a);
	merge(session, all, query, a.query, query.limit,
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
	Access a = access(session, branch, query);
	if (a.query.matchesNothing()) return {};
	bool exact = !a.walk && (a.groups.empty() || a.groupsExact);
	for (const auto& t : a.tokens)
		exact = exact && t.second;
	if (exact) return exactCounts(session, branch, query, a);
	// Otherwise every candidate is read and re-checked.
	std::map<std::pair<int, std::string>, Poco::Int64> counts;
	std::vector<std::unique_ptr<Stream>> all = streams(branch, query, a);
	ContactListQuery from = query;
	from.after.reset();
	merge(session, all, from, a.query, 1000,
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

SqlStatement ContactSearch::tokenCountSql(Branch branch, const ContactListQuery& query,
										  const std::vector<std::string>& tokens) const
{
	// Index only unless the source or the adder must be looked at.
	bool join = query.source || branch == Branch::AddedBy;
	SqlStatement sql;
	// One group: no GROUP BY of its fixed columns (MariaDB would sort).
	sql << (branch == Branch::Group ? "SELECT MIN(s.group_rank), MIN(s.group_name), "
									: "SELECT s.group_rank, s.group_name, ")
		<< (tokens.size() == 1 ? "COUNT(*)" : "COUNT(DISTINCT s.contact_id)") << " FROM ec_contact_search s";
	if (join) sql << (mysql(_dialect) ? " STRAIGHT_JOIN" : " CROSS JOIN") << " ec_contacts c ON c.id = s.contact_id";
	sql << " WHERE s.org_id = ? AND s.token ";
	sql.integer(query.orgId);
	if (tokens.size() == 1)
	{
		sql << "= ?";
		sql.text(tokens.front());
	}
	else
	{
		sql << "IN (";
		for (std::size_t i = 0; i < tokens.size(); ++i)
		{
			sql << (i == 0 ? "?" : ", ?");
			sql.text(tokens[i]);
		}
		sql << ")";
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
	appendSource(sql, query);
	if (branch != Branch::Group) sql << " GROUP BY s.group_rank, s.group_name";
	return sql;
}

SqlStatement ContactSearch::groupCountSql(Branch branch, const ContactListQuery& query,
										  const std::vector<Group>& groups) const
{
	// A member's contacts in some named groups: ranges of the adder index
	// (one group: a plain count, as a GROUP BY of fixed columns would sort).
	(void)branch;
	bool one = groups.size() == 1;
	SqlStatement sql;
	sql << (one ? "SELECT MIN(c.group_rank), MIN(c.group_name), COUNT(*)"
				: "SELECT c.group_rank, c.group_name, COUNT(*)")
		<< " FROM ec_contacts c" << hint(_dialect, "ix_ec_contacts_adder")
		<< " WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL AND c.group_rank = ? AND c.group_name";
	sql.integer(query.orgId).integer(query.viewerId).smallInteger(SortKey::GROUP_NAMED);
	if (one)
	{
		sql << " = ?";
		sql.text(groups.front().name);
	}
	else
	{
		sql << " IN (";
		for (std::size_t i = 0; i < groups.size(); ++i)
		{
			sql << (i == 0 ? "?" : ", ?");
			sql.text(groups[i].name);
		}
		sql << ")";
	}
	appendSource(sql, query);
	if (!one) sql << " GROUP BY c.group_rank, c.group_name";
	return sql;
}

std::vector<GroupCount> ContactSearch::exactCounts(Poco::Data::Session& session, Branch branch,
												   const ContactListQuery& query, const Access& a)
{
	// Every candidate matches: count without reading the contacts. A
	// matching company's group counts whole (all its contacts match); the
	// tokens add the contacts of the other groups.
	std::map<std::pair<int, std::string>, Poco::Int64> counts;
	std::set<std::pair<int, std::string>> whole;
	for (const Group& g : a.groups)
	{
		whole.insert({g.rank, g.name});
		if (branch != Branch::AddedBy) counts[{g.rank, g.name}] = g.count;
	}
	if (branch == Branch::AddedBy)
	{
		for (std::size_t i = 0; i < a.groups.size(); i += GROUPS_PER_QUERY)
		{
			std::vector<Group> chunk(a.groups.begin() + static_cast<std::ptrdiff_t>(i),
									 a.groups.begin() +
										 static_cast<std::ptrdiff_t>(std::min(a.groups.size(), i + GROUPS_PER_QUERY)));
			Poco::Data::RecordSet rows = groupCountSql(branch, query, chunk).query(session);
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

std::vector<ContactStore::Plan> ContactSearch::plansForTest(Poco::Data::Session& session, Branch branch,
															const ContactListQuery& query)
{
	std::vector<ContactStore::Plan> plans;
	Access a = access(session, branch, query);
	for (const auto& stream : streams(branch, query, a))
		for (const SqlStatement& sql : stream->statements(query.after, query.limit))
			plans.push_back({stream->label(), _store.plan(session, sql)});
	if (!a.walk)
	{
		std::vector<std::string> tokens;
		for (const auto& t : a.tokens)
		{
			tokens.push_back(t.first);
			SqlStatement probe;
			probe << "SELECT COUNT(*) FROM (SELECT 1 FROM ec_contact_search s WHERE s.org_id = ? AND s.token = ?"
					 " LIMIT ?) x";
			probe.integer(query.orgId).text(t.first).integer(static_cast<Poco::Int64>(PROBE_CAP));
			plans.push_back({"probe " + t.first, _store.plan(session, probe)});
		}
		if (!tokens.empty())
			plans.push_back({"count tokens", _store.plan(session, tokenCountSql(branch, query, tokens))});
		if (!a.groups.empty() && branch == Branch::AddedBy)
			plans.push_back({"count groups", _store.plan(session, groupCountSql(branch, query, a.groups))});
	}
	return plans;
}

} // namespace ExternalContacts
