#include "RouteCall.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace RouteTest;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 CAROL = 3;

Poco::Int64 auditRows(PluginBackend& b, const std::string& action)
{
	Poco::Data::Session s = b.database().session();
	Poco::Int64 n = 0;
	s << "SELECT COUNT(*) FROM ec_audit WHERE action = ?", useRef(action), into(n), now;
	return n;
}

std::vector<Poco::Int64> idsIn(const Poco::JSON::Array::Ptr& people)
{
	std::vector<Poco::Int64> ids;
	for (std::size_t i = 0; i < people->size(); ++i)
		ids.push_back(people->getObject(static_cast<unsigned>(i))->getValue<Poco::Int64>("id"));
	return ids;
}

} // namespace

class SharingRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SharingRoutesTest);
	CPPUNIT_TEST(testPermissionsAreReadAndReplaced);
	CPPUNIT_TEST(testPermissionsRejectBadInputAndWriteNothing);
	CPPUNIT_TEST(testPermissionsFollowAccessPolicy);
	CPPUNIT_TEST(testShareListDecidesWhoSeesTheContact);
	CPPUNIT_TEST(testSharesRejectBadInputAndWriteNothing);
	CPPUNIT_TEST(testSharesFollowAccessPolicy);
	CPPUNIT_TEST(testContactAnswerSaysWhatTheCallerMayDo);
	CPPUNIT_TEST_SUITE_END();

public:
	void testPermissionsAreReadAndReplaced()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				Answer got = http.getPermissions(id).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(got.body, 200, got.status);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"visibleMembers":[{"id":1,"displayName":"Alice"}],)"
												 R"("securityLevel":-5,"version":1})"),
									 got.body);
				Answer put =
					http.putPermissions(id, R"({"version":1,"visibleMembers":[2,1,2],"securityLevel":-999})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 200, put.status);
				CPPUNIT_ASSERT(idsIn(put.json()->getArray("visibleMembers")) == std::vector<Poco::Int64>({1, 2}));
				CPPUNIT_ASSERT_EQUAL(-999, put.json()->getValue<int>("securityLevel"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), put.json()->getValue<Poco::Int64>("version"));
				Answer card = http.get(std::to_string(id)).send();
				CPPUNIT_ASSERT_EQUAL(-999, card.json()->getValue<int>("securityLevel"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), card.json()->getArray("visibleMembers")->size());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), auditRows(b, "contact.permissions"));
				Answer empty = http.putPermissions(id, R"({"version":2,"visibleMembers":[],"securityLevel":0})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(empty.body, 200, empty.status);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_visible_members"));
				// A permissions change moves the version: an edit from the old one conflicts.
				assertError(http.patch(id, R"({"version":2,"title":"x"})").send(), 409, "conflict", "");
			});
	}

	void testPermissionsRejectBadInputAndWriteNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				const std::pair<std::string, std::string> cases[] = {
					{R"({"version":1,"visibleMembers":[1],"securityLevel":1})", "securityLevel"},
					{R"({"version":1,"visibleMembers":[1],"securityLevel":-1000})", "securityLevel"},
					{R"({"version":1,"visibleMembers":[1],"securityLevel":"0"})", "securityLevel"},
					{R"({"version":1,"visibleMembers":[1],"securityLevel":-1.5})", "securityLevel"},
					{R"({"version":1,"visibleMembers":[1]})", "securityLevel"},
					{R"({"version":1,"visibleMembers":[1,99],"securityLevel":0})", "visibleMembers"},
					{R"({"version":1,"visibleMembers":[0],"securityLevel":0})", "visibleMembers"},
					{R"({"version":1,"visibleMembers":["2"],"securityLevel":0})", "visibleMembers"},
					{R"({"version":1,"visibleMembers":2,"securityLevel":0})", "visibleMembers"},
					{R"({"version":1,"securityLevel":0})", "visibleMembers"},
					{R"({"visibleMembers":[1],"securityLevel":0})", "version"},
				};
				for (const auto& [body, field] : cases)
					assertError(http.putPermissions(id, body).send(), 400, "validation_failed", field);
				assertError(
					http.putPermissions(id, R"({"version":1,"visibleMembers":[1],"securityLevel":0,"x":1})").send(),
					400, "unknown_field", "x");
				assertError(http.putPermissions(id, "{").send(), 400, "invalid_json", "");
				b.directory().addUser(7, "Eve"); // known to the host, but not a member of the org
				assertError(http.putPermissions(id, R"({"version":1,"visibleMembers":[7],"securityLevel":0})").send(),
							400, "validation_failed", "visibleMembers");
				assertError(http.putPermissions(id, R"({"version":5,"visibleMembers":[1],"securityLevel":0})").send(),
							409, "conflict", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_visible_members"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_audit"));
				Answer got = http.getPermissions(id).send();
				CPPUNIT_ASSERT_EQUAL(-5, got.json()->getValue<int>("securityLevel"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), got.json()->getValue<Poco::Int64>("version"));
			});
	}

	void testPermissionsFollowAccessPolicy()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				std::string body = R"({"version":1,"visibleMembers":[1],"securityLevel":-1})";
				Answer missing = http.getPermissions(id + 1000).as(BOB).send();
				assertError(missing, 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(missing.body, http.getPermissions(id).as(BOB).send().body);
				CPPUNIT_ASSERT_EQUAL(missing.body, http.putPermissions(id, body).as(BOB).send().body);
				assertError(http.getPermissions(id).as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 404, "not_found", "");
				assertError(http.putPermissions(id, body).as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401,
							"unauthenticated", "");
				b.share(id, CAROL);
				CPPUNIT_ASSERT_EQUAL(200, http.getPermissions(id).as(CAROL).send().status);
				assertError(http.putPermissions(id, body).as(CAROL).send(), 403, "forbidden", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), auditRows(b, "contact.permissions"));
				b.directory().grant(BOB, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				CPPUNIT_ASSERT_EQUAL(200, http.putPermissions(id, body).as(BOB).send().status);
			});
	}

	void testShareListDecidesWhoSeesTheContact()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"members":[]})"), http.getShares(id).send().body);
				Answer put = http.putShares(id, R"({"members":[3,2,3]})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 200, put.status);
				CPPUNIT_ASSERT_EQUAL(
					std::string(R"({"members":[{"id":2,"displayName":"Bob"},{"id":3,"displayName":"Carol"}]})"),
					put.body);
				CPPUNIT_ASSERT_EQUAL(200, http.get(std::to_string(id)).as(BOB).send().status);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.list().as(BOB).send().json()->getArray("items")->size());
				CPPUNIT_ASSERT_EQUAL(put.body, http.getShares(id).as(BOB).send().body);

				CPPUNIT_ASSERT_EQUAL(200, http.putShares(id, R"({"members":[3]})").send().status);
				assertError(http.get(std::to_string(id)).as(BOB).send(), 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), http.list().as(BOB).send().json()->getArray("items")->size());
				CPPUNIT_ASSERT_EQUAL(200, http.get(std::to_string(id)).as(CAROL).send().status);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), auditRows(b, "contact.shares"));
				// The same list again changes nothing and records nothing.
				CPPUNIT_ASSERT_EQUAL(200, http.putShares(id, R"({"members":[3]})").send().status);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), auditRows(b, "contact.shares"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_shares"));
			});
	}

	void testSharesRejectBadInputAndWriteNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				for (const char* body :
					 {R"({"members":[99]})", R"({"members":[2,99]})", R"({"members":"2"})", R"({"members":[-2]})",
					  R"({"members":[true]})", R"({})", R"({"members":null})"})
					assertError(http.putShares(id, body).send(), 400, "validation_failed", "members");
				assertError(http.putShares(id, R"({"members":[2],"version":1})").send(), 400, "unknown_field",
							"version");
				assertError(http.putShares(id, "[]").send(), 400, "invalid_json", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_shares"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), auditRows(b, "contact.shares"));
			});
	}

	void testSharesFollowAccessPolicy()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				Answer missing = http.getShares(id + 1000).as(BOB).send();
				assertError(missing, 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(missing.body, http.getShares(id).as(BOB).send().body);
				CPPUNIT_ASSERT_EQUAL(missing.body, http.putShares(id, R"({"members":[2]})").as(BOB).send().body);
				assertError(http.putShares(id, R"({"members":[2]})").as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 404,
							"not_found", "");
				b.share(id, CAROL);
				assertError(http.putShares(id, R"({"members":[2,3]})").as(CAROL).send(), 403, "forbidden", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_shares"));
				b.directory().grant(BOB, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				CPPUNIT_ASSERT_EQUAL(200, http.putShares(id, R"({"members":[]})").as(BOB).send().status);
				CPPUNIT_ASSERT_EQUAL(
					200, http.putShares(id, R"({"members":[2]})").as(9, HOSTSDK_CALLER_MEMBER, true).send().status);
			});
	}

	void testContactAnswerSaysWhatTheCallerMayDo()
	{
		// GET /contacts/{id} "permissions": what PATCH, DELETE, PUT shares /
		// permissions and GET history would allow (the card reads it).
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang", "Acme").contact.id;
				Http http(b);
				auto permissions = [&](Poco::Int64 who)
				{
					Answer a = http.get(std::to_string(id)).as(who).send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
					Poco::JSON::Object::Ptr p = a.json()->getObject("permissions");
					CPPUNIT_ASSERT(keysOf(*p) == std::vector<std::string>({"delete", "edit", "history", "share"}));
					return std::vector<bool>{p->getValue<bool>("edit"), p->getValue<bool>("delete"),
											 p->getValue<bool>("share"), p->getValue<bool>("history")};
				};
				const std::vector<bool> all(4, true);
				const std::vector<bool> none(4, false);
				CPPUNIT_ASSERT(permissions(ALICE) == all);
				b.share(id, CAROL);
				CPPUNIT_ASSERT(permissions(CAROL) == none);
				CPPUNIT_ASSERT_EQUAL(403, http.history(id).as(CAROL).send().status);
				Answer set = http.putGroupMaintainers(R"({"group":"Acme","maintainers":[2]})")
								 .as(9, HOSTSDK_CALLER_MEMBER, true)
								 .send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(set.body, 200, set.status);
				CPPUNIT_ASSERT(permissions(BOB) == all);
				CPPUNIT_ASSERT_EQUAL(200, http.history(id).as(BOB).send().status);
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SharingRoutesTest);
