// Duplicate warning (R2.4) on create and edit, on SQLite and MariaDB: same
// mobile (ignoring spaces and dashes) or email (ignoring ASCII case) in the
// org answers 409 "duplicate", naming only what the caller may see.
#include "RouteCall.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace RouteTest;

class DuplicateRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(DuplicateRoutesTest);
	CPPUNIT_TEST(testCreateWarnsAndConfirmSaves);
	CPPUNIT_TEST(testHiddenDuplicatesAreOnlyCounted);
	CPPUNIT_TEST(testEditWarnsOnlyWhenMobileOrEmailChanges);
	CPPUNIT_TEST(testDeletedContactsAreNoDuplicates);
	CPPUNIT_TEST(testConfirmMustBeBoolean);
	CPPUNIT_TEST(testDuplicateChecksAreRateLimitedPerMember);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCreateWarnsAndConfirmSaves()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				Answer first =
					http.create(R"({"name":"Zhang","mobile":"+86 138-0013-8000","email":"Zhang@Example.com"})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 201, first.status);
				Poco::Int64 id = first.json()->getValue<Poco::Int64>("id");
				Answer dup = http.create(R"({"name":"Zhang Again","mobile":"+8613800138000"})").send();
				assertError(dup, 409, "duplicate", "mobile");
				Poco::JSON::Array::Ptr named = dup.json()->getArray("duplicates");
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), named->size());
				CPPUNIT_ASSERT_EQUAL(id, named->getObject(0)->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT_EQUAL(std::string("Zhang"), named->getObject(0)->getValue<std::string>("name"));
				CPPUNIT_ASSERT_EQUAL(0, dup.json()->getValue<int>("hiddenDuplicates"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contacts"));
				assertError(http.create(R"({"name":"Z","email":"zhang@example.COM"})").send(), 409, "duplicate",
							"email");
				Answer confirmed =
					http.create(R"({"name":"Zhang Again","mobile":"+8613800138000","confirmDuplicate":true})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(confirmed.body, 201, confirmed.status);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(201,
									 http.create(R"({"name":"Other","mobile":"+86 139 0000 0000"})").send().status);
			});
	}

	void testHiddenDuplicatesAreOnlyCounted()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				CPPUNIT_ASSERT_EQUAL(201, http.create(R"({"name":"Secret","email":"boss@example.com"})").send().status);
				Answer dup = http.create(R"({"name":"Mine","email":"BOSS@example.com"})").as(BOB).send();
				assertError(dup, 409, "duplicate", "email");
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), dup.json()->getArray("duplicates")->size());
				CPPUNIT_ASSERT_EQUAL(1, dup.json()->getValue<int>("hiddenDuplicates"));
				CPPUNIT_ASSERT(dup.body.find("Secret") == std::string::npos);
			});
	}

	void testEditWarnsOnlyWhenMobileOrEmailChanges()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				CPPUNIT_ASSERT_EQUAL(201, http.create(R"({"name":"Zhang","mobile":"13800138000"})").send().status);
				Answer li = http.create(R"({"name":"Li","mobile":"13900139000"})").send();
				Poco::Int64 id = li.json()->getValue<Poco::Int64>("id");
				assertError(http.patch(id, R"({"version":1,"mobile":"138-0013-8000"})").send(), 409, "duplicate",
							"mobile");
				CPPUNIT_ASSERT_EQUAL(std::string("13900139000"),
									 http.get(std::to_string(id)).send().json()->getValue<std::string>("mobile"));
				Answer saved =
					http.patch(id, R"({"version":1,"mobile":"138-0013-8000","confirmDuplicate":true})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(saved.body, 200, saved.status);
				// The mobile stays as it is: other edits are not held up by the known duplicate.
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":2,"title":"经理"})").send().status);
				// An edit of the contact's own values is no duplicate of itself.
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":3,"mobile":"13800138000"})").send().status);
			});
	}

	void testDeletedContactsAreNoDuplicates()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				Answer first = http.create(R"({"name":"Gone","email":"gone@example.com"})").send();
				CPPUNIT_ASSERT_EQUAL(204, http.remove(first.json()->getValue<Poco::Int64>("id")).send().status);
				CPPUNIT_ASSERT_EQUAL(201, http.create(R"({"name":"Back","email":"gone@example.com"})").send().status);
			});
	}

	void testConfirmMustBeBoolean()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				assertError(http.create(R"({"name":"A","confirmDuplicate":"yes"})").send(), 400, "validation_failed",
							"confirmDuplicate");
				assertError(http.create(R"({"name":"A","confirmDuplicate":1})").send(), 400, "validation_failed",
							"confirmDuplicate");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
			});
	}
	void testDuplicateChecksAreRateLimitedPerMember()
	{
		// Issue 14: each 409 with hiddenDuplicates told a member whether a
		// mobile or email exists among contacts they cannot see, as often as
		// they liked. Every check counts (not only those that find hidden
		// ones: then the 429 itself would tell); over the budget the answer
		// is the same 429 whatever exists.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				const int budget = 100; // ContactService::DuplicateCheckLimits, per 10 minutes
				Http http(b);
				const std::string secret = R"({"name":"Probe","email":"boss@example.com"})";
				CPPUNIT_ASSERT_EQUAL(201, http.create(R"({"name":"Secret","email":"boss@example.com"})").send().status);
				assertError(http.create(secret).as(BOB).send(), 409, "duplicate", "email");
				for (int i = 1; i < budget; ++i)
				{
					Answer made = http.create(R"({"name":"N","email":"n)" + std::to_string(i) + R"(@example.com"})")
									  .as(BOB)
									  .send();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(made.body, 201, made.status);
				}
				Poco::Int64 contacts = b.count("ec_contacts");
				Answer hidden = http.create(secret).as(BOB).send();
				Answer fresh = http.create(R"({"name":"Fresh","email":"fresh@example.com"})").as(BOB).send();
				assertError(hidden, 429, "rate_limited", "");
				CPPUNIT_ASSERT_EQUAL(hidden.body, fresh.body);
				CPPUNIT_ASSERT_EQUAL(hidden.status, fresh.status);
				int seconds = std::stoi(hidden.headers.at("Retry-After"));
				CPPUNIT_ASSERT(seconds >= 1 && seconds <= 600);
				// An edit that changes the email is checked, so it is limited too.
				Poco::Int64 mine = http.create(R"({"name":"Mine"})").as(BOB).send().json()->getValue<Poco::Int64>("id");
				assertError(http.patch(mine, R"({"version":1,"email":"boss@example.com"})").as(BOB).send(), 429,
							"rate_limited", "");
				CPPUNIT_ASSERT_EQUAL(contacts + 1, b.count("ec_contacts")); // only the one without a key
				// Without a check (no key, or the duplicate confirmed) nothing is told: not limited.
				CPPUNIT_ASSERT_EQUAL(200, http.patch(mine, R"({"version":1,"title":"经理"})").as(BOB).send().status);
				CPPUNIT_ASSERT_EQUAL(201,
									 http.create(R"({"name":"Sure","email":"x@example.com","confirmDuplicate":true})")
										 .as(BOB)
										 .send()
										 .status);
				// Alice has her own budget; Bob's comes back with the next window.
				assertError(http.create(R"({"name":"Again","email":"n1@example.com"})").send(), 409, "duplicate",
							"email");
				b.directory().advance(600000);
				assertError(http.create(secret).as(BOB).send(), 409, "duplicate", "email");
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(DuplicateRoutesTest);
