#include "RouteCall.h"
#include "domain/AccessPolicy.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <map>

using namespace ExternalContacts;

using namespace RouteTest;

namespace
{

void assertNothingWritten(PluginBackend& b)
{
	CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
	CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_visible_members"));
	CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_audit"));
}

} // namespace

class ContactRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactRoutesTest);
	CPPUNIT_TEST(testCreateAnswers201WithContact);
	CPPUNIT_TEST(testCreateRejectsBadBodiesAndWritesNothing);
	CPPUNIT_TEST(testCreateRejectsLargeBodyAndOtherMediaTypes);
	CPPUNIT_TEST(testListAnswersPagesWithCursor);
	CPPUNIT_TEST(testListRejectsBadParametersNamingThem);
	CPPUNIT_TEST(testPermissionsPassedWithTheRequestAreUsed);
	CPPUNIT_TEST(testGroupsAnswerCountsWithUngroupedAsNull);
	CPPUNIT_TEST(testGetAnswersContact);
	CPPUNIT_TEST(testHiddenContactAnswersExactlyLikeMissingOne);
	CPPUNIT_TEST(testAnonymousCallerIsAskedToSignIn);
	CPPUNIT_TEST(testExternalUserIsRefused);
	CPPUNIT_TEST(testScopeAllWithoutPermissionIsForbidden);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCreateAnswers201WithContact()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				Answer a =
					http.create(R"({"name":"张三","mobile":"13800138000","company":"Acme","tags":["vip"]})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 201, a.status);
				Poco::JSON::Object::Ptr c = a.json();
				std::vector<std::string> want = {
					"address", "addedBy", "company",   "createdAt", "department",     "email",
					"id",      "mobile",  "name",      "remark",    "securityLevel",  "source",
					"tags",    "title",   "updatedAt", "version",   "visibleMembers", "wechat"};
				std::sort(want.begin(), want.end());
				CPPUNIT_ASSERT(keysOf(*c) == want);
				Poco::Int64 id = c->getValue<Poco::Int64>("id");
				CPPUNIT_ASSERT_EQUAL("/api/plugins/external-contacts/contacts/" + std::to_string(id),
									 a.headers.at("Location"));
				CPPUNIT_ASSERT_EQUAL(std::string("张三"), c->getValue<std::string>("name"));
				CPPUNIT_ASSERT(c->isNull("email"));
				CPPUNIT_ASSERT(c->isNull("wechat"));
				CPPUNIT_ASSERT_EQUAL(std::string("created"), c->getValue<std::string>("source"));
				CPPUNIT_ASSERT_EQUAL(-5, c->getValue<int>("securityLevel"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), c->getValue<Poco::Int64>("version"));
				CPPUNIT_ASSERT_EQUAL(ALICE, c->getObject("addedBy")->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT_EQUAL(std::string("Alice"),
									 c->getObject("addedBy")->getValue<std::string>("displayName"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), c->getArray("visibleMembers")->size());
				CPPUNIT_ASSERT_EQUAL(std::string("vip"), c->getArray("tags")->getElement<std::string>(0));
				CPPUNIT_ASSERT_EQUAL(std::string("no-store"), a.headers.at("Cache-Control"));
				std::string remote;
				Poco::Data::Session s = b.database().session();
				s << "SELECT remote_addr FROM ec_audit", Poco::Data::Keywords::into(remote), Poco::Data::Keywords::now;
				CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"), remote);
			});
	}

	void testCreateRejectsBadBodiesAndWritesNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				assertError(http.create("{\"name\":").send(), 400, "invalid_json", "");
				assertError(http.create("").send(), 400, "invalid_json", "");
				assertError(http.create("[{\"name\":\"a\"}]").send(), 400, "invalid_json", "");
				assertError(http.create("{\"name\":\"a\xFF\"}").send(), 400, "invalid_json", "");
				assertError(http.create(R"({"name":"a","nick":"b"})").send(), 400, "unknown_field", "nick");
				assertError(http.create(R"({"name":""})").send(), 400, "validation_failed", "name");
				assertError(http.create(R"({"name":"a","mobile":138})").send(), 400, "validation_failed", "mobile");
				assertError(http.create(R"({"name":"a","email":"no-at"})").send(), 400, "validation_failed", "email");
				assertError(http.create(R"({"name":"a","tags":[1]})").send(), 400, "validation_failed", "tags");
				assertError(http.create(R"({"name":"a\u0007"})").send(), 400, "validation_failed", "name");
				std::string deep(20, '[');
				assertError(http.create("{\"name\":\"a\",\"tags\":" + deep + std::string(20, ']') + "}").send(), 400,
							"invalid_json", "");
				assertNothingWritten(b);
			});
	}

	void testCreateRejectsLargeBodyAndOtherMediaTypes()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				std::string big = "{\"name\":\"a\",\"remark\":\"" + std::string(64 * 1024, 'x') + "\"}";
				assertError(http.create(big).send(), 413, "payload_too_large", "");
				assertError(http.create(R"({"name":"a"})").body(R"({"name":"a"})", "text/plain").send(), 415,
							"unsupported_media_type", "");
				assertError(http.create("name=a").body("name=a", "application/x-www-form-urlencoded").send(), 415,
							"unsupported_media_type", "");
				assertNothingWritten(b);
				CPPUNIT_ASSERT_EQUAL(201, http.create(R"({"name":"a"})")
											  .body(R"({"name":"a"})", "Application/JSON; charset=UTF-8")
											  .send()
											  .status);
				// A body without its media type is refused too (the HTTP abuse test
				// found it was taken as JSON).
				assertError(http.create(R"({"name":"b"})").body(R"({"name":"b"})", "").send(), 415,
							"unsupported_media_type", "");
			});
	}

	void testListAnswersPagesWithCursor()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				for (const char* name : {"a", "b", "c"})
					b.create(ALICE, name, "Acme");
				Http http(b);
				Answer first = http.list().query("limit=2").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
				Poco::JSON::Object::Ptr page = first.json();
				CPPUNIT_ASSERT(keysOf(*page) == std::vector<std::string>({"items", "nextCursor"}));
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), page->getArray("items")->size());
				Poco::JSON::Object::Ptr item = page->getArray("items")->getObject(0);
				std::vector<std::string> want = {"addedBy", "company", "createdAt", "department", "email",  "id",
												 "mobile",  "name",    "source",    "title",      "version"};
				CPPUNIT_ASSERT(keysOf(*item) == want);
				std::string cursor = page->getValue<std::string>("nextCursor");
				Answer second = http.list().query("scope=mine&limit=2&cursor=" + cursor).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(second.body, 200, second.status);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), second.json()->getArray("items")->size());
				CPPUNIT_ASSERT_EQUAL(std::string("c"),
									 second.json()->getArray("items")->getObject(0)->getValue<std::string>("name"));
				CPPUNIT_ASSERT(second.json()->isNull("nextCursor"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(3), http.list().send().json()->getArray("items")->size());
			});
	}

	void testListRejectsBadParametersNamingThem()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				for (const char* limit :
					 {"limit=0", "limit=101", "limit=abc", "limit=-1", "limit=", "limit=1.5", "limit=+5"})
					assertError(http.list().query(limit).send(), 400, "validation_failed", "limit");
				assertError(http.list().query("limit=5&limit=6").send(), 400, "validation_failed", "limit");
				assertError(http.list().query("cursor=garbage").send(), 400, "validation_failed", "cursor");
				assertError(http.list().query("scope=everyone").send(), 400, "validation_failed", "scope");
				assertError(http.list().query("source=imported").send(), 400, "validation_failed", "source");
				assertError(http.list().query("q=%FF").send(), 400, "validation_failed", "q");
				assertError(http.list().query("q=a%0Ab").send(), 400, "validation_failed", "q");
				CPPUNIT_ASSERT_EQUAL(200, http.list().query("limit=100&source=created&q=&_=1").send().status);
			});
	}

	void testGroupsAnswerCountsWithUngroupedAsNull()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(ALICE, "a", "Acme");
				b.create(ALICE, "b");
				b.create(ALICE, "c", "Acme");
				Http http(b);
				Answer a = http.groups().send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
				CPPUNIT_ASSERT_EQUAL(
					std::string(R"({"items":[{"name":"Acme","count":2},{"name":null,"count":1}],"total":3})"), a.body);
				assertError(http.groups().query("source=bogus").send(), 400, "validation_failed", "source");
			});
	}

	void testGetAnswersContact()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang", "Acme").contact.id;
				Http http(b);
				Answer a = http.get(std::to_string(id)).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
				CPPUNIT_ASSERT_EQUAL(id, a.json()->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT_EQUAL(
					std::string("Alice"),
					a.json()->getArray("visibleMembers")->getObject(0)->getValue<std::string>("displayName"));
			});
	}

	void testHiddenContactAnswersExactlyLikeMissingOne()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(BOB, "Bob's contact").contact.id;
				Http http(b);
				Answer hidden = http.get(std::to_string(id)).send();
				Answer missing = http.get(std::to_string(id + 100)).send();
				assertError(hidden, 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(missing.status, hidden.status);
				CPPUNIT_ASSERT_EQUAL(missing.body, hidden.body);
				CPPUNIT_ASSERT(missing.headers == hidden.headers);
				for (const char* bad : {"abc", "0", "-1", "1e3", "99999999999999999999999"})
					CPPUNIT_ASSERT_EQUAL(missing.body, http.get(bad).send().body);
				CPPUNIT_ASSERT_EQUAL(200, http.get(std::to_string(id)).as(BOB).send().status);
			});
	}

	void testAnonymousCallerIsAskedToSignIn()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				assertError(http.list().as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401, "unauthenticated", "");
				assertError(http.groups().as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401, "unauthenticated", "");
				assertError(http.get("1").as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401, "unauthenticated", "");
				assertError(http.create(R"({"name":"a"})").as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401,
							"unauthenticated", "");
				assertNothingWritten(b);
			});
	}

	void testExternalUserIsRefused()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Mine").contact.id;
				Http http(b);
				assertError(http.list().as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 403, "forbidden", "");
				assertError(http.groups().as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 403, "forbidden", "");
				assertError(http.create(R"({"name":"a"})").as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 403, "forbidden",
							"");
				assertError(http.get(std::to_string(id)).as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 404, "not_found",
							"");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contacts"));
			});
	}

	void testScopeAllWithoutPermissionIsForbidden()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(BOB, "Bob's");
				Http http(b);
				assertError(http.list().query("scope=all").send(), 403, "forbidden", "");
				assertError(http.groups().query("scope=all").send(), 403, "forbidden", "");
				Answer admin = http.list().query("scope=all").as(3, HOSTSDK_CALLER_MEMBER, true).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(admin.body, 200, admin.status);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), admin.json()->getArray("items")->size());
				CPPUNIT_ASSERT(http.logged.empty());
			});
	}

	void testPermissionsPassedWithTheRequestAreUsed()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(BOB, "Bob's");
				Http http(b);
				const std::size_t before = b.directory().permissionChecks();
				// The host passed the caller's permissions (ABI 1.4): no call back to the host.
				Answer granted = http.list()
									 .query("scope=all")
									 .permissions("[\"other.permission\",\"external_contacts.maintain\"]")
									 .send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(granted.body, 200, granted.status);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), granted.json()->getArray("items")->size());
				assertError(http.list().query("scope=all").permissions("[]").send(), 403, "forbidden", "");
				assertError(http.list().query("scope=all").permissions("[\"external_contacts\"]").send(), 403,
							"forbidden", "");
				CPPUNIT_ASSERT_EQUAL(before, b.directory().permissionChecks());
				// What the request says counts, not an earlier grant: revoked at the host means not passed.
				b.directory().grant(ALICE, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				assertError(http.list().query("scope=all").permissions("[]").send(), 403, "forbidden", "");
				// Not passed (a 1.3 host) or not an array of strings (a host's mistake): the host is asked.
				for (const char* unknown : {static_cast<const char*>(nullptr), "{", "{}", "[1]", "[\"a\",null]"})
				{
					const std::size_t asked = b.directory().permissionChecks();
					Answer a = http.list().query("scope=all").permissions(unknown).send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
					CPPUNIT_ASSERT_EQUAL(asked + 1, b.directory().permissionChecks());
				}
				CPPUNIT_ASSERT(http.logged.empty());
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactRoutesTest);
