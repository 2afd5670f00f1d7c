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
//     script does;
//   - groups all: the kept counts of the org (ec_group_counts, summed per
//     group: ContactStore::countsSql), as GET /groups?scope=all without a
//     search reads them for a holder of external_contacts.maintain;
//   - groups mine, heavy member: the two branches' GROUP BY over the
//     member's own index range and share rows (ContactStore::groupsSql),
//     not merged. Both groups cases check their SQL against the store's
//     text and run last, after the write floors: the HTTP cases run on what
//     those added (the create and join floors, and the approve floor's
//     untimed set-up, write contacts of the heavy member, which "mine"
//     counts row by row).
// The search page is several statements chosen at run time (ContactSearch);
// its floor is ContactStore::list with the search, marked "store" in the
// output.
// The durable-commit floors of the write cases (issue 16): the rows a
// request writes, inserted in one transaction (BEGIN IMMEDIATE on SQLite)
// by bare statements with bound values on the same database and settings
// (SQLite's WAL with its default synchronous=FULL, MariaDB's
// innodb_flush_log_at_trx_commit as scripts/mariadb.sh sets it), each
// committed before the next:
//   - create: the contact, its search tokens (SearchText::tokens, one
//     multi-row INSERT), its group count (upsert), its visible member and
//     its history row;
//   - join (POST /invite/{token}, InvitationService::join): the address's
//     rate counter (insert-if-missing + increment), the link's use counter,
//     then what create writes for a contact of source wechat_invite (no
//     email, a title, the inviter as adder and visible member, history
//     row by actor 0) and the inviter's notification — the rows the route
//     writes in three transactions (counter, join, host notification),
//     here in one. The link is a row of its own (made untimed, no use
//     limit, as the HTTP case's link);
//   - edit: the contact's UPDATE (title and updated_at, as the bench's
//     PATCH changes only the title: no search token or group count moves)
//     and its history row (before and after), cycling over --edits FILE,
//     the contacts the HTTP edit case edits next;
//   - approve: the application's UPDATE, the contact's account row (insert,
//     then the host's user id), the history row, the host's user,
//     membership and activation link, the resolved notifications' UPDATE
//     and the applicant's new notification — the rows the route writes in
//     five transactions, here in one. The applications it approves are
//     made (untimed) for contacts of the create floor, so the HTTP cases
//     that follow find theirs untouched.
// Usage:
//   ec_bench_sql_floor --connector sqlite|mysql --db CS --label NAME --heavy ID
//                      --cards FILE --edits FILE [--tsv FILE] [--runs 2000]
//                      [--warmup 100] [--deep-pages 1000] [--budget 10]

#include "BenchCommon.h"
#include "store/ContactStore.h"
#include "store/SearchText.h"
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
#include <set>
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
		auto idsOf = [&](const std::string& option)
		{
			std::vector<Poco::Int64> ids;
			std::ifstream in(options.required(option));
			for (Poco::Int64 id; in >> id;)
				ids.push_back(id);
			return ids;
		};
		const std::vector<Poco::Int64> cards = idsOf("cards");
		const std::vector<Poco::Int64> edits = idsOf("edits");
		if (cards.empty() || edits.empty() || heavy == 0)
			throw Poco::InvalidArgumentException("--heavy and non-empty --cards and --edits are required");
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

		// The write floors.
		const std::string auditJson =
			"{\"id\":0,\"name\":\"压测 Floor\",\"mobile\":\"13900001111\",\"email\":null,\"company\":"
			"\"杭州星辰科技有限公司\",\"title\":\"经理\",\"department\":null,\"source\":\"created\",\"createdAt\":"
			"1796673031748,\"version\":1,\"address\":null,\"remark\":null,\"tags\":[],\"securityLevel\":0,"
			"\"updatedAt\":1796673031748,\"orgId\":1,\"addedBy\":14,\"visibleMembers\":[14]}";
		const std::string company = "杭州星辰科技有限公司";
		const std::string upsertCount =
			mysql ? " ON DUPLICATE KEY UPDATE n = n + 1"
				  : " ON CONFLICT (org_id, group_rank, group_name, source) DO UPDATE SET n = n + 1";
		std::vector<Poco::Int64> created;
		std::size_t serial = 0;
		// One transaction on the floor's own session (no queue, no checkout).
		// What a new contact of the heavy member adds besides its row: its
		// search tokens (one multi-row INSERT, as SearchIndex writes them),
		// its group's count and its visible member (create and join alike).
		auto indexRows =
			[&](Poco::Int64 id, const std::string& name, const std::set<std::string>& tokens, const std::string& source)
		{
			std::string sql = "INSERT INTO ec_contact_search (org_id, token, group_rank, group_name, name, contact_id)"
							  " VALUES ";
			Poco::Data::Statement st(s);
			for (std::size_t t = 0; t < tokens.size(); ++t)
				sql += t == 0 ? "(?, ?, 0, ?, ?, ?)" : ", (?, ?, 0, ?, ?, ?)";
			st << sql;
			for (const std::string& token : tokens)
				st, bind(org), bind(token), bind(company), bind(name), bind(id);
			std::size_t rows = st.execute();
			s << "INSERT INTO ec_group_counts (org_id, group_rank, group_name, source, n) VALUES (?, 0, ?, ?, 1)" +
					 upsertCount,
				bind(org), bind(company), bind(source), now;
			s << "INSERT INTO ec_contact_visible_members (contact_id, member_id) VALUES (?, ?)", bind(id), bind(heavy),
				now;
			return rows;
		};
		auto transaction = [&](const std::function<void()>& rows)
		{ database->transaction(s, [&](Poco::Data::Session&) { rows(); }); };
		runner.run(
			"sql: create (durable floor)", "contact + tokens + count + visible member + history, one commit",
			[&]
			{
				++serial;
				const std::string name = "压测 Floor " + std::to_string(serial);
				const std::string mobile = "139" + std::to_string(10000000 + serial);
				const std::string email = "floor" + std::to_string(serial) + "@example.com";
				const std::set<std::string> tokens = ExternalContacts::SearchText::tokens(name, email, mobile);
				const Poco::Int64 at = 1796673031748 + static_cast<Poco::Int64>(serial);
				std::size_t rows = 0;
				transaction(
					[&]
					{
						s << "INSERT INTO ec_contacts (org_id, name, mobile, email, company, title, department,"
							 " address, remark, tags, source, added_by, security_level, group_rank, group_name,"
							 " version, created_at, updated_at, mobile_key, email_key) VALUES (?, ?, ?, ?, ?,"
							 " '经理', NULL, NULL, NULL, '[]', 'created', ?, 0, 0, ?, 1, ?, ?, ?, ?)",
							bind(org), bind(name), bind(mobile), bind(email), bind(company), bind(heavy), bind(company),
							bind(at), bind(at), bind(mobile), bind(email), now;
						const Poco::Int64 id = database->lastInsertId(s);
						created.push_back(id);
						rows += indexRows(id, name, tokens, "created");
						s << "INSERT INTO ec_audit (org_id, contact_id, actor_id, action, at, remote_addr,"
							 " before_json, after_json) VALUES (?, ?, ?, 'contact.create', ?, '127.0.0.1', NULL, ?)",
							bind(org), bind(id), bind(heavy), bind(at), bind(auditJson), now;
						rows += 4;
					});
				return rows;
			});
		// The join floor's link (untimed), as InvitationStore::insert writes one:
		// no use limit, as the HTTP case's link; its expiry after the floor's
		// timestamps (fixed, as the other floors').
		Poco::Int64 link = 0;
		transaction(
			[&]
			{
				const std::string hash(64, 'f'); // a SHA-256 in hex has 64 characters
				s << "INSERT INTO ec_invitations (org_id, created_by, token_hash, created_at, expires_at, ttl_hours,"
					 " max_uses, uses) VALUES (?, ?, ?, 1796673031748, ?, 720, NULL, 0)",
					bind(org), bind(heavy), bind(hash), bind(Poco::Int64{1796673031748 + 720 * 3600000LL}), now;
				link = database->lastInsertId(s);
			});
		const std::string bucket = "invite.join.addr:127.0.0.1";
		const int joinLimit = 1000000; // as http_bench.sh sets inviteSubmissionsPerAddressPer10Minutes
		std::size_t joined = 0;
		runner.run(
			"sql: join (durable floor)",
			"rate counter + link uses + contact, tokens, count, visible member, history + notification, one commit",
			[&]
			{
				++joined;
				const std::string name = "压测 Join Floor " + std::to_string(joined);
				const std::string mobile = "+86 11" + std::to_string(10000000 + joined);
				const std::string mobileKey = "+8611" + std::to_string(10000000 + joined); // DuplicateKey::mobile
				const std::set<std::string> tokens = ExternalContacts::SearchText::tokens(name, std::nullopt, mobile);
				const Poco::Int64 at = 1796673031748 + static_cast<Poco::Int64>(joined);
				const Poco::Int64 window = at - at % 600000;
				const std::string after =
					"{\"id\":0,\"name\":\"" + name + "\",\"mobile\":\"" + mobile +
					"\",\"email\":null,\"company\":\"杭州星辰科技有限公司\",\"title\":\"经理\",\"department\":null,"
					"\"source\":\"wechat_invite\",\"createdAt\":1796673031748,\"version\":1,\"address\":null,"
					"\"remark\":null,\"tags\":[],\"securityLevel\":0,\"updatedAt\":1796673031748,\"orgId\":1,"
					"\"addedBy\":14,\"visibleMembers\":[14]}";
				const std::string title = "{\"zh-CN\":\"微信邀请：" + name +
										  " 已填写信息\",\"en\":\"WeChat invitation: " + name + " responded\"}";
				const std::string body = "{\"zh-CN\":\"" + name +
										 " 通过你的邀请链接成为了你的外部联系人。\",\"en\":\"" + name +
										 " became your external contact through your invitation link.\"}";
				std::size_t rows = 0;
				transaction(
					[&]
					{
						s << std::string(mysql ? "INSERT IGNORE" : "INSERT OR IGNORE") +
								 " INTO ec_rate_counters (bucket, window_start, hits) VALUES (?, ?, 0)",
							bind(bucket), bind(window), now;
						Poco::Data::Statement hit(s);
						hit << "UPDATE ec_rate_counters SET hits = hits + 1 WHERE bucket = ? AND window_start = ? AND"
							   " hits < ?",
							bind(bucket), bind(window), bind(joinLimit);
						rows += hit.execute();
						Poco::Data::Statement use(s);
						use << "UPDATE ec_invitations SET uses = uses + 1, last_used_at = ? WHERE id = ? AND revoked_at"
							   " IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)",
							bind(at), bind(link), bind(at);
						rows += use.execute();
						s << "INSERT INTO ec_contacts (org_id, name, mobile, email, company, title, department,"
							 " address, remark, tags, source, added_by, security_level, group_rank, group_name,"
							 " version, created_at, updated_at, mobile_key, email_key) VALUES (?, ?, ?, NULL, ?,"
							 " '经理', NULL, NULL, NULL, '[]', 'wechat_invite', ?, 0, 0, ?, 1, ?, ?, ?, NULL)",
							bind(org), bind(name), bind(mobile), bind(company), bind(heavy), bind(company), bind(at),
							bind(at), bind(mobileKey), now;
						const Poco::Int64 id = database->lastInsertId(s);
						rows += indexRows(id, name, tokens, "wechat_invite");
						s << "INSERT INTO ec_audit (org_id, contact_id, actor_id, action, at, remote_addr,"
							 " before_json, after_json) VALUES (?, ?, 0, 'contact.invite_join', ?, '127.0.0.1', NULL,"
							 " ?)",
							bind(org), bind(id), bind(at), bind(after), now;
						s << "INSERT INTO notifications (org_id, user_id, plugin_id, type, title_json, body_json,"
							 " actions_json, group_key, state, created_at) VALUES (?, ?, 'external-contacts',"
							 " 'external_contacts.invitation_joined', ?, ?, '[]', '', 'unread', ?)",
							bind(org), bind(heavy), bind(title), bind(body), bind(at), now;
						rows += 5;
					});
				return rows;
			});
		// The contacts the HTTP edit case edits next (--edits, at version 1),
		// with the same UPDATE: the bench's PATCH changes the title alone, so
		// the route writes no search token and no group count, only the row
		// (its title, version and updated_at) and the history. The version
		// is left as it is: the HTTP case that follows sends version 1 on its
		// first pass over these contacts and would answer 409 to every
		// request after a floor that counted it up; one integer column of the
		// same row in the same page is no different write.
		next = 0;
		runner.run(
			"sql: edit (durable floor)",
			"contact UPDATE + history, one commit, cycling the " + std::to_string(edits.size()) + " edit ids",
			[&]
			{
				const Poco::Int64 id = edits[next++ % edits.size()];
				const std::string title = "总监 " + std::to_string(next);
				const Poco::Int64 at = 1796673031748 + static_cast<Poco::Int64>(next);
				transaction(
					[&]
					{
						s << "UPDATE ec_contacts SET title = ?, updated_at = ? WHERE id = ? AND org_id = ?",
							bind(title), bind(at), bind(id), bind(org), now;
						s << "INSERT INTO ec_audit (org_id, contact_id, actor_id, action, at, remote_addr,"
							 " before_json, after_json) VALUES (?, ?, ?, 'contact.update', ?, '127.0.0.1', ?, ?)",
							bind(org), bind(id), bind(heavy), bind(at), bind(auditJson), bind(auditJson), now;
					});
				return std::size_t{2};
			});
		// Pending applications for the create floor's contacts (untimed): one
		// per round the approve floor may run; when create's budget cut it
		// short, more contacts first.
		std::vector<Poco::Int64> applications;
		transaction(
			[&]
			{
				while (created.size() < runner.rounds())
				{
					const std::string name = "压测 Floor extra " + std::to_string(created.size());
					s << "INSERT INTO ec_contacts (org_id, name, tags, source, added_by, security_level, group_rank,"
						 " group_name, version, created_at, updated_at) VALUES (?, ?, '[]', 'created', ?, 0, 1, '',"
						 " 1, 1796673031748, 1796673031748)",
						bind(org), bind(name), bind(heavy), now;
					created.push_back(database->lastInsertId(s));
				}
				for (Poco::Int64 contact : created)
				{
					s << "INSERT INTO ec_account_applications (org_id, contact_id, applicant_id, remark, status,"
						 " submitted_at, pending_contact_id) VALUES (?, ?, ?, '', 'pending', 1796673031748, ?)",
						bind(org), bind(contact), bind(heavy), bind(contact), now;
					applications.push_back(database->lastInsertId(s));
				}
			});
		next = 0;
		runner.run(
			"sql: approve (durable floor)",
			"application + account + history + host user, membership, activation + notifications, one commit",
			[&]
			{
				const std::size_t i = next++;
				const Poco::Int64 app = applications[i], contact = created[i];
				const std::string login = "floor-" + std::to_string(app) + "-" + std::to_string(serial);
				std::string hash = std::to_string(app); // unique as the application id, 64 characters as a SHA-256
				hash.insert(0, 64 - hash.size(), '0');
				const std::string group = "application:" + std::to_string(app);
				const Poco::Int64 at = 1796673032451 + static_cast<Poco::Int64>(i);
				transaction(
					[&]
					{
						s << "UPDATE ec_account_applications SET status = 'approved', decided_by = ?,"
							 " decided_at = ?, comment = NULL, pending_contact_id = NULL WHERE id = ? AND"
							 " status = 'pending'",
							bind(heavy), bind(at), bind(app), now;
						s << "INSERT INTO ec_contact_accounts (contact_id, org_id, status, application_id,"
							 " created_by, created_at, updated_at) VALUES (?, ?, 'creating', ?, ?, ?, ?)",
							bind(contact), bind(org), bind(app), bind(heavy), bind(at), bind(at), now;
						s << "INSERT INTO ec_audit (org_id, contact_id, actor_id, action, at, remote_addr,"
							 " before_json, after_json) VALUES (?, ?, ?, 'account.approve', ?, '127.0.0.1',"
							 " '{\"applicationId\":5,\"status\":\"pending\"}',"
							 " '{\"applicationId\":5,\"status\":\"approved\"}')",
							bind(org), bind(contact), bind(heavy), bind(at), now;
						s << "INSERT INTO users (login, display_name, password_hash, status, created_at)"
							 " VALUES (?, '叶怡婷', NULL, 'pending', ?)",
							bind(login), bind(at), now;
						const Poco::Int64 user = database->lastInsertId(s);
						s << "INSERT INTO memberships (org_id, user_id, kind, is_admin, security_level, created_at)"
							 " VALUES (?, ?, 'external', 0, 0, ?)",
							bind(org), bind(user), bind(at), now;
						s << "INSERT INTO account_activations (user_id, token_hash, created_at, expires_at)"
							 " VALUES (?, ?, ?, ?)",
							bind(user), bind(hash), bind(at), bind(at + 604800000), now;
						s << "UPDATE ec_contact_accounts SET user_id = ?, login = ?, status = 'pending',"
							 " updated_at = ? WHERE contact_id = ?",
							bind(user), bind(login), bind(at), bind(contact), now;
						s << "UPDATE notifications SET state = 'handled', outcome_json ="
							 " '{\"decidedBy\":14,\"status\":\"approved\"}' WHERE plugin_id ="
							 " 'external-contacts' AND group_key = ?",
							bind(group), now;
						s << "INSERT INTO notifications (org_id, user_id, plugin_id, type, title_json, body_json,"
							 " actions_json, group_key, state, created_at) VALUES (?, ?, 'external-contacts',"
							 " 'external-contacts.application-decided', '{\"en\":\"Account application"
							 " approved\",\"zh-CN\":\"账号开通申请已通过\"}', ?, '[]', '', 'unread', ?)",
							bind(org), bind(heavy), bind(auditJson), bind(at), now;
					});
				return std::size_t{9};
			});

		// The group counts, last: on the rows the write floors added, as the
		// HTTP cases that follow read them.
		const std::string groupOrder = " GROUP BY c.group_rank, c.group_name ORDER BY c.group_rank, c.group_name";
		const std::string groupsAllSql =
			std::string("SELECT g.group_rank, g.group_name, ") + (mysql ? "CAST(SUM(g.n) AS SIGNED)" : "SUM(g.n)") +
			" FROM ec_group_counts g WHERE g.org_id = ? GROUP BY g.group_rank, g.group_name ORDER BY g.group_rank,"
			" g.group_name";
		const std::string groupsAdderSql = "SELECT c.group_rank, c.group_name, COUNT(*) FROM ec_contacts c" +
										   std::string(mysql ? " FORCE INDEX (ix_ec_contacts_adder)" : "") +
										   " WHERE c.org_id = ? AND c.added_by = ? AND c.deleted_at IS NULL" +
										   groupOrder;
		const std::string groupsSharedSql =
			"SELECT c.group_rank, c.group_name, COUNT(*) FROM ec_contact_shares s " +
			std::string(mysql ? "STRAIGHT_JOIN" : "CROSS JOIN") +
			" ec_contacts c ON c.id = s.contact_id WHERE s.member_id = ? AND s.org_id = ? AND c.org_id = ? AND"
			" c.added_by <> ? AND c.deleted_at IS NULL" +
			groupOrder;
		{
			// The store's own text of the same statements: a floor that no
			// longer runs the route's SQL says so.
			ExternalContacts::ContactListQuery q;
			q.orgId = org;
			q.viewerId = heavy;
			const std::pair<std::string, ContactStore::Branch> same[] = {
				{groupsAllSql, ContactStore::Branch::Org},
				{groupsAdderSql, ContactStore::Branch::AddedBy},
				{groupsSharedSql, ContactStore::Branch::SharedWith}};
			for (const auto& [sql, branch] : same)
				if (store.groupsSql(branch, q).str() != sql)
					std::cout << "WARNING: the store's groups SQL is now\n  " << store.groupsSql(branch, q).str()
							  << "\n  the floor runs\n  " << sql << "\n";
		}
		runner.run("sql: groups all", "ec_group_counts summed per group",
				   [&]
				   {
					   Poco::Data::Statement st(s);
					   st << groupsAllSql, bind(org), now;
					   return readAll(st);
				   });
		runner.run("sql: groups mine, heavy member", "added-by + shared-with GROUP BY, not merged",
				   [&]
				   {
					   Poco::Data::Statement a(s);
					   a << groupsAdderSql, bind(org), bind(heavy), now;
					   Poco::Data::Statement b(s);
					   b << groupsSharedSql, bind(heavy), bind(org), bind(org), bind(heavy), now;
					   return readAll(a) + readAll(b);
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
