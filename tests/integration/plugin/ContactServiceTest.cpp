#include "PluginBackend.h"
#include "domain/Exceptions.h"
#include "domain/ListCursor.h"
#include "domain/ValidationError.h"

#include <Poco/JSON/Parser.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <set>
#include <tuple>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 ALICE = 1;
constexpr Poco::Int64 BOB = 2;
constexpr Poco::Int64 CAROL = 3;

std::vector<Poco::Int64> idsOf(const std::vector<ContactView>& views)
{
	std::vector<Poco::Int64> ids;
	for (const ContactView& v : views)
		ids.push_back(v.contact.id);
	return ids;
}

// Every page of a list, following nextCursor; fails on a page that repeats
// a row or on a run that does not end.
std::vector<Poco::Int64> allPages(ContactService& service, const Actor& actor, ListRequest request)
{
	std::vector<Poco::Int64> ids;
	for (int pages = 0; pages < 1000; ++pages)
	{
		ContactPage page = service.list(actor, request);
		CPPUNIT_ASSERT(page.items.size() <= request.limit);
		for (Poco::Int64 id : idsOf(page.items))
			ids.push_back(id);
		if (!page.nextCursor) return ids;
		CPPUNIT_ASSERT_EQUAL(request.limit, page.items.size());
		request.cursor = *page.nextCursor;
	}
	CPPUNIT_FAIL("paging did not end");
	return ids;
}

ListRequest pageOf(std::size_t limit, AccessPolicy::Scope scope = AccessPolicy::Scope::Mine)
{
	ListRequest r;
	r.limit = limit;
	r.scope = scope;
	return r;
}

template <typename F> void assertValidationError(const std::string& field, F&& f)
{
	try
	{
		f();
	}
	catch (const ValidationError& e)
	{
		CPPUNIT_ASSERT_EQUAL(field, e.field());
		return;
	}
	CPPUNIT_FAIL("no validation error for " + field);
}

template <typename F> void assertDenied(F&& f)
{
	try
	{
		f();
	}
	catch (const AccessDeniedException&)
	{
		return;
	}
	CPPUNIT_FAIL("not denied");
}

Poco::JSON::Object::Ptr auditAfter(PluginBackend& b, Poco::Int64 contactId, std::string& action, Poco::Int64& actor,
								   std::string& remote)
{
	Poco::Data::Session s = b.database().session();
	std::string after;
	s << "SELECT action, actor_id, remote_addr, after_json FROM ec_audit WHERE contact_id = ?", use(contactId),
		into(action), into(actor), into(remote), into(after), now;
	Poco::JSON::Parser parser;
	return parser.parse(after).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

class ContactServiceTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactServiceTest);
	CPPUNIT_TEST(testCreateStoresContactWithDefaults);
	CPPUNIT_TEST(testCreateWritesAuditRow);
	CPPUNIT_TEST(testCreateByNonMemberWritesNothing);
	CPPUNIT_TEST(testCreateIsAllOrNothing);
	CPPUNIT_TEST(testListMineGroupsByCompanyWithUngroupedLast);
	CPPUNIT_TEST(testListMineHoldsOnlyOwnAndSharedContacts);
	CPPUNIT_TEST(testKeysetPagingReturnsEveryRowOnce);
	CPPUNIT_TEST(testListOrdersTextByCodePointOnEveryBackend);
	CPPUNIT_TEST(testListAllNeedsMaintainPermission);
	CPPUNIT_TEST(testListRejectsBadLimitCursorAndSearch);
	CPPUNIT_TEST(testListFiltersBySourceAndSearch);
	CPPUNIT_TEST(testListLooksUpNamesOncePerPage);
	CPPUNIT_TEST(testGroupsCountWithUngroupedLast);
	CPPUNIT_TEST(testGroupsOfAllNeedMaintainPermission);
	CPPUNIT_TEST(testGetReturnsContactWithNames);
	CPPUNIT_TEST(testMemberCannotGetAnotherMembersContact);
	CPPUNIT_TEST(testMaintainHolderAdminAndSharedMemberGetContact);
	CPPUNIT_TEST(testNobodyGetsContactOfAnotherOrg);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCreateStoresContactWithDefaults()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				ContactFields d = PluginBackend::draft("张三", "Acme");
				d.mobile = "+86 138-0013-8000";
				d.tags = {"vip", "客户"};
				ContactView created = b.service().create(PluginBackend::member(ALICE), d, "10.0.0.7");
				CPPUNIT_ASSERT(created.contact.id > 0);
				std::optional<ContactView> got = b.service().get(PluginBackend::member(ALICE), created.contact.id);
				CPPUNIT_ASSERT(got);
				const Contact& c = got->contact;
				CPPUNIT_ASSERT_EQUAL(std::string("张三"), c.name);
				CPPUNIT_ASSERT_EQUAL(std::string("Acme"), *c.company);
				CPPUNIT_ASSERT_EQUAL(std::string("+86 138-0013-8000"), *c.mobile);
				CPPUNIT_ASSERT(!c.email && !c.title && !c.remark);
				CPPUNIT_ASSERT(c.tags == std::vector<std::string>({"vip", "客户"}));
				CPPUNIT_ASSERT(c.source == ContactSource::Created);
				CPPUNIT_ASSERT_EQUAL(ALICE, c.addedBy);
				CPPUNIT_ASSERT_EQUAL(-5, c.securityLevel); // the org's default
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), c.version);
				CPPUNIT_ASSERT(c.createdAt > 0 && c.createdAt == c.updatedAt);
				CPPUNIT_ASSERT(c.visibleMembers == std::vector<Poco::Int64>({ALICE}));
				CPPUNIT_ASSERT_EQUAL(std::string("Alice"), *got->addedBy.displayName);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), got->visibleMembers.size());
				CPPUNIT_ASSERT_EQUAL(std::string("Alice"), *got->visibleMembers[0].displayName);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_visible_members"));
			});
	}

	void testCreateWritesAuditRow()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				ContactView created =
					b.service().create(PluginBackend::member(BOB), PluginBackend::draft("Li Si"), "10.0.0.8");
				std::string action, remote;
				Poco::Int64 actor = 0;
				Poco::JSON::Object::Ptr after = auditAfter(b, created.contact.id, action, actor, remote);
				CPPUNIT_ASSERT_EQUAL(std::string("contact.create"), action);
				CPPUNIT_ASSERT_EQUAL(BOB, actor);
				CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.8"), remote);
				CPPUNIT_ASSERT_EQUAL(std::string("Li Si"), after->getValue<std::string>("name"));
				CPPUNIT_ASSERT_EQUAL(BOB, after->getValue<Poco::Int64>("addedBy"));
				CPPUNIT_ASSERT_EQUAL(created.contact.id, after->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT(after->isNull("company"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), after->getArray("visibleMembers")->size());
				Poco::Int64 before = 1;
				Poco::Data::Session s = b.database().session();
				s << "SELECT COUNT(*) FROM ec_audit WHERE before_json IS NULL", into(before), now;
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), before);
			});
	}

	void testCreateByNonMemberWritesNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				assertDenied([&]
							 { b.service().create(PluginBackend::external(ALICE), PluginBackend::draft("X"), ""); });
				assertDenied([&] { b.service().create(Actor(), PluginBackend::draft("X"), ""); });
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_audit"));
			});
	}

	void testCreateIsAllOrNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				// The audit insert fails after the contact and its visible member
				// were written: the transaction must take both back.
				if (b.name() == "sqlite")
					b.execute("CREATE TRIGGER ec_test_fail BEFORE INSERT ON ec_audit BEGIN SELECT "
							  "RAISE(ABORT, 'audit down'); END");
				else
					b.execute("CREATE TRIGGER ec_test_fail BEFORE INSERT ON ec_audit FOR EACH ROW"
							  " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit down'");
				bool failed = false;
				try
				{
					b.create(ALICE, "Wang Wu", "Acme");
				}
				catch (const Poco::Exception&)
				{
					failed = true;
				}
				CPPUNIT_ASSERT(failed);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_visible_members"));
				b.execute("DROP TRIGGER ec_test_fail");
				b.create(ALICE, "Wang Wu", "Acme");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contacts"));
			});
	}

	void testListMineGroupsByCompanyWithUngroupedLast()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 noCompany = b.create(ALICE, "Aaron").contact.id;
				Poco::Int64 betaZed = b.create(ALICE, "Zed", "Beta").contact.id;
				Poco::Int64 acmeMia = b.create(ALICE, "Mia", "Acme").contact.id;
				Poco::Int64 acmeAl = b.create(ALICE, "Al", "Acme").contact.id;
				ContactPage page = b.service().list(PluginBackend::member(ALICE), pageOf(50));
				CPPUNIT_ASSERT(idsOf(page.items) == std::vector<Poco::Int64>({acmeAl, acmeMia, betaZed, noCompany}));
				CPPUNIT_ASSERT(!page.nextCursor);
				CPPUNIT_ASSERT_EQUAL(std::string("Alice"), *page.items[0].addedBy.displayName);
			});
	}

	void testListMineHoldsOnlyOwnAndSharedContacts()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 own = b.create(ALICE, "Own", "Acme").contact.id;
				Poco::Int64 bobs = b.create(BOB, "Bob's", "Acme").contact.id;
				Poco::Int64 sharedByBob = b.create(BOB, "Shared", "Acme").contact.id;
				b.create(CAROL, "Carol's");
				b.create(ALICE, "Other org", "", PluginBackend::OTHER_ORG);
				b.share(sharedByBob, ALICE);
				b.share(own, ALICE); // on her own share list too: still listed once
				ContactPage page = b.service().list(PluginBackend::member(ALICE), pageOf(50));
				CPPUNIT_ASSERT(idsOf(page.items) == std::vector<Poco::Int64>({own, sharedByBob}));
				ContactPage bobsPage = b.service().list(PluginBackend::member(BOB), pageOf(50));
				CPPUNIT_ASSERT(idsOf(bobsPage.items) == std::vector<Poco::Int64>({bobs, sharedByBob}));
			});
	}

	void testKeysetPagingReturnsEveryRowOnce()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				// Many equal names in equal groups, in two branches ("added by me"
				// and "shared with me") whose ids interleave.
				std::vector<std::tuple<int, std::string, std::string, Poco::Int64>> expected;
				auto add = [&](Poco::Int64 adder, const std::string& name, const std::string& company, bool shared)
				{
					Poco::Int64 id = b.create(adder, name, company).contact.id;
					if (shared) b.share(id, ALICE);
					if (adder == ALICE || shared) expected.emplace_back(company.empty() ? 1 : 0, company, name, id);
				};
				for (int i = 0; i < 9; ++i)
				{
					add(ALICE, "Same", "Acme", false);
					add(BOB, "Same", "Acme", i % 2 == 0);
					add(ALICE, "Same", "", false);
					add(CAROL, "Same", "", i % 3 == 0);
					add(BOB, "Other", "Acme", false);
				}
				add(ALICE, "Alpha", "Acme", false);
				add(ALICE, "Beta", "Beta", false);
				std::sort(expected.begin(), expected.end());
				std::vector<Poco::Int64> want;
				for (const auto& e : expected)
					want.push_back(std::get<3>(e));
				for (std::size_t limit : {1, 2, 3, 5, 7, 50})
				{
					std::vector<Poco::Int64> got = allPages(b.service(), PluginBackend::member(ALICE), pageOf(limit));
					CPPUNIT_ASSERT_EQUAL(want.size(), got.size());
					CPPUNIT_ASSERT(want == got);
				}
				// The whole org, as a holder of the maintain permission sees it.
				b.directory().grant(CAROL, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				std::vector<Poco::Int64> all =
					allPages(b.service(), PluginBackend::member(CAROL), pageOf(4, AccessPolicy::Scope::All));
				CPPUNIT_ASSERT_EQUAL(std::size_t(b.count("ec_contacts")), all.size());
				CPPUNIT_ASSERT_EQUAL(all.size(), std::set<Poco::Int64>(all.begin(), all.end()).size());
			});
	}

	void testListOrdersTextByCodePointOnEveryBackend()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				// Case, accents, CJK and emoji must not sort by a locale: the
				// same page order on SQLite and MariaDB.
				const std::vector<std::string> names = {"zhang", "Zhang", "Émile", "Emile", "张三",
														"李四",  "😀",     "a b",   "ab"};
				for (const std::string& n : names)
					b.create(ALICE, n, "Acme");
				std::vector<std::string> want(names);
				std::sort(want.begin(), want.end());
				ContactPage page = b.service().list(PluginBackend::member(ALICE), pageOf(50));
				std::vector<std::string> got;
				for (const ContactView& v : page.items)
					got.push_back(v.contact.name);
				CPPUNIT_ASSERT(want == got);
				std::vector<Poco::Int64> paged = allPages(b.service(), PluginBackend::member(ALICE), pageOf(2));
				CPPUNIT_ASSERT(paged == idsOf(page.items));
			});
	}

	void testListAllNeedsMaintainPermission()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(ALICE, "A");
				b.create(BOB, "B");
				b.create(BOB, "Elsewhere", "", PluginBackend::OTHER_ORG);
				assertDenied([&]
							 { b.service().list(PluginBackend::member(CAROL), pageOf(50, AccessPolicy::Scope::All)); });
				assertDenied([&] { b.service().list(PluginBackend::external(CAROL), pageOf(50)); });
				assertDenied([&] { b.service().list(Actor(), pageOf(50)); });
				b.directory().grant(CAROL, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				CPPUNIT_ASSERT_EQUAL(
					std::size_t(2),
					b.service().list(PluginBackend::member(CAROL), pageOf(50, AccessPolicy::Scope::All)).items.size());
				Actor admin = PluginBackend::member(4, PluginBackend::ORG, true);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2),
									 b.service().list(admin, pageOf(50, AccessPolicy::Scope::All)).items.size());
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), b.service().list(admin, pageOf(50)).items.size());
			});
	}

	void testListRejectsBadLimitCursorAndSearch()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Actor alice = PluginBackend::member(ALICE);
				assertValidationError("limit", [&] { b.service().list(alice, pageOf(0)); });
				assertValidationError("limit", [&] { b.service().list(alice, pageOf(101)); });
				ListRequest badCursor = pageOf(10);
				badCursor.cursor = "not-a-cursor";
				assertValidationError("cursor", [&] { b.service().list(alice, badCursor); });
				ListRequest badSearch = pageOf(10);
				badSearch.search = "a\nb";
				assertValidationError("q", [&] { b.service().list(alice, badSearch); });
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), b.service().list(alice, pageOf(100)).items.size());
			});
	}

	void testListFiltersBySourceAndSearch()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				ContactFields d = PluginBackend::draft("Zhang San", "Acme");
				d.email = "zs@example.com";
				Poco::Int64 zhang = b.service().create(PluginBackend::member(ALICE), d, "").contact.id;
				Poco::Int64 percent = b.create(ALICE, "100% Li", "Beta").contact.id;
				Poco::Int64 invited = b.create(ALICE, "Wang", "Gamma").contact.id;
				b.execute("UPDATE ec_contacts SET source = 'wechat_invite' WHERE id = " + std::to_string(invited));
				Actor alice = PluginBackend::member(ALICE);
				ListRequest r = pageOf(50);
				r.source = ContactSource::WechatInvite;
				CPPUNIT_ASSERT(idsOf(b.service().list(alice, r).items) == std::vector<Poco::Int64>({invited}));
				r.source.reset();
				r.search = "ZHANG";
				CPPUNIT_ASSERT(idsOf(b.service().list(alice, r).items) == std::vector<Poco::Int64>({zhang}));
				r.search = "example.COM";
				CPPUNIT_ASSERT(idsOf(b.service().list(alice, r).items) == std::vector<Poco::Int64>({zhang}));
				r.search = "beta";
				CPPUNIT_ASSERT(idsOf(b.service().list(alice, r).items) == std::vector<Poco::Int64>({percent}));
				r.search = "100%"; // no wildcards: % separates words, 100 begins one
				CPPUNIT_ASSERT(idsOf(b.service().list(alice, r).items) == std::vector<Poco::Int64>({percent}));
				r.search = "_";
				CPPUNIT_ASSERT(b.service().list(alice, r).items.empty());
				r.search = "beta";
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.service().groups(alice, r).total);
			});
	}

	void testListLooksUpNamesOncePerPage()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				for (int i = 0; i < 6; ++i)
				{
					Poco::Int64 id = b.create(i % 2 ? BOB : CAROL, "N" + std::to_string(i)).contact.id;
					b.share(id, ALICE);
				}
				int before = b.directory().displayNameCallsForTest();
				ContactPage page = b.service().list(PluginBackend::member(ALICE), pageOf(50));
				CPPUNIT_ASSERT_EQUAL(std::size_t(6), page.items.size());
				CPPUNIT_ASSERT_EQUAL(before + 1, b.directory().displayNameCallsForTest());
				for (const ContactView& v : page.items)
					CPPUNIT_ASSERT_EQUAL(std::string(v.contact.addedBy == BOB ? "Bob" : "Carol"),
										 *v.addedBy.displayName);
			});
	}

	void testGroupsCountWithUngroupedLast()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(ALICE, "a", "Beta");
				b.create(ALICE, "b", "Acme");
				b.create(ALICE, "c");
				b.create(ALICE, "d", "Acme");
				Poco::Int64 shared = b.create(BOB, "e", "Acme").contact.id;
				b.share(shared, ALICE);
				Poco::Int64 sharedUngrouped = b.create(BOB, "f").contact.id;
				b.share(sharedUngrouped, ALICE);
				b.create(BOB, "not shared", "Zeta");
				GroupList groups = b.service().groups(PluginBackend::member(ALICE), pageOf(50));
				CPPUNIT_ASSERT_EQUAL(std::size_t(3), groups.items.size());
				CPPUNIT_ASSERT_EQUAL(std::string("Acme"), *groups.items[0].name);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), groups.items[0].count);
				CPPUNIT_ASSERT_EQUAL(std::string("Beta"), *groups.items[1].name);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), groups.items[1].count);
				CPPUNIT_ASSERT(!groups.items[2].name); // 未分组
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), groups.items[2].count);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), groups.total);
			});
	}

	void testGroupsOfAllNeedMaintainPermission()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(ALICE, "a", "Acme");
				b.create(BOB, "b", "Acme");
				b.create(BOB, "c");
				assertDenied(
					[&] { b.service().groups(PluginBackend::member(CAROL), pageOf(50, AccessPolicy::Scope::All)); });
				b.directory().grant(CAROL, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				GroupList groups =
					b.service().groups(PluginBackend::member(CAROL), pageOf(50, AccessPolicy::Scope::All));
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), groups.items.size());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), groups.items[0].count);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), groups.total);
			});
	}

	void testGetReturnsContactWithNames()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(BOB, "Zhang San", "Acme").contact.id;
				std::optional<ContactView> v = b.service().get(PluginBackend::member(BOB), id);
				CPPUNIT_ASSERT(v);
				CPPUNIT_ASSERT_EQUAL(std::string("Bob"), *v->addedBy.displayName);
				CPPUNIT_ASSERT_EQUAL(BOB, v->visibleMembers.at(0).id);
				CPPUNIT_ASSERT(!b.service().get(PluginBackend::member(BOB), id + 1000));
			});
	}

	void testMemberCannotGetAnotherMembersContact()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(BOB, "Hidden").contact.id;
				CPPUNIT_ASSERT(!b.service().get(PluginBackend::member(ALICE), id));
				CPPUNIT_ASSERT(!b.service().get(PluginBackend::external(BOB), id));
				CPPUNIT_ASSERT(!b.service().get(Actor(), id));
			});
	}

	void testMaintainHolderAdminAndSharedMemberGetContact()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(BOB, "Visible").contact.id;
				b.share(id, CAROL);
				CPPUNIT_ASSERT(b.service().get(PluginBackend::member(CAROL), id));
				CPPUNIT_ASSERT(b.service().get(PluginBackend::member(4, PluginBackend::ORG, true), id));
				CPPUNIT_ASSERT(!b.service().get(PluginBackend::member(ALICE), id));
				b.directory().grant(ALICE, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				CPPUNIT_ASSERT(b.service().get(PluginBackend::member(ALICE), id));
			});
	}

	void testNobodyGetsContactOfAnotherOrg()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(BOB, "Foreign", "", PluginBackend::OTHER_ORG).contact.id;
				b.directory().grant(ALICE, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				b.share(id, ALICE, PluginBackend::ORG);
				CPPUNIT_ASSERT(!b.service().get(PluginBackend::member(ALICE), id));
				CPPUNIT_ASSERT(!b.service().get(PluginBackend::member(BOB), id)); // Bob, but in his other org
				CPPUNIT_ASSERT(!b.service().get(PluginBackend::member(4, PluginBackend::ORG, true), id));
				CPPUNIT_ASSERT(b.service().get(PluginBackend::member(BOB, PluginBackend::OTHER_ORG), id));
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactServiceTest);
