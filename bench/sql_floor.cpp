// The floor of the HTTP benchmark's read cases (bench/http_bench.sh): the
// store's SQL for the same page written out and run through POCO Data on
// one session of a pool, every value of every row read from the RecordSet —
// no service, no host, no HTTP, no JSON. What the database and POCO cost.
//   - all first page: 51 rows of ix_ec_contacts_org (the service asks for
//     limit + 1 to know whether there is a next page);
//   - all deep page: the same after 1,000 pages of 50 (the cursor walked
//     with the same SQL);
//   - mine first page, heavy member: the two branches the store reads for
//     "mine" (added by, shared with), 51 rows each, not merged;
//   - card: one contact by id and its visible members (the two statements
//     of findById + visibleMembers), cycling over --cards FILE as the wrk
//     script does.
// The search page is several statements chosen at run time (ContactSearch);
// its floor is ContactStore::list with the search, marked "store" in the
// output.
// Usage:
//   ec_bench_sql_floor --connector sqlite|mysql --db CS --label NAME --heavy ID
//                      --cards FILE [--tsv FILE] [--runs 2000] [--warmup 100]
//                      [--deep-pages 1000] [--budget 10]

#include "BenchCommon.h"
#include "store/ContactStore.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

using namespace Poco::Data::Keywords;
using ExternalContacts::ContactStore;

namespace
{

const std::string COLUMNS = "c.id, c.org_id, c.name, c.mobile, c.email, c.company, c.title, c.department, c.address,"
							" c.remark, c.tags, c.source, c.added_by, c.security_level, c.version, c.created_at,"
							" c.updated_at";
const std::string ORDER = " ORDER BY c.group_rank, c.group_name, c.name, c.id";

struct Key
{
	int rank = 0;
	std::string group, name;
	Poco::Int64 id = 0;
};

std::size_t readAll(Poco::Data::Statement& st)
/// Every value of every row, as the store's row decoding touches them.
{
	Poco::Data::RecordSet rs(st);
	std::size_t bytes = 0;
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
		for (std::size_t c = 0; c < rs.columnCount(); ++c)
		{
			const Poco::Dynamic::Var& v = rs.value(c, r);
			if (!v.isEmpty()) bytes += v.convert<std::string>().size();
		}
	static volatile std::size_t sink = 0;
	sink = sink + bytes;
	return rs.rowCount();
}

} // namespace

int main(int argc, char** argv)
{
	try
	{
		Bench::Options options(argc, argv);
		const std::string connector = options.required("connector");
		const std::string label = options.get("label", connector);
		const Poco::Int64 heavy = options.number("heavy", 0);
		const std::size_t deepPages = static_cast<std::size_t>(options.number("deep-pages", 1000));
		std::vector<Poco::Int64> cards;
		{
			std::ifstream in(options.required("cards"));
			for (Poco::Int64 id; in >> id;)
				cards.push_back(id);
		}
		if (cards.empty() || heavy == 0)
			throw Poco::InvalidArgumentException("--heavy and a non-empty --cards are required");
		std::unique_ptr<ExternalContacts::Database> database = Bench::openAndMigrate(connector, options.required("db"));
		const bool mysql = database->dialect() == ExternalContacts::Database::Dialect::MySQL;
		Poco::Data::Session s = database->session();
		const Poco::Int64 org = Bench::ORG;
		const int limit = 51;

		const std::string orgFrom = std::string(" FROM ec_contacts c") +
									(mysql ? " FORCE INDEX (ix_ec_contacts_org)" : "") +
									" WHERE c.org_id = ? AND c.deleted_at IS NULL";
		const std::string adderSql =
			"SELECT " + COLUMNS + " FROM ec_contacts c" + (mysql ? " FORCE INDEX (ix_ec_contacts_adder)" : "") +
			" WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL" + ORDER + " LIMIT ?";
		const std::string sharedSql = "SELECT " + COLUMNS + " FROM ec_contact_shares s " +
									  (mysql ? "STRAIGHT_JOIN" : "CROSS JOIN") +
									  " ec_contacts c ON c.id = s.contact_id WHERE s.member_id = ? AND s.org_id = ?"
									  " AND c.org_id = ? AND c.added_by <> ? AND c.deleted_at IS NULL" +
									  ORDER + " LIMIT ?";
		const std::string afterSql =
			mysql ? " AND (c.group_rank > ? OR (c.group_rank = ? AND (c.group_name > ? OR (c.group_name = ? AND"
					" (c.name > ? OR (c.name = ? AND c.id > ?))))))"
				  : " AND (c.group_rank, c.group_name, c.name, c.id) > (?, ?, ?, ?)";

		auto firstAll = [&](int rows)
		{
			Poco::Data::Statement st(s);
			st << "SELECT " + COLUMNS + orgFrom + ORDER + " LIMIT ?", bind(org), bind(rows), now;
			return readAll(st);
		};
		auto afterAll = [&](const Key& k, int rows)
		{
			Poco::Data::Statement st(s);
			st << "SELECT " + COLUMNS + orgFrom + afterSql + ORDER + " LIMIT ?", bind(org);
			if (mysql)
				st, bind(k.rank), bind(k.rank), bind(k.group), bind(k.group), bind(k.name), bind(k.name), bind(k.id);
			else
				st, bind(k.rank), bind(k.group), bind(k.name), bind(k.id);
			st, bind(rows);
			st.execute();
			return st;
		};

		// The cursor after deepPages pages of 50, walked with the same SQL; in a
		// shorter list the cursor of its last page (as following nextCursor ends).
		Key deep;
		std::size_t followed = 0;
		{
			std::vector<Key> ends; // the key of the last row of each page
			Key at;
			bool first = true;
			while (ends.size() < deepPages)
			{
				Poco::Data::Statement st(s);
				if (first)
					st << "SELECT c.group_rank, c.group_name, c.name, c.id" + orgFrom + ORDER + " LIMIT 50", bind(org);
				else
				{
					st << "SELECT c.group_rank, c.group_name, c.name, c.id" + orgFrom + afterSql + ORDER + " LIMIT 50",
						bind(org);
					if (mysql)
						st, bind(at.rank), bind(at.rank), bind(at.group), bind(at.group), bind(at.name), bind(at.name),
							bind(at.id);
					else
						st, bind(at.rank), bind(at.group), bind(at.name), bind(at.id);
				}
				first = false;
				st.execute();
				Poco::Data::RecordSet rs(st);
				if (rs.rowCount() == 0) break;
				std::size_t last = rs.rowCount() - 1;
				at.rank = rs.value(0, last).convert<int>();
				at.group = rs.value(1, last).convert<std::string>();
				at.name = rs.value(2, last).convert<std::string>();
				at.id = rs.value(3, last).convert<Poco::Int64>();
				ends.push_back(at);
				if (rs.rowCount() < 50) break;
			}
			if (ends.size() >= deepPages)
				followed = deepPages;
			else
				followed = ends.size() >= 2 ? ends.size() - 1 : 0; // the last page begins after the one before
			if (followed > 0) deep = ends[followed - 1];
		}

		std::cout << "== SQL floor, " << label << " (raw SQL through POCO Data, one pooled session)\n";
		std::printf("%-40s %6s %9s %9s %9s %9s %5s  %s\n", "case", "runs", "p50 ms", "p99 ms", "mean ms", "max ms",
					"rows", "detail");
		Bench::Runner runner(options, label, {2000, 100, 10}, 40);
		runner.run("sql: all first page", "51 rows", [&] { return firstAll(limit); });
		// The per-row cases (limit=1 and limit=100 over HTTP): the SQL's own cost per row.
		runner.run("sql: all first page, limit=1", "2 rows", [&] { return firstAll(2); });
		runner.run("sql: all first page, limit=100", "101 rows", [&] { return firstAll(101); });
		runner.run("sql: all deep page", "after " + std::to_string(followed) + " pages",
				   [&]
				   {
					   Poco::Data::Statement st = afterAll(deep, limit);
					   return readAll(st);
				   });
		runner.run("sql: mine first page, heavy member", "added-by + shared-with branches, 51 rows each",
				   [&]
				   {
					   Poco::Data::Statement a(s);
					   a << adderSql, bind(org), bind(heavy), bind(limit), now;
					   Poco::Data::Statement b(s);
					   b << sharedSql, bind(heavy), bind(org), bind(org), bind(heavy), bind(limit), now;
					   return readAll(a) + readAll(b);
				   });
		std::size_t next = 0;
		runner.run("sql: card", "by id + visible members, cycling " + std::to_string(cards.size()) + " ids",
				   [&]
				   {
					   Poco::Int64 id = cards[next++ % cards.size()];
					   Poco::Data::Statement a(s);
					   a << "SELECT " + COLUMNS +
								" FROM ec_contacts c WHERE c.id = ? AND c.org_id = ? AND c.deleted_at IS NULL",
						   bind(id), bind(org), now;
					   std::vector<Poco::Int64> members;
					   s << "SELECT member_id FROM ec_contact_visible_members WHERE contact_id = ? ORDER BY member_id",
						   bind(id), into(members), now;
					   return readAll(a);
				   });
		ContactStore store(*database);
		runner.run("store: search all q=科技", "ContactStore::list, 51 rows",
				   [&]
				   {
					   ExternalContacts::ContactListQuery q;
					   q.orgId = org;
					   q.viewerId = heavy;
					   q.search = "科技";
					   q.limit = limit;
					   return store.list(s, ContactStore::Branch::Org, q).size();
				   });
		return 0;
	}
	catch (const Poco::Exception& e)
	{
		std::cerr << "ec_bench_sql_floor: " << e.displayText() << "\n";
		return 1;
	}
	catch (const std::exception& e)
	{
		std::cerr << "ec_bench_sql_floor: " << e.what() << "\n";
		return 1;
	}
}
