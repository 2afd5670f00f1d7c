// GET /contacts/{id}/history (R10) on SQLite and MariaDB: newest first,
// keyset paged, for editors only, hidden contacts look missing.
#include "RouteCall.h"

#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using namespace RouteTest;

namespace
{

constexpr Poco::Int64 CAROL = 3;

std::vector<std::string> actionsIn(const Answer& a)
{
	std::vector<std::string> actions;
	Poco::JSON::Array::Ptr items = a.json()->getArray("items");
	for (std::size_t i = 0; i < items->size(); ++i)
		actions.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
	return actions;
}

} // namespace

class HistoryRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(HistoryRoutesTest);
	CPPUNIT_TEST(testHistoryIsNewestFirstAndPaged);
	CPPUNIT_TEST(testHistoryIsForEditorsOnly);
	CPPUNIT_TEST(testHistoryRejectsBadParameters);
	CPPUNIT_TEST_SUITE_END();

public:
	void testHistoryIsNewestFirstAndPaged()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":1,"title":"采购经理"})").send().status);
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":2,"company":"蓝海物流"})").send().status);
				CPPUNIT_ASSERT_EQUAL(200, http.putShares(id, R"({"members":[2]})").send().status);

				Answer first = http.history(id).query("limit=2").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
				CPPUNIT_ASSERT(actionsIn(first) == std::vector<std::string>({"contact.shares", "contact.update"}));
				std::string cursor = first.json()->getValue<std::string>("nextCursor");
				Poco::JSON::Object::Ptr update = first.json()->getArray("items")->getObject(1);
				CPPUNIT_ASSERT_EQUAL(std::string("Alice"),
									 update->getObject("actor")->getValue<std::string>("displayName"));
				CPPUNIT_ASSERT_EQUAL(std::string("采购经理"),
									 update->getObject("before")->getValue<std::string>("title"));
				CPPUNIT_ASSERT_EQUAL(std::string("蓝海物流"),
									 update->getObject("after")->getValue<std::string>("company"));
				CPPUNIT_ASSERT(update->getValue<Poco::Int64>("at") > 0);
				// The members the page's snapshots name come with their names: the
				// share list (Bob) and the adder and visible member (Alice).
				CPPUNIT_ASSERT_EQUAL(std::string(R"([{"displayName":"Alice","id":1},{"displayName":"Bob","id":2}])"),
									 [&]
									 {
										 std::ostringstream out;
										 first.json()->getArray("people")->stringify(out);
										 return out.str();
									 }());

				Answer second = http.history(id).query("limit=2&cursor=" + cursor).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(second.body, 200, second.status);
				CPPUNIT_ASSERT(actionsIn(second) == std::vector<std::string>({"contact.update", "contact.create"}));
				Poco::JSON::Object::Ptr created = second.json()->getArray("items")->getObject(1);
				CPPUNIT_ASSERT(created->isNull("before"));
				CPPUNIT_ASSERT_EQUAL(std::string("Zhang"), created->getObject("after")->getValue<std::string>("name"));
				// The page that holds the last entry says there is no further one.
				Answer rest = http.history(id).query("limit=4").send();
				CPPUNIT_ASSERT_EQUAL(std::size_t(4), rest.json()->getArray("items")->size());
				CPPUNIT_ASSERT(rest.json()->isNull("nextCursor"));
			});
	}

	void testHistoryIsForEditorsOnly()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				CPPUNIT_ASSERT_EQUAL(200, http.putShares(id, R"({"members":[2]})").send().status);
				// Shared with Bob: he sees the contact but may not edit, so no history.
				assertError(http.history(id).as(BOB).send(), 403, "forbidden", "");
				// Carol sees nothing: exactly like a contact that does not exist.
				Answer hidden = http.history(id).as(CAROL).send();
				Answer missing = http.history(987654).as(CAROL).send();
				assertError(hidden, 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(missing.body, hidden.body);
				assertError(http.history(id).as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(200, http.history(id).as(CAROL, HOSTSDK_CALLER_MEMBER, true).send().status);
				CPPUNIT_ASSERT_EQUAL(204, http.remove(id).send().status);
				assertError(http.history(id).send(), 404, "not_found", "");
			});
	}

	void testHistoryRejectsBadParameters()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				assertError(http.history(id).query("limit=0").send(), 400, "validation_failed", "limit");
				assertError(http.history(id).query("limit=101").send(), 400, "validation_failed", "limit");
				assertError(http.history(id).query("limit=x").send(), 400, "validation_failed", "limit");
				assertError(http.history(id).query("cursor=abc").send(), 400, "validation_failed", "cursor");
				assertError(http.history(id).query("cursor=-5").send(), 400, "validation_failed", "cursor");
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(HistoryRoutesTest);
