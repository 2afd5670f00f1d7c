// GET /members?q=&limit= (the member picker's search) through the entry the
// host calls: members of the caller's current org only, q and limit checked
// and named, anonymous callers 401, external users 404.
#include "RouteCall.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace RouteTest;

namespace
{

constexpr Poco::Int64 CAROL = 3;
constexpr Poco::Int64 BOBO = 4;  // a member of the other org
constexpr Poco::Int64 LINA = 5;  // 李娜, a member of ORG
constexpr Poco::Int64 GUEST = 6; // known to the host, a member of no org

// One GET /members as userId (member of orgId) with the raw query string.
Answer search(Http& http, const std::string& query, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER,
			  Poco::Int64 orgId = PluginBackend::ORG)
{
	hostsdk_caller_v1 caller{};
	caller.user_id = userId;
	caller.org_id = kind == HOSTSDK_CALLER_ANONYMOUS ? 0 : orgId;
	caller.kind = kind;
	caller.session_id_hash = "abc";
	caller.remote_addr = "192.0.2.1";
	caller.locale = "zh-CN";
	hostsdk_request_v1 req{};
	req.struct_size = sizeof(req);
	req.method = "GET";
	req.route = "/members";
	req.path = "/members";
	req.path_params = "{}";
	req.query = query.c_str();
	req.headers = "{}";
	req.body = "";
	req.body_len = 0;
	req.caller = &caller;
	Answer answer;
	hostsdk_response_v1 resp{};
	resp.struct_size = sizeof(resp);
	resp.ctx = &answer;
	resp.set_status = [](void* ctx, int status) { static_cast<Answer*>(ctx)->status = status; };
	resp.set_header = [](void* ctx, const char* n, const char* v) { static_cast<Answer*>(ctx)->headers[n] = v; };
	resp.write = [](void* ctx, const char* d, size_t n) { static_cast<Answer*>(ctx)->body.append(d, n); };
	CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK),
						 http.routes.table().call(&ContactRoutes::searchMembers, &req, &resp));
	return answer;
}

void seed(PluginBackend& b)
{
	b.directory().addUser(BOBO, "Bobo");
	b.directory().addMember(PluginBackend::OTHER_ORG, BOBO);
	b.directory().addUser(LINA, "李娜");
	b.directory().addMember(PluginBackend::ORG, LINA);
	b.directory().addUser(GUEST, "Bob Guest");
}

std::string repeat(const std::string& s, int n)
{
	std::string out;
	for (int i = 0; i < n; ++i)
		out += s;
	return out;
}

} // namespace

class MemberSearchRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(MemberSearchRoutesTest);
	CPPUNIT_TEST(testFindsMembersOfTheCallersOrgOnly);
	CPPUNIT_TEST(testTrimsAndLimits);
	CPPUNIT_TEST(testRefusesBadInputNamingTheParameter);
	CPPUNIT_TEST(testOnlyMembersMaySearch);
	CPPUNIT_TEST_SUITE_END();

public:
	void testFindsMembersOfTheCallersOrgOnly()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				seed(b);
				Http http(b);
				Answer bob = search(http, "q=Bo");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(bob.body, 200, bob.status);
				CPPUNIT_ASSERT_EQUAL(std::string("application/json; charset=utf-8"), bob.headers.at("Content-Type"));
				CPPUNIT_ASSERT_EQUAL(std::string("no-store"), bob.headers.at("Cache-Control"));
				// Not Bobo (another org), not the guest (no member of the org).
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[{"id":2,"displayName":"Bob","login":"user2"}]})"),
									 bob.body);
				// The other org's member finds only his org's people.
				Answer other = search(http, "q=Bo", BOBO, HOSTSDK_CALLER_MEMBER, PluginBackend::OTHER_ORG);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[{"id":4,"displayName":"Bobo","login":"user4"}]})"),
									 other.body);
				// Chinese, percent-encoded.
				Answer lina = search(http, "q=%E5%A8%9C");
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[{"id":5,"displayName":"李娜","login":"user5"}]})"),
									 lina.body);
				Answer none = search(http, "q=zzz");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(none.body, 200, none.status);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[]})"), none.body);
				Answer guest = search(http, "q=Guest");
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[]})"), guest.body);
			});
	}

	void testTrimsAndLimits()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				seed(b);
				Http http(b);
				// Bob and Carol contain "o"; '+' is a space and spaces are trimmed.
				Answer both = search(http, "q=++o%20&limit=20");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(both.body, 200, both.status);
				Poco::JSON::Array::Ptr items = both.json()->getArray("items");
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), items->size());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), items->getObject(0)->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), items->getObject(1)->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT(keysOf(*items->getObject(0)) ==
							   std::vector<std::string>({"displayName", "id", "login"}));
				Answer one = search(http, "q=o&limit=1");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(one.body, 200, one.status);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), one.json()->getArray("items")->size());
				// The default limit (10) holds them all; unknown parameters are ignored.
				Answer plain = search(http, "q=o&cursor=x&foo=1");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(plain.body, 200, plain.status);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), plain.json()->getArray("items")->size());
				// 64 characters (code points, not bytes) are allowed.
				CPPUNIT_ASSERT_EQUAL(200, search(http, "q=" + repeat("x", 64)).status);
				CPPUNIT_ASSERT_EQUAL(200, search(http, "q=" + repeat("%E5%A8%9C", 64)).status);
				CPPUNIT_ASSERT_EQUAL(200, search(http, "q=%20" + repeat("x", 64) + "%20").status);
			});
	}

	void testRefusesBadInputNamingTheParameter()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				seed(b);
				Http http(b);
				const std::pair<std::string, std::string> cases[] = {
					{"", "q"},
					{"limit=5", "q"},
					{"q=", "q"},
					{"q=+++", "q"},
					{"q=%E3%80%80", "q"}, // an ideographic space alone
					{"q=" + repeat("x", 65), "q"},
					{"q=" + repeat("%E5%A8%9C", 65), "q"},
					{"q=a%01b", "q"},
					{"q=a%0Ab", "q"},
					{"q=%FF", "q"},
					{"q=%zz", "q"},
					{"q=a&q=b", "q"},
					{"q=Bo&limit=0", "limit"},
					{"q=Bo&limit=21", "limit"},
					{"q=Bo&limit=x", "limit"},
					{"q=Bo&limit=-1", "limit"},
					{"q=Bo&limit=1.5", "limit"},
					{"q=Bo&limit=+5", "limit"},
					{"q=Bo&limit=", "limit"},
					{"q=Bo&limit=1&limit=2", "limit"},
					{"limit=0", "q"}, // both bad: q is named
				};
				for (const auto& [query, field] : cases)
				{
					Answer a = search(http, query);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(query + " -> " + a.body, 400, a.status);
					assertError(a, 400, "validation_failed", field);
				}
			});
	}

	void testOnlyMembersMaySearch()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				seed(b);
				Http http(b);
				// Anonymous callers are asked to sign in before their input is looked at.
				assertError(search(http, "q=Bo", 0, HOSTSDK_CALLER_ANONYMOUS), 401, "unauthenticated", "");
				assertError(search(http, "", 0, HOSTSDK_CALLER_ANONYMOUS), 401, "unauthenticated", "");
				// External users get the 404 of every contact route.
				assertError(search(http, "q=Bo", GUEST, HOSTSDK_CALLER_EXTERNAL), 404, "not_found", "");
				assertError(search(http, "q=", GUEST, HOSTSDK_CALLER_EXTERNAL), 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(200, search(http, "q=Bo", CAROL).status);
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(MemberSearchRoutesTest);
