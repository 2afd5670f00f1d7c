#include "store/search/SearchPlanner.h"

#include "store/SqlValue.h"
#include <algorithm>

namespace ExternalContacts
{

using Branch = ContactStore::Branch;

SearchPlanner::SearchPlanner(ContactStore& store) : _store(store), _dialect(store.dialect()) {}

std::vector<std::vector<SearchGroup>> SearchPlanner::companyGroups(Poco::Data::Session& session, Branch branch,
																   const ContactListQuery& query,
																   const std::vector<std::string>& terms)
{
	std::vector<std::vector<SearchGroup>> groups(terms.size());
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
	std::string name = _dialect.unicodeCollated("g.group_name");
	SqlStatement sql;
	sql << "SELECT g.group_name, " << _dialect.integerSum("g.n")
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

SqlStatement SearchPlanner::probeTokenSql(Branch branch, const ContactListQuery& query, const std::string& token)
{
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
	return sql;
}

Poco::Int64 SearchPlanner::probeToken(Poco::Data::Session& session, Branch branch, const ContactListQuery& query,
									  const std::string& token)
{
	return SqlValue::integer(probeTokenSql(branch, query, token).query(session).value(0, 0));
}

Poco::Int64 SearchPlanner::probeMine(Poco::Data::Session& session, const ContactListQuery& query, std::size_t cap)
{
	SqlStatement sql;
	sql << "SELECT COUNT(*) FROM (SELECT 1 FROM ec_contacts c" << _dialect.forceIndex("ix_ec_contacts_adder")
		<< " WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL LIMIT ?) x";
	sql.integer(query.orgId).integer(query.viewerId).integer(static_cast<Poco::Int64>(cap));
	return SqlValue::integer(sql.query(session).value(0, 0));
}

SearchAccess SearchPlanner::plan(Poco::Data::Session& session, Branch branch, const ContactListQuery& query)
{
	SearchAccess a;
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
			std::vector<SearchGroup> groups;
			Poco::Int64 cost;
		};
		std::vector<std::string> weighed = terms;
		std::stable_sort(weighed.begin(), weighed.end(),
						 [](const std::string& x, const std::string& y)
						 { return SearchText::length(x) > SearchText::length(y); });
		if (weighed.size() > TERMS_WEIGHED) weighed.resize(TERMS_WEIGHED);
		std::vector<std::vector<SearchGroup>> companies = companyGroups(session, branch, query, weighed);
		std::vector<Choice> choices;
		for (std::size_t i = 0; i < weighed.size(); ++i)
		{
			Choice c;
			c.term = weighed[i];
			c.groups = std::move(companies[i]);
			c.cost = 0;
			for (const SearchGroup& g : c.groups)
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
			SearchCheck check{term, std::string(), false, {}};
			if (c != choices.end() && c->exact && c->groups.size() <= GROUPS_CHECKED)
			{
				check.token = c->token;
				check.exact = true;
				check.groups = SearchGroup::names(c->groups);
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
		for (const SearchGroup& g : a.groups)
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

} // namespace ExternalContacts
