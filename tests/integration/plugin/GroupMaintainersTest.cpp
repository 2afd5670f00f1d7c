#include "RouteCall.h"

#include <cppunit/extensions/HelperMacros.h>
#include <set>

using namespace RouteTest;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 CAROL = 3;

Poco::Int64 auditRows(PluginBackend& b)
{
	Poco::Data::Session s = b.database().session();
	Poco::Int64 n = 0;
	s << "SELECT COUNT(*) FROM ec_audit WHERE action = 'group.maintainers' AND contact_id IS NULL", into(n), now;
	return n;
}

Answer setMaintainers(Http& http, const std::string& body)
{
	Answer a = http.putGroupMaintainers(body).as(ALICE, HOSTSDK_CALLER_MEMBER, true).send();
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
	return a;
}

std::vector<Poco::Int64> idsOf(const Answer& page)
{
	std::vector<Poco::Int64> ids;
	Poco::JSON::Array::Ptr items = page.json()->getArray("items");
	for (std::size_t i = 0; i < items->size(); ++i)
		ids.push_back(items->getObject(static_cast<unsigned>(i))->getValue<Poco::Int64>("id"));
	return ids;
}

} // namespace

class GroupMaintainersTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(GroupMaintainersTest);
	CPPUNIT_TEST(testAdminSetsAndPagesMaintainers);
	CPPUNIT_TEST(testOnlyAdminsManageMaintainers);
	CPPUNIT_TEST(testBadInputWritesNothing);
	CPPUNIT_TEST(testMaintainerSeesAndMaintainsOnlyTheirGroups);
	CPPUNIT_TEST(testScopeAllShowsAMaintainerTheirGroupsOnce);
	CPPUNIT_TEST_SUITE_END();

public:
	void testAdminSetsAndPagesMaintainers()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				Answer acme = setMaintainers(http, R"({"group":" Acme ","maintainers":[3,2,3]})");
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"group":"Acme","maintainers":[{"id":2,"displayName":"Bob"},)"
												 R"({"id":3,"displayName":"Carol"}]})"),
									 acme.body);
				Answer none = setMaintainers(http, R"({"group":null,"maintainers":[2]})");
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"group":null,"maintainers":[{"id":2,"displayName":"Bob"}]})"),
									 none.body);
				setMaintainers(http, R"({"group":"北京","maintainers":[1]})");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), auditRows(b));
				// The same list again writes nothing.
				setMaintainers(http, R"({"group":"Acme","maintainers":[2,3]})");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), auditRows(b));

				// Pages of one group cover the three groups once, 未分组 first.
				std::vector<std::string> seen;
				std::string cursor;
				for (int page = 0; page < 4; ++page)
				{
					Call call = http.groupMaintainers().as(ALICE, HOSTSDK_CALLER_MEMBER, true);
					call.query("limit=1" + (cursor.empty() ? std::string() : "&cursor=" + cursor));
					Answer a = call.send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
					Poco::JSON::Array::Ptr items = a.json()->getArray("items");
					CPPUNIT_ASSERT_EQUAL(std::size_t(1), items->size());
					Poco::Dynamic::Var group = items->getObject(0)->get("group");
					seen.push_back(group.isEmpty() ? "<none>" : group.toString());
					Poco::Dynamic::Var next = a.json()->get("nextCursor");
					if (next.isEmpty()) break;
					cursor = next.toString();
				}
				CPPUNIT_ASSERT(seen == std::vector<std::string>({"<none>", "Acme", "北京"}));

				// An empty list takes the group off.
				setMaintainers(http, R"({"group":"Acme","maintainers":[]})");
				Answer all = http.groupMaintainers().as(ALICE, HOSTSDK_CALLER_MEMBER, true).send();
				CPPUNIT_ASSERT_EQUAL(
					std::string(R"({"items":[{"group":null,"maintainers":[{"id":2,"displayName":"Bob"}]},)"
								R"({"group":"北京","maintainers":[{"id":1,"displayName":"Alice"}]}],)"
								R"("nextCursor":null})"),
					all.body);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), auditRows(b));
			});
	}

	void testOnlyAdminsManageMaintainers()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				const std::string body = R"({"group":"Acme","maintainers":[2]})";
				b.directory().grant(BOB, PluginBackend::ORG, "external_contacts.maintain");
				for (Poco::Int64 member : {BOB, CAROL})
				{
					assertError(http.groupMaintainers().as(member).send(), 403, "forbidden", "");
					assertError(http.putGroupMaintainers(body).as(member).send(), 403, "forbidden", "");
				}
				assertError(http.groupMaintainers().as(BOB, HOSTSDK_CALLER_EXTERNAL).send(), 404, "not_found", "");
				assertError(http.putGroupMaintainers(body).as(BOB, HOSTSDK_CALLER_EXTERNAL).send(), 404, "not_found",
							"");
				assertError(http.groupMaintainers().as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401, "unauthenticated", "");
				assertError(http.putGroupMaintainers(body).as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401,
							"unauthenticated", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_group_maintainers"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), auditRows(b));
			});
	}

	void testBadInputWritesNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				std::string many = "[";
				for (int i = 1; i <= 51; ++i)
					many += (i > 1 ? "," : "") + std::to_string(i);
				many += "]";
				const std::pair<std::string, std::string> cases[] = {
					{R"({"maintainers":[2]})", "group"},
					{R"({"group":5,"maintainers":[2]})", "group"},
					{R"({"group":"   ","maintainers":[2]})", "group"},
					{R"({"group":")" + std::string(101, 'x') + R"(","maintainers":[2]})", "group"},
					{R"({"group":"a\u0001b","maintainers":[2]})", "group"},
					{R"({"group":"Acme"})", "maintainers"},
					{R"({"group":"Acme","maintainers":"2"})", "maintainers"},
					{R"({"group":"Acme","maintainers":[0]})", "maintainers"},
					{R"({"group":"Acme","maintainers":[-2]})", "maintainers"},
					{R"({"group":"Acme","maintainers":[true]})", "maintainers"},
					{R"({"group":"Acme","maintainers":[2.5]})", "maintainers"},
					{R"({"group":"Acme","maintainers":)" + many + "}", "maintainers"},
					{R"({"group":"Acme","maintainers":[2,99]})", "maintainers"},
				};
				for (const auto& c : cases)
				{
					Answer a = http.putGroupMaintainers(c.first).as(ALICE, HOSTSDK_CALLER_MEMBER, true).send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first + " -> " + a.body, 400, a.status);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first + " -> " + a.body, c.second, a.errorField());
				}
				assertError(http.putGroupMaintainers(R"({"group":"Acme","maintainers":[2],"x":1})")
								.as(ALICE, HOSTSDK_CALLER_MEMBER, true)
								.send(),
							400, "unknown_field", "x");
				assertError(http.putGroupMaintainers("[1]").as(ALICE, HOSTSDK_CALLER_MEMBER, true).send(), 400,
							"invalid_json", "");
				const std::string badQueries[] = {"limit=0", "limit=101", "limit=x", "cursor=%%%", "cursor=abc"};
				for (const std::string& q : badQueries)
				{
					Answer a = http.groupMaintainers().as(ALICE, HOSTSDK_CALLER_MEMBER, true).query(q).send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(q + " -> " + a.body, 400, a.status);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(q + " -> " + a.body, q.substr(0, q.find('=')), a.errorField());
				}
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_group_maintainers"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), auditRows(b));
			});
	}

	void testMaintainerSeesAndMaintainsOnlyTheirGroups()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				Poco::Int64 acme = b.create(BOB, "Zhang", "Acme").contact.id;
				Poco::Int64 other = b.create(BOB, "Li", "Other").contact.id;
				Poco::Int64 loose = b.create(BOB, "Wang").contact.id;
				// Not yet a maintainer: nothing of Bob's is Carol's.
				assertError(http.get(std::to_string(acme)).as(CAROL).send(), 404, "not_found", "");
				assertError(http.list().as(CAROL).query("scope=all").send(), 403, "forbidden", "");
				setMaintainers(http, R"({"group":"Acme","maintainers":[3]})");

				CPPUNIT_ASSERT_EQUAL(200, http.get(std::to_string(acme)).as(CAROL).send().status);
				Answer edit = http.patch(acme, R"({"version":1,"title":"CEO"})").as(CAROL).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(edit.body, 200, edit.status);
				Answer perms = http.putPermissions(acme, R"({"version":2,"visibleMembers":[2,3],"securityLevel":-3})")
								   .as(CAROL)
								   .send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(perms.body, 200, perms.status);
				Answer shares = http.putShares(acme, R"({"members":[1]})").as(CAROL).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(shares.body, 200, shares.status);
				Answer history = http.history(acme).as(CAROL).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(history.body, 200, history.status);
				CPPUNIT_ASSERT_EQUAL(std::size_t(4), history.json()->getArray("items")->size());

				for (Poco::Int64 id : {other, loose})
				{
					assertError(http.get(std::to_string(id)).as(CAROL).send(), 404, "not_found", "");
					assertError(http.patch(id, R"({"version":1,"title":"x"})").as(CAROL).send(), 404, "not_found", "");
					assertError(http.history(id).as(CAROL).send(), 404, "not_found", "");
					assertError(http.remove(id).as(CAROL).send(), 404, "not_found", "");
				}
				// 未分组 is a group like any other.
				setMaintainers(http, R"({"group":null,"maintainers":[3]})");
				CPPUNIT_ASSERT_EQUAL(200, http.get(std::to_string(loose)).as(CAROL).send().status);
				CPPUNIT_ASSERT_EQUAL(204, http.remove(loose).as(CAROL).send().status);
				// A contact moved out of the group leaves the maintainer's sight.
				CPPUNIT_ASSERT_EQUAL(200, http.patch(acme, R"({"version":3,"company":"Other"})").as(BOB).send().status);
				assertError(http.get(std::to_string(acme)).as(CAROL).send(), 404, "not_found", "");
				// Taken off the groups: scope "all" is closed again.
				setMaintainers(http, R"({"group":null,"maintainers":[]})");
				CPPUNIT_ASSERT_EQUAL(200, http.list().as(CAROL).query("scope=all").send().status);
				setMaintainers(http, R"({"group":"Acme","maintainers":[]})");
				assertError(http.list().as(CAROL).query("scope=all").send(), 403, "forbidden", "");
			});
	}

	void testScopeAllShowsAMaintainerTheirGroupsOnce()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				std::vector<Poco::Int64> expected;
				const std::string companies[] = {"A", "B", "", "C", "Bb"};
				for (int i = 0; i < 35; ++i)
				{
					const std::string& company = companies[i % 5];
					// Equal names in a group: the id decides.
					Poco::Int64 id = b.create(i % 2 ? BOB : ALICE, "N" + std::to_string(i % 4), company).contact.id;
					if (company == "B" || company.empty()) expected.push_back(id);
				}
				Poco::Int64 own = b.create(CAROL, "Mine", "A").contact.id;
				setMaintainers(http, R"({"group":"B","maintainers":[3]})");
				setMaintainers(http, R"({"group":null,"maintainers":[3]})");

				std::vector<Poco::Int64> seen;
				std::string cursor;
				for (int page = 0; page < 20; ++page)
				{
					Call call = http.list().as(CAROL);
					call.query("scope=all&limit=3" + (cursor.empty() ? std::string() : "&cursor=" + cursor));
					Answer a = call.send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
					std::vector<Poco::Int64> ids = idsOf(a);
					seen.insert(seen.end(), ids.begin(), ids.end());
					Poco::Dynamic::Var next = a.json()->get("nextCursor");
					if (next.isEmpty()) break;
					cursor = next.toString();
				}
				// Every row of the groups once, B before 未分组, by name then id.
				CPPUNIT_ASSERT_EQUAL(expected.size(), seen.size());
				CPPUNIT_ASSERT_EQUAL(expected.size(), std::set<Poco::Int64>(seen.begin(), seen.end()).size());
				CPPUNIT_ASSERT(std::set<Poco::Int64>(seen.begin(), seen.end()) ==
							   std::set<Poco::Int64>(expected.begin(), expected.end()));
				CPPUNIT_ASSERT(std::find(seen.begin(), seen.end(), own) == seen.end());
				for (std::size_t i = 1; i < seen.size(); ++i)
				{
					std::optional<ContactView> prev =
						b.service().get(PluginBackend::member(ALICE, PluginBackend::ORG, true), seen[i - 1]);
					std::optional<ContactView> cur =
						b.service().get(PluginBackend::member(ALICE, PluginBackend::ORG, true), seen[i]);
					CPPUNIT_ASSERT(prev->contact.sortKey() < cur->contact.sortKey());
				}

				Answer groups = http.groups().as(CAROL).query("scope=all").send();
				CPPUNIT_ASSERT_EQUAL(
					std::string(R"({"items":[{"name":"B","count":7},{"name":null,"count":7}],"total":14})"),
					groups.body);
				Answer search = http.list().as(CAROL).query("scope=all&q=n1").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(search.body, 200, search.status);
				for (Poco::Int64 id : idsOf(search))
					CPPUNIT_ASSERT(std::find(expected.begin(), expected.end(), id) != expected.end());
				// "mine" stays what the member added or was given.
				CPPUNIT_ASSERT(idsOf(http.list().as(CAROL).send()) == std::vector<Poco::Int64>({own}));
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(GroupMaintainersTest);
