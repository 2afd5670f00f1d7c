// Times the contact list through the plugin's real ContactService (and so
// its ContactStore SQL) on a database ec_bench_generate filled:
//   - first page of scope "mine" for a typical member and a heavy member,
//   - first page of scope "all",
//   - search (q=...) first pages,
//   - a page deep in the list (cursors followed N pages, then the next page timed),
//   - the group counts,
//   - searches of every kind (rare, common, CJK 1-3 characters, mobile
//     prefix and suffix, email, Latin 1 character, no match, two terms),
//     a search page deep in its results, and the group counts of searches,
//   - one contact created, edited and deleted (the writes keep the search
//     tokens and group counts).
// Each case runs warm-up rounds, then up to --runs timed rounds (fewer when
// a case would exceed --budget seconds), and reports p50 / p99 / mean / max
// in milliseconds. The plan of every store query behind a case is printed.
// Usage:
//   ec_bench_contacts --connector sqlite|mysql --db CONNECTION_STRING --label NAME
//                     [--runs 200] [--warmup 20] [--budget 30] [--deep-pages 1000]
//                     [--tsv FILE]   (appends one line per case)

#include "../tests/integration/plugin/QueryPlans.h"
#include "BenchCommon.h"
#include "BenchDirectory.h"
#include "domain/AccessPolicy.h"
#include "domain/ContactEdit.h"
#include "domain/ListCursor.h"
#include "service/ContactService.h"
#include "store/ContactStore.h"
#include "store/SearchText.h"
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
using ExternalContacts::AccessPolicy;
using ExternalContacts::ContactService;
using ExternalContacts::ContactStore;
using ExternalContacts::ListRequest;
using ExternalContacts::QueryPlans;

namespace
{

ExternalContacts::Actor member(Poco::Int64 userId)
{
	ExternalContacts::Actor a;
	a.userId = userId;
	a.orgId = Bench::ORG;
	a.kind = ExternalContacts::Actor::Kind::Member;
	return a;
}

void printPlan(const std::string& title, const std::vector<std::string>& lines)
{
	std::cout << "  plan " << title << ":\n";
	for (const std::string& l : lines)
		std::cout << "    " << l << "\n";
}

} // namespace

int main(int argc, char** argv)
{
	try
	{
		Bench::Options options(argc, argv);
		const std::string connector = options.required("connector");
		const std::string label = options.get("label", connector);
		const std::size_t deepPages = static_cast<std::size_t>(options.number("deep-pages", 1000));
		const std::size_t limit = static_cast<std::size_t>(options.number("limit", 50));
		std::unique_ptr<ExternalContacts::Database> database = Bench::openAndMigrate(connector, options.required("db"));

		// Pick the actors (setup, not timed): the heaviest adder, the median adder.
		std::vector<Poco::Int64> adders, counts;
		Poco::Int64 members = 0, total = 0, shares = 0;
		std::string searchRare, rareEmail;
		{
			Poco::Data::Session s = database->session();
			s << "SELECT added_by, COUNT(*) FROM ec_contacts WHERE org_id = ? AND deleted_at IS NULL"
				 " GROUP BY added_by ORDER BY COUNT(*), added_by",
				bind(Bench::ORG), into(adders), into(counts), now;
			s << "SELECT MAX(added_by) FROM ec_contacts", into(members), now;
			s << "SELECT COUNT(*) FROM ec_contacts WHERE org_id = ? AND deleted_at IS NULL", bind(Bench::ORG),
				into(total), now;
			s << "SELECT COUNT(*) FROM ec_contact_shares", into(shares), now;
			// A mobile number near the end of the list: the rarest kind of search.
			std::vector<std::string> mobiles, emails;
			s << "SELECT mobile FROM ec_contacts WHERE org_id = ? AND mobile IS NOT NULL AND group_rank = 1"
				 " AND deleted_at IS NULL ORDER BY id DESC LIMIT 1",
				bind(Bench::ORG), into(mobiles), now;
			if (!mobiles.empty()) searchRare = mobiles.front();
			s << "SELECT email FROM ec_contacts WHERE org_id = ? AND email LIKE '%.%@%' AND group_rank = 1"
				 " AND deleted_at IS NULL ORDER BY id DESC LIMIT 1",
				bind(Bench::ORG), into(emails), now;
			if (!emails.empty()) rareEmail = emails.front().substr(0, emails.front().find('@'));
		}
		if (adders.empty()) throw Poco::IllegalStateException("no contacts: run ec_bench_generate first");
		const Poco::Int64 heavy = adders.back();
		const Poco::Int64 typical = adders[adders.size() / 2];
		Poco::Int64 heavySharedWith = 0, typicalSharedWith = 0;
		{
			Poco::Data::Session s = database->session();
			s << "SELECT COUNT(*) FROM ec_contact_shares WHERE member_id = ?", bind(heavy), into(heavySharedWith), now;
			s << "SELECT COUNT(*) FROM ec_contact_shares WHERE member_id = ?", bind(typical), into(typicalSharedWith),
				now;
		}
		// Someone who holds external_contacts.maintain lists scope "all".
		const Poco::Int64 maintainer = adders.front();
		Bench::BenchDirectory directory(Bench::ORG, members);
		directory.grant(maintainer, AccessPolicy::MAINTAIN_PERMISSION);
		ExternalContacts::ServiceContext context(*database, directory);
		ContactService service(context);
		ContactStore store(*database);

		std::cout << "== " << label << ": " << total << " live contacts, " << members << " members, " << shares
				  << " shares; typical member " << typical << " (adds " << counts[adders.size() / 2] << ", shared with "
				  << typicalSharedWith << "), heavy member " << heavy << " (adds " << counts.back() << ", shared with "
				  << heavySharedWith << "), page size " << limit << "\n";
		std::printf("%-34s %6s %9s %9s %9s %9s %7s  %s\n", "case", "runs", "p50 ms", "p99 ms", "mean ms", "max ms",
					"rows", "detail");
		Bench::Runner runner(options, label, {200, 20, 30}, 34);

		auto request = [&](AccessPolicy::Scope scope, const std::string& q, const std::string& cursor)
		{
			ListRequest r;
			r.scope = scope;
			r.search = q;
			r.cursor = cursor;
			r.limit = limit;
			return r;
		};
		auto page = [&](Poco::Int64 who, const ListRequest& r) { return service.list(member(who), r).items.size(); };
		auto groups = [&](Poco::Int64 who, const ListRequest& r)
		{ return service.groups(member(who), r).items.size(); };
		// The cursor after `pages` pages (or the last one there is).
		auto follow = [&](Poco::Int64 who, AccessPolicy::Scope scope, const std::string& q, std::size_t pages,
						  std::size_t& followed)
		{
			std::string cursor;
			followed = 0;
			while (followed < pages)
			{
				ExternalContacts::ContactPage p = service.list(member(who), request(scope, q, cursor));
				if (!p.nextCursor) break;
				cursor = *p.nextCursor;
				++followed;
			}
			return cursor;
		};
		const AccessPolicy::Scope MINE = AccessPolicy::Scope::Mine;
		const AccessPolicy::Scope ALL = AccessPolicy::Scope::All;
		const std::string searchCommon = "科技"; // in many company names

		runner.run("mine first page, typical member", "", [&] { return page(typical, request(MINE, "", "")); });
		runner.run("mine first page, heavy member", "", [&] { return page(heavy, request(MINE, "", "")); });
		runner.run("all first page", "", [&] { return page(maintainer, request(ALL, "", "")); });
		runner.run("search mine, typical member", "q=" + searchCommon,
				   [&] { return page(typical, request(MINE, searchCommon, "")); });
		runner.run("search mine, heavy member", "q=" + searchCommon,
				   [&] { return page(heavy, request(MINE, searchCommon, "")); });
		runner.run("search mine, heavy member, 1 CJK", "q=张", [&] { return page(heavy, request(MINE, "张", "")); });
		runner.run("search all, common word", "q=" + searchCommon,
				   [&] { return page(maintainer, request(ALL, searchCommon, "")); });
		runner.run("search all, surname", "q=smith", [&] { return page(maintainer, request(ALL, "smith", "")); });
		runner.run("search all, 1 CJK character", "q=张", [&] { return page(maintainer, request(ALL, "张", "")); });
		runner.run("search all, 2 CJK characters", "q=张伟",
				   [&] { return page(maintainer, request(ALL, "张伟", "")); });
		runner.run("search all, 3 CJK characters", "q=张伟强",
				   [&] { return page(maintainer, request(ALL, "张伟强", "")); });
		runner.run("search all, 1 Latin letter", "q=a", [&] { return page(maintainer, request(ALL, "a", "")); });
		runner.run("search all, two common terms", "q=张 科技",
				   [&] { return page(maintainer, request(ALL, "张 科技", "")); });
		runner.run("search all, no match", "q=mith", [&] { return page(maintainer, request(ALL, "mith", "")); });
		if (!searchRare.empty())
		{
			std::string digits = ExternalContacts::SearchText::mobileDigits(searchRare);
			runner.run("search all, one match", "q=" + searchRare,
					   [&] { return page(maintainer, request(ALL, searchRare, "")); });
			std::string suffix = digits.substr(digits.size() - 4);
			runner.run("search all, mobile suffix", "q=" + suffix,
					   [&] { return page(maintainer, request(ALL, suffix, "")); });
			std::string prefix = digits.substr(0, 7);
			runner.run("search all, mobile prefix", "q=" + prefix,
					   [&] { return page(maintainer, request(ALL, prefix, "")); });
		}
		if (!rareEmail.empty())
			runner.run("search all, email", "q=" + rareEmail,
					   [&] { return page(maintainer, request(ALL, rareEmail, "")); });
		for (const std::string& q : {searchCommon, std::string("张")})
		{
			std::size_t followed = 0;
			std::string cursor = follow(maintainer, ALL, q, 100, followed);
			runner.run("search all, deep page", "q=" + q + " after " + std::to_string(followed) + " pages",
					   [&] { return page(maintainer, request(ALL, q, cursor)); });
		}
		{
			std::size_t followed = 0;
			std::string cursor = follow(maintainer, ALL, "", deepPages, followed);
			runner.run("all deep page", "after " + std::to_string(followed) + " pages",
					   [&] { return page(maintainer, request(ALL, "", cursor)); });
		}
		{
			std::size_t followed = 0;
			std::string cursor = follow(heavy, MINE, "", deepPages, followed);
			runner.run("mine deep page, heavy member", "after " + std::to_string(followed) + " pages",
					   [&] { return page(heavy, request(MINE, "", cursor)); });
		}
		runner.run("groups mine, typical member", "", [&] { return groups(typical, request(MINE, "", "")); });
		runner.run("groups mine, heavy member", "", [&] { return groups(heavy, request(MINE, "", "")); });
		runner.run("groups all", "", [&] { return groups(maintainer, request(ALL, "", "")); });
		{
			ListRequest invited = request(ALL, "", "");
			invited.source = ExternalContacts::ContactSource::WechatInvite;
			runner.run("groups all, one source", "source=wechat_invite", [&] { return groups(maintainer, invited); });
		}
		runner.run("groups all, search common word", "q=" + searchCommon,
				   [&] { return groups(maintainer, request(ALL, searchCommon, "")); });
		runner.run("groups all, search 1 CJK", "q=张", [&] { return groups(maintainer, request(ALL, "张", "")); });
		runner.run("groups all, search 1 Latin letter", "q=a",
				   [&] { return groups(maintainer, request(ALL, "a", "")); });
		runner.run("groups all, search two terms", "q=张 科技",
				   [&] { return groups(maintainer, request(ALL, "张 科技", "")); });
		runner.run("groups mine, heavy, search", "q=" + searchCommon,
				   [&] { return groups(heavy, request(MINE, searchCommon, "")); });
		runner.run("groups mine, typical, search", "q=张", [&] { return groups(typical, request(MINE, "张", "")); });
		{
			// One contact through create, edit (other company and name) and
			// delete: three write transactions with their index rows.
			int n = 0;
			runner.run("write: create, edit, delete", "3 transactions",
					   [&]
					   {
						   ExternalContacts::Actor who = member(typical);
						   ExternalContacts::ContactFields f;
						   f.name = "基准 Bench " + std::to_string(++n);
						   f.company = std::string("杭州星辰科技有限公司");
						   f.email = "bench" + std::to_string(n) + "@example.com";
						   f.mobile = std::to_string(19900000000LL + n);
						   ExternalContacts::ContactView v = service.create(who, f, "127.0.0.1", true);
						   ExternalContacts::ContactEdit edit;
						   edit.version = v.contact.version;
						   edit.values = f;
						   edit.values.name = "基准改 Edited " + std::to_string(n);
						   edit.values.company = std::string("Acme Logistics GmbH");
						   edit.given = {"name", "company"};
						   service.update(who, v.contact.id, edit, "127.0.0.1");
						   service.remove(who, v.contact.id, "127.0.0.1");
						   return std::size_t(3);
					   });
		}

		// The plans behind the cases, from the store's own SQL.
		std::cout << "plans (" << label << "):\n";
		{
			Poco::Data::Session s = database->session();
			ExternalContacts::ContactListQuery q;
			q.orgId = Bench::ORG;
			q.viewerId = heavy;
			q.limit = limit + 1;
			printPlan("mine / added-by branch", QueryPlans::list(s, store, ContactStore::Branch::AddedBy, q));
			printPlan("mine / shared-with branch", QueryPlans::list(s, store, ContactStore::Branch::SharedWith, q));
			printPlan("all", QueryPlans::list(s, store, ContactStore::Branch::Org, q));
			ExternalContacts::ContactListQuery after = q;
			after.after = ExternalContacts::SortKey::forContact("", "王", 1);
			printPlan("all, after a cursor", QueryPlans::list(s, store, ContactStore::Branch::Org, after));
			printPlan("groups mine / added-by", QueryPlans::groups(s, store, ContactStore::Branch::AddedBy, q));
			printPlan("groups mine / shared-with", QueryPlans::groups(s, store, ContactStore::Branch::SharedWith, q));
			printPlan("groups all (kept counts)", QueryPlans::groups(s, store, ContactStore::Branch::Org, q));
			for (const std::string& text : {searchCommon, std::string("张"), std::string("张 科技")})
				for (ContactStore::Branch branch : {ContactStore::Branch::Org, ContactStore::Branch::AddedBy})
				{
					ExternalContacts::ContactListQuery search = q;
					search.search = text;
					if (branch == ContactStore::Branch::Org) search.after = after.after;
					for (const QueryPlans::Plan& plan : QueryPlans::search(s, store, branch, search))
						printPlan(std::string(branch == ContactStore::Branch::Org ? "all" : "mine (heavy)") +
									  ", q=" + text + (search.after ? " after a cursor" : "") + " / " + plan.label,
								  plan.lines);
				}
		}
		return 0;
	}
	catch (const Poco::Exception& e)
	{
		std::cerr << "ec_bench_contacts: " << e.displayText() << "\n";
	}
	catch (const std::exception& e)
	{
		std::cerr << "ec_bench_contacts: " << e.what() << "\n";
	}
	return 1;
}
