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
	CPPUNIT_TEST_SUITE_END();

public:
	void testCreateWarnsAndConfirmSaves()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				Answer first = http.create(R"({"name":"Zhang","mobile":"+86 138-0013-8000","email":"Zhang@Example.com"})").send();
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
				assertError(http.create(R"({"name":"Z","email":"zhang@example.COM"})").send(), 409, "duplicate", "email");
				Answer confirmed =
					http.create(R"({"name":"Zhang Again","mobile":"+8613800138000","confirmDuplicate":true})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(confirmed.body, 201, confirmed.status);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(201, http.create(R"({"name":"Other","mobile":"+86 139 0000 0000"})").send().status);
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
				assertError(http.patch(id, R"({"version":1,"mobile":"138-0013-8000"})").send(), 409, "duplicate", "mobile");
				CPPUNIT_ASSERT_EQUAL(std::string("13900139000"), http.get(std::to_string(id)).send().json()->getValue<std::string>("mobile"));
				Answer saved = http.patch(id, R"({"version":1,"mobile":"138-0013-8000","confirmDuplicate":true})").send();
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(DuplicateRoutesTest);
