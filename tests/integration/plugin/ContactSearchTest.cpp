// Contact search (migration 004, SearchText, ContactSearch) on SQLite and
// MariaDB: what matches, that the index follows every write, that the
// back-fill of migration 004 computes exactly the tokens the plugin
// writes, that paging and visibility are those of the plain list, and
// that the group counts stay exact under concurrent writers.

#include "MigrationRunner.h"
#include "PluginBackend.h"
#include "RouteCall.h"
#include "TestEnv.h"
#include "domain/ContactEdit.h"
#include "domain/ContactPermissions.h"
#include "domain/ListCursor.h"
#include "service/SharingService.h"
#include "store/ContactStore.h"
#include "store/SearchText.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 HEAVY = 1;      // adds more than ContactSearch::WALK_ALWAYS contacts
constexpr Poco::Int64 MAINTAINER = 7; // holds external_contacts.maintain
constexpr Poco::Int64 GROUPIE = 8;    // maintains two groups
constexpr int MEMBERS = 6;

std::vector<Poco::Int64> idsOf(const std::vector<ContactView>& views)
{
	std::vector<Poco::Int64> ids;
	for (const ContactView& v : views)
		ids.push_back(v.contact.id);
	return ids;
}

std::string listed(const std::vector<Poco::Int64>& ids)
{
	std::string s;
	for (Poco::Int64 id : ids)
		s += " " + std::to_string(id);
	return s;
}

ContactEdit editOf(Poco::Int64 version, const ContactFields& values, std::vector<std::string> given)
{
	ContactEdit edit;
	edit.version = version;
	edit.values = values;
	edit.given = std::move(given);
	return edit;
}

ContactFields fields(const std::string& name, const std::string& company = "", const std::string& email = "",
					 const std::string& mobile = "")
{
	ContactFields f = PluginBackend::draft(name, company);
	if (!email.empty()) f.email = email;
	if (!mobile.empty()) f.mobile = mobile;
	return f;
}

// Every page of a list, following the cursor.
std::vector<Poco::Int64> allPages(ContactService& service, const Actor& actor, ListRequest request)
{
	std::vector<Poco::Int64> ids;
	for (int pages = 0; pages < 10000; ++pages)
	{
		ContactPage page = service.list(actor, request);
		for (Poco::Int64 id : idsOf(page.items))
			ids.push_back(id);
		CPPUNIT_ASSERT(page.items.size() <= request.limit);
		if (!page.nextCursor) return ids;
		CPPUNIT_ASSERT_EQUAL(request.limit, page.items.size());
		request.cursor = *page.nextCursor;
	}
	CPPUNIT_FAIL("endless paging");
	return ids;
}

ListRequest search(const std::string& q, AccessPolicy::Scope scope = AccessPolicy::Scope::Mine, std::size_t limit = 50)
{
	ListRequest r;
	r.scope = scope;
	r.search = q;
	r.limit = limit;
	return r;
}

std::vector<Poco::Int64> found(PluginBackend& b, const std::string& q, Poco::Int64 who = 1,
							   AccessPolicy::Scope scope = AccessPolicy::Scope::Mine)
{
	return allPages(b.service(), PluginBackend::member(who), search(q, scope, 3));
}

std::map<std::string, Poco::Int64> countsOf(const GroupList& list)
{
	std::map<std::string, Poco::Int64> counts;
	for (const GroupList::Group& item : list.items)
		counts[item.name.value_or("(none)")] = item.count;
	return counts;
}

// One generated contact and who may see it.
struct Row
{
	Contact contact;
	std::set<Poco::Int64> sharedWith;
	bool deleted = false;
};

const char* const CJK_NAMES[] = {"张伟",   "张伟强", "王芳", "李强", "欧阳娜娜",     "伟张",       "张",
								 "科技张", "王小伟", "刘洋", "陈静", "张三（销售）", "李四，王五", "赵六"};
const char* const LATIN_NAMES[] = {"Anna Smith", "anna smithers", "John SMITH",   "Jean-Luc Picard", "O'Brien",
								   "Ann Lee",    "Smith-Jones",   "Müller Äpfel", "Dr. Who",         "an",
								   "Mithra",     "Zoe 12345"};
const char* const COMPANIES[] = {"",     "",     "",     "杭州星辰科技有限公司", "北京科技", "Acme Logistics",
								 "ACME", "Beta", "科技", "Smith & Co",           "星辰"};
const char* const EMAILS[] = {"",
							  "",
							  "anna.smith@example.com",
							  "zs@EXAMPLE.org",
							  "jean-luc@starfleet.io",
							  "c12345@mail7.cn",
							  "x_y+z@acme.com",
							  "13800138000@qq.com"};
const char* const MOBILES[] = {
	"", "13800138000", "+86 138-0013-8000", "13912345678", "139 1234 8000", "+1-202-555-0100", "18600001234"};

const char* const QUERIES[] = {
	"张",       "伟",       "张伟",    "伟强",    "张伟强", "王五",        "科技",     "星辰科技",   "科技有限公司",
	"科",       "smith",    "SMITH",   "smi",     "mith",   "an",          "a",        "anna smith", "smith anna",
	"jean luc", "jean-luc", "o'brien", "brien",   "acme",   "cme",         "acme.com", "example",    "EXAMPLE.com",
	"c123",     "c12345",   "mail7",   "8000",    "138",    "13800138000", "+86 138",  "0013 8000",  "1234",
	"12345",    "5678",     "müller",  "MÜLLER",  "äpfel",  "%",           "_",        "0%",         "-",
	"@",        "张 smith", "科技 张", "zoe 123", "13800",  "86138",       "xyz",      "1",          "138-0013"};

class Dataset
/// About 2,300 contacts in ORG (and a few in OTHER_ORG), written through the
/// store in one transaction; shares, deletes and edits go through the
/// service as the routes would.
{
public:
	explicit Dataset(PluginBackend& b) : _b(b)
	{
		std::mt19937 rng(4711);
		auto pick = [&](auto& array) { return std::string(array[rng() % (sizeof(array) / sizeof(array[0]))]); };
		ContactStore store(b.database());
		b.database().write(
			[&](Poco::Data::Session& s)
			{
				int total = static_cast<int>(ContactSearch_WALK) + 300;
				for (int i = 0; i < total; ++i)
				{
					Row row;
					Contact& c = row.contact;
					c.orgId = i % 97 == 0 ? PluginBackend::OTHER_ORG : PluginBackend::ORG;
					c.addedBy = i < static_cast<int>(ContactSearch_WALK) + 100 ? HEAVY : 2 + i % (MEMBERS - 1);
					c.name = rng() % 2 ? pick(CJK_NAMES) : pick(LATIN_NAMES);
					if (rng() % 3 == 0) c.name += " " + std::to_string(i);
					std::string company = pick(COMPANIES);
					if (!company.empty()) c.company = company;
					std::string email = pick(EMAILS);
					if (!email.empty()) c.email = email;
					std::string mobile = pick(MOBILES);
					if (!mobile.empty()) c.mobile = mobile;
					c.source = i % 5 == 0 ? ContactSource::WechatInvite : ContactSource::Created;
					c.createdAt = c.updatedAt = 1;
					c.id = store.insert(s, c);
					_rows[c.id] = row;
				}
			});
		// Shares, edits and deletes through the service.
		for (auto& entry : _rows)
		{
			Row& row = entry.second;
			Poco::Int64 id = entry.first;
			if (row.contact.orgId != PluginBackend::ORG) continue;
			if (id % 11 == 0)
			{
				Poco::Int64 to = 2 + id % (MEMBERS - 1);
				if (to != row.contact.addedBy)
				{
					b.share(id, to);
					row.sharedWith.insert(to);
				}
			}
			if (id % 13 == 0)
			{
				b.service().remove(PluginBackend::member(row.contact.addedBy, PluginBackend::ORG, true), id, "");
				row.deleted = true;
			}
			else if (id % 17 == 0)
			{
				ContactEdit edit = editOf(1,
										  fields(std::string("改名 Renamed ") + std::to_string(id),
												 id % 2 ? std::string("Renamed Co") : std::string()),
										  {"name", "company"});
				ContactView v = b.service().update(PluginBackend::member(row.contact.addedBy, PluginBackend::ORG, true),
												   id, edit, "");
				row.contact = v.contact;
			}
		}
		b.directory().grant(MAINTAINER, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
		for (Poco::Int64 m = 1; m <= GROUPIE; ++m)
			b.directory().addMember(PluginBackend::ORG, m);
		Poco::Data::Session s = b.database().session();
		GroupMaintainerStore().replace(s, PluginBackend::ORG, "Acme Logistics", {GROUPIE});
		GroupMaintainerStore().replace(s, PluginBackend::ORG, "", {GROUPIE});
	}

	static constexpr std::size_t ContactSearch_WALK = 2000;

	// What a viewer may see: "mine" or "all" (maintainer: the org; GROUPIE: two groups).
	bool visible(const Row& row, Poco::Int64 viewer, AccessPolicy::Scope scope) const
	{
		const Contact& c = row.contact;
		if (row.deleted || c.orgId != PluginBackend::ORG) return false;
		if (scope == AccessPolicy::Scope::Mine) return c.addedBy == viewer || row.sharedWith.count(viewer);
		if (viewer == MAINTAINER) return true;
		std::string group = c.company.value_or("");
		return group == "Acme Logistics" || group.empty();
	}

	std::vector<Poco::Int64> expected(const std::string& q, Poco::Int64 viewer, AccessPolicy::Scope scope,
									  const std::optional<ContactSource>& source) const
	{
		SearchQuery query = SearchText::parse(q);
		std::vector<std::pair<SortKey, Poco::Int64>> keyed;
		for (const auto& entry : _rows)
		{
			const Row& row = entry.second;
			const Contact& c = row.contact;
			if (!visible(row, viewer, scope)) continue;
			if (source && c.source != *source) continue;
			if (!SearchText::matches(query, c.name, c.email, c.mobile, c.company)) continue;
			keyed.emplace_back(c.sortKey(), c.id);
		}
		std::sort(keyed.begin(), keyed.end());
		std::vector<Poco::Int64> ids;
		for (const auto& k : keyed)
			ids.push_back(k.second);
		return ids;
	}

	std::map<std::string, Poco::Int64> expectedCounts(const std::vector<Poco::Int64>& ids) const
	{
		std::map<std::string, Poco::Int64> counts;
		for (Poco::Int64 id : ids)
		{
			const Contact& c = _rows.at(id).contact;
			++counts[c.company ? *c.company : std::string("(none)")];
		}
		return counts;
	}

private:
	PluginBackend& _b;
	std::map<Poco::Int64, Row> _rows;
};

// The index as it should be: the tokens of every live contact, with its key.
std::multiset<std::string> expectedIndex(PluginBackend& b)
{
	std::multiset<std::string> rows;
	Poco::Data::Session s = b.database().session();
	std::vector<Poco::Int64> ids, orgs;
	std::vector<std::string> names, sources;
	std::vector<Poco::Nullable<std::string>> emails, mobiles, companies;
	s << "SELECT id, org_id, name, email, mobile, company FROM ec_contacts WHERE deleted_at IS NULL", into(ids),
		into(orgs), into(names), into(emails), into(mobiles), into(companies), now;
	auto opt = [](const Poco::Nullable<std::string>& v)
	{ return v.isNull() ? std::optional<std::string>() : std::optional<std::string>(v.value()); };
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		SortKey key = SortKey::forContact(opt(companies[i]).value_or(""), names[i], ids[i]);
		for (const std::string& token : SearchText::tokens(names[i], opt(emails[i]), opt(mobiles[i])))
			rows.insert(std::to_string(orgs[i]) + "|" + token + "|" + std::to_string(key.groupRank) + "|" +
						key.groupName + "|" + key.name + "|" + std::to_string(ids[i]));
	}
	return rows;
}

std::multiset<std::string> storedIndex(PluginBackend& b)
{
	std::multiset<std::string> rows;
	Poco::Data::Session s = b.database().session();
	std::vector<Poco::Int64> orgs, ranks, ids;
	std::vector<std::string> tokens, groups, names;
	s << "SELECT org_id, token, group_rank, group_name, name, contact_id FROM ec_contact_search", into(orgs),
		into(tokens), into(ranks), into(groups), into(names), into(ids), now;
	for (std::size_t i = 0; i < ids.size(); ++i)
		rows.insert(std::to_string(orgs[i]) + "|" + tokens[i] + "|" + std::to_string(ranks[i]) + "|" + groups[i] + "|" +
					names[i] + "|" + std::to_string(ids[i]));
	return rows;
}

std::string countsTable(PluginBackend& b, const std::string& sql)
{
	Poco::Data::Session s = b.database().session();
	std::vector<Poco::Int64> orgs, ranks, ns;
	std::vector<std::string> groups, sources;
	s << sql, into(orgs), into(ranks), into(groups), into(sources), into(ns), now;
	std::string text;
	for (std::size_t i = 0; i < orgs.size(); ++i)
		text += std::to_string(orgs[i]) + "|" + std::to_string(ranks[i]) + "|" + groups[i] + "|" + sources[i] + "|" +
				std::to_string(ns[i]) + "\n";
	return text;
}

// ec_group_counts holds exactly the live contacts per group and source.
void assertCountsExact(PluginBackend& b)
{
	std::string kept = countsTable(b, "SELECT org_id, group_rank, group_name, source, n FROM ec_group_counts"
									  " WHERE n > 0 ORDER BY org_id, group_rank, group_name, source");
	std::string real = countsTable(b, "SELECT org_id, group_rank, group_name, source, COUNT(*) FROM ec_contacts"
									  " WHERE deleted_at IS NULL GROUP BY org_id, group_rank, group_name, source"
									  " ORDER BY org_id, group_rank, group_name, source");
	CPPUNIT_ASSERT_EQUAL_MESSAGE("[" + b.name() + "]", real, kept);
}

void assertIndexExact(PluginBackend& b)
{
	std::multiset<std::string> want = expectedIndex(b), have = storedIndex(b);
	std::vector<std::string> missing, extra;
	std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(missing));
	std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(extra));
	std::string text;
	for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 10); ++i)
		text += "\n missing " + missing[i];
	for (std::size_t i = 0; i < std::min<std::size_t>(extra.size(), 10); ++i)
		text += "\n extra " + extra[i];
	CPPUNIT_ASSERT_MESSAGE("[" + b.name() + "]" + text, missing.empty() && extra.empty());
}

} // namespace

class ContactSearchTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactSearchTest);
	CPPUNIT_TEST(testTokensOfAContact);
	CPPUNIT_TEST(testWhatAQueryMatches);
	CPPUNIT_TEST(testSearchOnBothBackends);
	CPPUNIT_TEST(testIndexFollowsEditsAndDeletes);
	CPPUNIT_TEST(testPagesAndCountsAgreeWithEveryRow);
	CPPUNIT_TEST(testBackfillComputesThePluginsTokens);
	CPPUNIT_TEST(testCountsStayExactUnderConcurrentWriters);
	CPPUNIT_TEST(testBadSearchAnswers400NamingQ);
	CPPUNIT_TEST_SUITE_END();

public:
	void testTokensOfAContact()
	{
		std::set<std::string> t =
			SearchText::tokens("欧阳娜娜", std::string("Nana.OuYang@Example.COM"), std::string("+86 138-0013-8000"));
		std::set<std::string> want = {"欧",  "欧阳", "阳",  "阳娜", "娜",    "娜娜",   "n",      "na",
									  "nan", "nana", "o",   "ou",   "ouy",   "ouya",   "ouyan",  "ouyang",
									  "e",   "ex",   "exa", "exam", "examp", "exampl", "c",      "co",
									  "com", "8",    "86",  "861",  "8613",  "86138",  "861380", "#8000"};
		CPPUNIT_ASSERT(t == want);
		// 3+ character prefixes that end on an ideographic character are left out.
		std::set<std::string> mixed = SearchText::tokens("ab科技x", std::nullopt, std::nullopt);
		CPPUNIT_ASSERT(mixed == std::set<std::string>({"a", "ab", "ab科技x", "科", "技", "科技"}));
		CPPUNIT_ASSERT_EQUAL(std::string("jean luc o brien  Ä 张 三 x"),
							 SearchText::normalize("Jean-Luc O'Brien·「Ä」张　三…x"));
	}

	void testWhatAQueryMatches()
	{
		auto m = [](const std::string& q, const std::string& name, const std::string& company = "",
					const std::string& email = "", const std::string& mobile = "")
		{
			auto opt = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : std::optional(s); };
			return SearchText::matches(SearchText::parse(q), name, opt(email), opt(mobile), opt(company));
		};
		CPPUNIT_ASSERT(m("张", "欧阳张三"));   // one ideographic character: anywhere
		CPPUNIT_ASSERT(m("阳张", "欧阳张三")); // ideographic text: anywhere
		CPPUNIT_ASSERT(m("阳张三", "欧阳张三"));
		CPPUNIT_ASSERT(!m("张阳", "欧阳张三"));
		CPPUNIT_ASSERT(m("smi", "John Smith")); // the start of a word, ASCII case ignored
		CPPUNIT_ASSERT(m("SMITH", "john smith"));
		CPPUNIT_ASSERT(!m("mith", "John Smith")); // not the middle of a word
		CPPUNIT_ASSERT(m("smith john", "John Smith"));
		CPPUNIT_ASSERT(!m("smith jane", "John Smith"));
		CPPUNIT_ASSERT(m("luc", "Jean-Luc"));
		CPPUNIT_ASSERT(m("cme", "X", "ACME Corp")); // companies: anywhere
		CPPUNIT_ASSERT(m("科技", "X", "杭州星辰科技有限公司"));
		CPPUNIT_ASSERT(m("example.com", "X", "", "zs@EXAMPLE.com"));
		CPPUNIT_ASSERT(!m("xample", "X", "", "zs@example.com"));
		CPPUNIT_ASSERT(m("138", "X", "", "", "+86 138-0013-8000") == false); // digits begin with 86
		CPPUNIT_ASSERT(m("8613800", "X", "", "", "+86 138-0013-8000"));
		CPPUNIT_ASSERT(m("8000", "X", "", "", "+86 138-0013-8000")); // the last digits
		CPPUNIT_ASSERT(m("0013 8000", "X", "", "", "+86 138-0013-8000"));
		CPPUNIT_ASSERT(!m("013", "X", "", "", "+86 138-0013-8000")); // 3 digits: the start only
		CPPUNIT_ASSERT(m("+86 138", "X", "", "", "+86 138-0013-8000"));
		CPPUNIT_ASSERT(!m("%", "100% Li"));
		CPPUNIT_ASSERT(m("100%", "100% Li"));
		CPPUNIT_ASSERT(SearchText::parse("-_% @").matchesNothing());
		CPPUNIT_ASSERT(m("müller", "Müller"));
		CPPUNIT_ASSERT(!m("müller", "MÜLLER")); // only ASCII letters fold
	}

	void testSearchOnBothBackends()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				ContactService& svc = b.service();
				Actor alice = PluginBackend::member(1);
				Poco::Int64 zhang =
					svc.create(alice, fields("张伟强", "杭州星辰科技有限公司", "zwq@example.com", "+86 138-0013-8000"),
							   "")
						.contact.id;
				Poco::Int64 smith =
					svc.create(alice, fields("John Smith", "Acme Logistics", "JOHN.SMITH@Acme.com", "13912345678"), "")
						.contact.id;
				Poco::Int64 wang = svc.create(alice, fields("王芳", "", "", "18600001234"), "").contact.id;
				Poco::Int64 bobs = svc.create(PluginBackend::member(2), fields("张三", "北京科技"), "").contact.id;
				CPPUNIT_ASSERT(found(b, "张") == std::vector<Poco::Int64>({zhang}));
				CPPUNIT_ASSERT(found(b, "伟强") == std::vector<Poco::Int64>({zhang}));
				CPPUNIT_ASSERT(found(b, "科技") == std::vector<Poco::Int64>({zhang}));
				CPPUNIT_ASSERT(found(b, "smith") == std::vector<Poco::Int64>({smith}));
				CPPUNIT_ASSERT(found(b, "SMI") == std::vector<Poco::Int64>({smith}));
				CPPUNIT_ASSERT(found(b, "cme") == std::vector<Poco::Int64>({smith}));
				CPPUNIT_ASSERT(found(b, "john.smith@acme") == std::vector<Poco::Int64>({smith}));
				CPPUNIT_ASSERT(found(b, "8000") == std::vector<Poco::Int64>({zhang}));
				CPPUNIT_ASSERT(found(b, "1391") == std::vector<Poco::Int64>({smith}));
				CPPUNIT_ASSERT(found(b, "0001234") == std::vector<Poco::Int64>({wang}));
				CPPUNIT_ASSERT(found(b, "138 0013 8000") == std::vector<Poco::Int64>({zhang}));
				CPPUNIT_ASSERT(found(b, "mith").empty());
				CPPUNIT_ASSERT(found(b, "%").empty());
				// Visibility is the list's: Bob's 张三 is not Alice's.
				CPPUNIT_ASSERT(found(b, "张三").empty());
				CPPUNIT_ASSERT(found(b, "张三", 2) == std::vector<Poco::Int64>({bobs}));
				b.directory().grant(3, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				CPPUNIT_ASSERT(found(b, "张", 3, AccessPolicy::Scope::All) == std::vector<Poco::Int64>({bobs, zhang}));
				CPPUNIT_ASSERT(found(b, "科技", 3, AccessPolicy::Scope::All) ==
							   std::vector<Poco::Int64>({bobs, zhang}));
				// Shared with Bob: now in his "mine" search too.
				b.share(zhang, 2);
				CPPUNIT_ASSERT(found(b, "张", 2) == std::vector<Poco::Int64>({bobs, zhang}));
				// Group counts of a search.
				ListRequest r = search("科技", AccessPolicy::Scope::All);
				std::map<std::string, Poco::Int64> counts = countsOf(svc.groups(PluginBackend::member(3), r));
				CPPUNIT_ASSERT(counts ==
							   (std::map<std::string, Poco::Int64>{{"北京科技", 1}, {"杭州星辰科技有限公司", 1}}));
				r.search = "8000";
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), svc.groups(PluginBackend::member(3), r).total);
			});
	}

	void testIndexFollowsEditsAndDeletes()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				ContactService& svc = b.service();
				Actor alice = PluginBackend::member(1);
				b.directory().grant(1, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				ContactView v = svc.create(alice, fields("张伟", "Acme", "zw@old.com", "13800138000"), "");
				Poco::Int64 id = v.contact.id;
				CPPUNIT_ASSERT(found(b, "zw") == std::vector<Poco::Int64>({id}));
				v = svc.update(alice, id,
							   editOf(v.contact.version, fields("李娜", "北京科技", "ln@new.com", "18600001234"),
									  {"name", "company", "email", "mobile"}),
							   "");
				for (const char* gone : {"张", "张伟", "zw", "old", "13800", "8000", "acme"})
					CPPUNIT_ASSERT_MESSAGE(gone, found(b, gone).empty());
				for (const char* now : {"李", "李娜", "ln", "new.com", "18600", "1234", "科技"})
					CPPUNIT_ASSERT_MESSAGE(now, found(b, now) == std::vector<Poco::Int64>({id}));
				// Permissions rewrite the row but not the searched fields.
				ContactPermissions p;
				p.version = v.contact.version;
				p.visibleMembers = {1};
				p.securityLevel = -3;
				SharingService(b.context(), svc).setPermissions(alice, id, p, "");
				CPPUNIT_ASSERT(found(b, "李娜") == std::vector<Poco::Int64>({id}));
				assertIndexExact(b);
				assertCountsExact(b);
				svc.remove(alice, id, "");
				for (const char* gone : {"李", "李娜", "ln", "18600", "1234", "科技"})
					CPPUNIT_ASSERT_MESSAGE(gone, found(b, gone, 1, AccessPolicy::Scope::All).empty());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_search"));
				CPPUNIT_ASSERT(svc.groups(alice, search("", AccessPolicy::Scope::All)).items.empty());
				assertCountsExact(b);
			});
	}

	void testPagesAndCountsAgreeWithEveryRow()
	{
		// Every query, for a heavy member's and a light member's "mine", a
		// maintain-holder's and a group maintainer's "all", with and
		// without a source: the pages (followed by cursor) are exactly the
		// matching visible rows in list order, and the group counts agree.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Dataset data(b);
				assertIndexExact(b);
				assertCountsExact(b);
				struct Viewer
				{
					Poco::Int64 id;
					AccessPolicy::Scope scope;
				};
				const Viewer viewers[] = {{HEAVY, AccessPolicy::Scope::Mine},
										  {3, AccessPolicy::Scope::Mine},
										  {MAINTAINER, AccessPolicy::Scope::All},
										  {GROUPIE, AccessPolicy::Scope::All}};
				for (const char* q : QUERIES)
					for (const Viewer& v : viewers)
						for (std::optional<ContactSource> source :
							 {std::optional<ContactSource>(),
							  std::optional<ContactSource>(ContactSource::WechatInvite)})
						{
							std::string what = std::string("[") + b.name() + "] q=" + q + " viewer " +
											   std::to_string(v.id) + (source ? " source" : "");
							ListRequest r = search(q, v.scope, 37);
							r.source = source;
							std::vector<Poco::Int64> want = data.expected(q, v.id, v.scope, source);
							std::vector<Poco::Int64> have = allPages(b.service(), PluginBackend::member(v.id), r);
							CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "\nwant" + listed(want) + "\nhave" + listed(have),
														 listed(want), listed(have));
							GroupList groups = b.service().groups(PluginBackend::member(v.id), r);
							CPPUNIT_ASSERT_MESSAGE(what + " counts", countsOf(groups) == data.expectedCounts(want));
							CPPUNIT_ASSERT_EQUAL_MESSAGE(what, static_cast<Poco::Int64>(want.size()), groups.total);
						}
			});
	}

	void testBackfillComputesThePluginsTokens()
	{
		// Rows written before migration 004 (here by plain SQL) get, from the
		// migration alone, exactly the tokens and counts the plugin writes.
		for (const TestEnv::Backend& backend : TestEnv::bothBackends("ec_search_backfill"))
		{
			PluginBackend b(backend); // all migrations; then back to "before 004"
			b.execute("DROP TABLE ec_contact_search");
			b.execute("DROP TABLE ec_group_counts");
			b.execute("DELETE FROM schema_migrations WHERE component = 'external-contacts' AND version = 4");
			const char* names[] = {"欧阳娜娜",
								   "Jean-Luc Picard",
								   "O'Brien",
								   "ÄÖÜ äöü Müller",
								   "Ｆｕｌｌ　Ｗｉｄｔｈ",
								   "a·b",
								   "张三（销售）",
								   "李四，王五",
								   "x—y–z",
								   "😀😃 emoji",
								   "ＡＢＣ科技",
								   "ab科技x",
								   "Mixed科技Name",
								   "Dr. Smith, Jr.",
								   "12345",
								   "很长的中文名字超过六个字",
								   "Русский Иван",
								   "ｶﾀｶﾅ",
								   "한국어 이름",
								   "nb\u00a0sp",
								   "zero\u200bwidth",
								   "BOM\ufeffx",
								   "「引用」《书名》【标签】",
								   "a\\b/c",
								   "100% _x_",
								   "tab;semi:colon",
								   "“quoted” ‘single’",
								   "a…b",
								   "ＡＢ＠ｃ．ｄ",
								   "x～y・z"};
			const char* emails[] = {"Nana.OuYang@Example.COM", "a+b_c-d@x.io", "测试@例子.中国", "UPPER@CASE.ORG", ""};
			const char* mobiles[] = {"+86 138-0013-8000", "13912345678", "123456", "+1-202-555-0100", ""};
			const char* companies[] = {"杭州星辰科技有限公司", "Acme", "", "ＡＢＣ", ""};
			Poco::Data::Session s = b.database().session();
			int i = 0;
			for (const char* name : names)
				for (int k = 0; k < 3; ++k, ++i)
				{
					std::string email = emails[i % 5], mobile = mobiles[(i / 2) % 5], company = companies[(i / 3) % 5];
					SortKey key = SortKey::forContact(company, name, 0);
					Poco::Nullable<std::string> e, m, c;
					if (!email.empty()) e = email;
					if (!mobile.empty()) m = mobile;
					if (!company.empty()) c = company;
					Poco::Nullable<Poco::Int64> deleted;
					if (i % 7 == 3) deleted = 5;
					Poco::Int64 org = 1 + i % 2;
					std::string name_ = name, group = key.groupName,
								source = i % 4 == 0 ? std::string("other_org") : std::string("created");
					int rank = key.groupRank;
					s << "INSERT INTO ec_contacts (org_id, name, mobile, email, company, tags, source, added_by,"
						 " group_rank, group_name, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, '[]', ?, "
						 "1,"
						 " ?, ?, 1, 1, ?)",
						use(org), use(name_), use(m), use(e), use(c), use(source), use(rank), use(group), use(deleted),
						now;
				}
			CPPUNIT_ASSERT_EQUAL(1, b.migrate());
			assertIndexExact(b);
			assertCountsExact(b);
			CPPUNIT_ASSERT(b.count("ec_contact_search") > 500);
		}
	}

	void testCountsStayExactUnderConcurrentWriters()
	{
		// Four threads create, move between groups and delete contacts of
		// the same few groups at once: the kept counts and the tokens end
		// exactly as the rows say, and no write fails (no deadlock).
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				const char* groups[] = {"", "Acme", "北京科技", "Beta"};
				std::mutex failed;
				std::vector<std::string> errors;
				auto work = [&](int t)
				{
					try
					{
						std::mt19937 rng(static_cast<unsigned>(t));
						Actor a = PluginBackend::member(1 + t % 3);
						for (int i = 0; i < 25; ++i)
						{
							ContactView v = b.service().create(
								a,
								fields("并发 " + std::to_string(t) + "-" + std::to_string(i), groups[rng() % 4], "",
									   std::to_string(13800000000LL + t * 1000 + i)),
								"", true);
							ContactEdit edit = editOf(
								v.contact.version,
								fields("并发改 " + std::to_string(t) + "-" + std::to_string(i), groups[rng() % 4]),
								{"name", "company"});
							b.service().update(a, v.contact.id, edit, "");
							if (rng() % 3 == 0) b.service().remove(a, v.contact.id, "");
						}
					}
					catch (const Poco::Exception& e)
					{
						std::lock_guard<std::mutex> lock(failed);
						errors.push_back(e.displayText());
					}
					catch (const std::exception& e)
					{
						std::lock_guard<std::mutex> lock(failed);
						errors.push_back(e.what());
					}
				};
				std::vector<std::thread> threads;
				for (int t = 0; t < 4; ++t)
					threads.emplace_back(work, t);
				for (std::thread& t : threads)
					t.join();
				CPPUNIT_ASSERT_MESSAGE("[" + b.name() + "] " + (errors.empty() ? "" : errors.front()), errors.empty());
				assertCountsExact(b);
				assertIndexExact(b);
				b.directory().grant(1, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				GroupList all = b.service().groups(PluginBackend::member(1), search("", AccessPolicy::Scope::All));
				CPPUNIT_ASSERT_EQUAL(b.count("ec_contacts WHERE deleted_at IS NULL"), all.total);
			});
	}

	void testBadSearchAnswers400NamingQ()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RouteTest::Http http(b);
				b.create(1, "张伟", "Acme");
				std::string longest;
				for (int i = 0; i < 100; ++i)
					longest += "张";
				RouteTest::Answer ok = http.list().query("q=" + longest).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
				for (const std::string& bad : {longest + "张", std::string("%FF"), std::string("a%0Ab")})
				{
					RouteTest::Answer a = http.list().query("q=" + bad).send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 400, a.status);
					CPPUNIT_ASSERT_EQUAL(std::string("q"), a.errorField());
					RouteTest::Answer g = http.groups().query("q=" + bad).send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(g.body, 400, g.status);
					CPPUNIT_ASSERT_EQUAL(std::string("q"), g.errorField());
				}
				// Only separators: a valid query that matches nothing.
				RouteTest::Answer none = http.list().query("q=%25%20-").send();
				CPPUNIT_ASSERT_EQUAL(200, none.status);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[],"nextCursor":null})"), none.body);
				RouteTest::Answer noGroups = http.groups().query("q=_").send();
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[],"total":0})"), noGroups.body);
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactSearchTest);
