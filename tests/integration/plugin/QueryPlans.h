#pragma once

// The database's plans for the statements the plugin's stores run: the
// stores expose the statements they would run (ContactStore::listSql,
// ContactSearch::statements, …), this explains them. Used by the plan
// tests and bench/contacts_bench.cpp.

#include "../../PlanLines.h"
#include "store/ApplicationStore.h"
#include "store/ContactStore.h"
#include "store/SqlDialect.h"
#include "store/SqlStatement.h"
#include "store/search/ContactSearch.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class QueryPlans
/// One line per step of a plan: SQLite's EXPLAIN QUERY PLAN detail, or
/// MySQL's EXPLAIN as "table=… type=… key=… Extra=…".
{
public:
	struct Plan
	/// One statement a use case runs and the database's plan for it.
	{
		std::string label;
		std::vector<std::string> lines;
	};

	static std::vector<std::string> explain(Poco::Data::Session& session, SqlDialect dialect, const SqlStatement& sql)
	{
		return lines(dialect, sql.query(session, prefix(dialect)));
	}

	static std::vector<std::string> explain(Poco::Data::Session& session, SqlDialect dialect, const std::string& sql)
	/// The plan of a statement without parameters.
	{
		Poco::Data::Statement statement(session);
		statement << prefix(dialect) + sql;
		statement.execute();
		return lines(dialect, Poco::Data::RecordSet(statement));
	}

	static std::vector<std::string> list(Poco::Data::Session& session, const ContactStore& store,
										 ContactStore::Branch branch, const ContactListQuery& query)
	/// ContactStore::list() without a search.
	{
		return explain(session, store.dialect(), store.listSql(branch, query));
	}

	static std::vector<std::string> groups(Poco::Data::Session& session, const ContactStore& store,
										   ContactStore::Branch branch, const ContactListQuery& query)
	/// ContactStore::groups() without a search.
	{
		return explain(session, store.dialect(), store.groupsSql(branch, query));
	}

	static std::vector<Plan> search(Poco::Data::Session& session, ContactStore& store, ContactStore::Branch branch,
									const ContactListQuery& query)
	/// The statements of a search page and its group counts (query.search
	/// set), labelled as ContactSearch::statements().
	{
		std::vector<Plan> plans;
		for (const ContactSearch::Labelled& s : ContactSearch(store).statements(session, branch, query))
			plans.push_back({s.label, explain(session, store.dialect(), s.sql)});
		return plans;
	}

	static constexpr std::size_t DUPLICATES_PLANNED = 20;

	static std::vector<std::string> withSameKey(Poco::Data::Session& session, const ContactStore& store,
												Poco::Int64 orgId, const std::string& column, const std::string& key)
	/// ContactStore::withSameKey() for up to DUPLICATES_PLANNED ids.
	{
		return explain(session, store.dialect(), store.withSameKeySql(orgId, column, key, 0, DUPLICATES_PLANNED));
	}

	static std::vector<std::string> applicationLog(Poco::Data::Session& session, SqlDialect dialect,
												   const ApplicationStore& store, Poco::Int64 orgId,
												   const ApplicationFilter& filter)
	/// ApplicationStore::log(): a page of 50 after an entry.
	{
		return explain(session, dialect, store.logSql(orgId, filter, ApplicationLogKey{1, 1}, 50));
	}

private:
	static const char* prefix(SqlDialect dialect)
	{
		return dialect.isMySql() ? "EXPLAIN " : "EXPLAIN QUERY PLAN ";
	}

	static std::vector<std::string> lines(SqlDialect dialect, const Poco::Data::RecordSet& rows)
	{
		return TestEnv::planLines(rows, dialect.isMySql());
	}
};

} // namespace ExternalContacts
