// cb_notify's request and the menu / page registrations as the host reads them (HostSdk::JsonPayload::
// readNotification, used by NotificationCenter::notify): a good request is
// kept as written; every malformed one is HOSTSDK_E_INVALID naming the
// member (a plugin's mistake never turns into HOSTSDK_E_INTERNAL).
#include "hostsdk/support/JsonPayload.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace HostSdk::JsonPayload;

namespace
{

const std::string GOOD_TITLE = R"("title":{"zh-CN":"开通申请","en":"Account application"})";

std::string invalidMessage(const std::string& json)
{
	try
	{
		readNotification(json.c_str());
	}
	catch (const HostSdk::Error& e)
	{
		CPPUNIT_ASSERT_EQUAL_MESSAGE(json, static_cast<int>(HOSTSDK_E_INVALID), static_cast<int>(e.status()));
		return e.what();
	}
	CPPUNIT_FAIL("accepted: " + json);
	return std::string();
}

} // namespace

class JsonPayloadTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(JsonPayloadTest);
	CPPUNIT_TEST(testGoodNotificationIsKept);
	CPPUNIT_TEST(testBadNotificationsAreInvalidAndNamed);
	CPPUNIT_TEST(testMenuItemsAndPages);
	CPPUNIT_TEST_SUITE_END();

public:
	void testGoodNotificationIsKept()
	{
		Notification n = readNotification(
			(R"({"orgId":1,"userIds":[2,3],"type":"external-contacts.application",)" + GOOD_TITLE +
			 R"(,"body":{"en":"Zhang Wei applies"},"actions":[{"id":"approve","label":{"en":"Approve"},)"
			 R"("method":"POST","path":"/applications/7/approve"}],"groupKey":"application:7"})")
				.c_str());
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), n.orgId);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), n.userIds.size());
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), n.userIds[1]);
		CPPUNIT_ASSERT_EQUAL(std::string("external-contacts.application"), n.type);
		CPPUNIT_ASSERT(n.titleJson.find("开通申请") != std::string::npos);
		CPPUNIT_ASSERT(n.bodyJson.find("Zhang Wei applies") != std::string::npos);
		CPPUNIT_ASSERT(n.actionsJson.find("/applications/7/approve") != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::string("application:7"), n.groupKey);
		// Body, actions and group key are optional.
		Notification plain = readNotification((R"({"userIds":[5],"type":"t",)" + GOOD_TITLE + "}").c_str());
		CPPUNIT_ASSERT_EQUAL(std::string("{}"), plain.bodyJson);
		CPPUNIT_ASSERT_EQUAL(std::string("[]"), plain.actionsJson);
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), plain.orgId);
	}

	void testBadNotificationsAreInvalidAndNamed()
	{
		const std::string rest = R"("type":"t",)" + GOOD_TITLE;
		struct Case
		{
			std::string json, names;
		};
		for (const Case& c : std::vector<Case>{
				 {"", "JSON object"},
				 {"[1]", "JSON object"},
				 {"{" + rest + "}", "userIds"},
				 {R"({"userIds":[],)" + rest + "}", "userIds"},
				 {R"({"userIds":"2",)" + rest + "}", "userIds"},
				 {R"({"userIds":["x"],)" + rest + "}", "userIds"},
				 {R"({"userIds":[{}],)" + rest + "}", "userIds"},
				 {R"({"userIds":[0],)" + rest + "}", "userIds"},
				 {R"({"userIds":[1.5],)" + rest + "}", "userIds"},
				 {R"({"userIds":[18446744073709551615],)" + rest + "}", "userIds"},
				 {R"({"orgId":"abc","userIds":[2],)" + rest + "}", "orgId"},
				 {R"({"orgId":-1,"userIds":[2],)" + rest + "}", "orgId"},
				 {R"({"orgId":18446744073709551615,"userIds":[2],)" + rest + "}", "orgId"},
				 {R"({"userIds":[2],)" + GOOD_TITLE + "}", "type"},
				 {R"({"userIds":[2],"type":7,)" + GOOD_TITLE + "}", "type"},
				 {R"({"userIds":[2],"type":")" + std::string(65, 't') + "\"," + GOOD_TITLE + "}", "type"},
				 {R"({"userIds":[2],"type":"t"})", "title"},
				 {R"({"userIds":[2],"type":"t","title":"x"})", "title"},
				 {R"({"userIds":[2],"type":"t","title":{"fr":"x"}})", "title"},
				 {R"({"userIds":[2],"type":"t","title":{"en":[1]}})", "title.en"},
				 {R"({"userIds":[2],)" + rest + R"(,"body":"x"})", "body"},
				 {R"({"userIds":[2],)" + rest + R"(,"actions":{}})", "actions"},
				 {R"({"userIds":[2],)" + rest + R"(,"actions":[1]})", "action"},
				 {R"({"userIds":[2],)" + rest + R"(,"actions":[{"id":"a","path":"x","label":{"en":"A"}}]})", "path"},
				 {R"({"userIds":[2],)" + rest + R"(,"actions":[{"path":"/x","label":{"en":"A"}}]})", "id"},
				 {R"({"userIds":[2],)" + rest + R"(,"actions":[{"id":"a","path":"/x"}]})", "label"},
				 {R"({"userIds":[2],)" + rest + R"(,"groupKey":7})", "groupKey"},
				 {R"({"userIds":[2],)" + rest + R"(,"groupKey":")" + std::string(129, 'g') + "\"}", "groupKey"},
			 })
		{
			std::string message = invalidMessage(c.json);
			CPPUNIT_ASSERT_MESSAGE(c.json + " → " + message, message.find(c.names) != std::string::npos);
		}
		// 10,000 recipients at most.
		std::string many = R"({"userIds":[)";
		for (int i = 1; i <= 10001; ++i)
			many += (i > 1 ? "," : "") + std::to_string(i);
		CPPUNIT_ASSERT(invalidMessage(many + "]," + rest + "}").find("10000") != std::string::npos);
	}

	void testMenuItemsAndPages()
	{
		const std::vector<std::string> locations{"main.nav", "backoffice.nav"};
		MenuItem m = readMenuItem(
			R"({"location":"main.nav","id":"ec","label":{"zh-CN":"外部互联"},"order":-5,"route":"/x"})", locations);
		CPPUNIT_ASSERT_EQUAL(std::string("ec"), m.id);
		CPPUNIT_ASSERT_EQUAL(-5, m.order);
		CPPUNIT_ASSERT_EQUAL(std::string("/x"), m.item->getValue<std::string>("route"));
		CPPUNIT_ASSERT_EQUAL(
			100, readMenuItem(R"({"location":"main.nav","id":"ec","label":{"zh-CN":"外"}})", locations).order);
		for (const std::string& bad : {
				 std::string(R"({"location":"nowhere","id":"ec","label":{"zh-CN":"外"}})"),
				 std::string(R"({"location":"main.nav","label":{"zh-CN":"外"}})"),
				 std::string(R"({"location":"main.nav","id":"ec","label":{"en":"x"}})"),
				 std::string(R"({"location":"main.nav","id":"ec","label":{"zh-CN":1}})"),
				 std::string(R"({"location":"main.nav","id":"ec","label":"外"})"),
				 std::string(R"({"location":"main.nav","id":"ec","label":{"zh-CN":"外"},"order":"first"})"),
				 std::string(R"({"location":"main.nav","id":"ec","label":{"zh-CN":"外"},"order":99999999999})"),
				 std::string("[]"),
			 })
		{
			try
			{
				readMenuItem(bad.c_str(), locations);
				CPPUNIT_FAIL("accepted: " + bad);
			}
			catch (const HostSdk::Error& e)
			{
				CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, static_cast<int>(HOSTSDK_E_INVALID), static_cast<int>(e.status()));
			}
		}
		CPPUNIT_ASSERT(readPage(R"({"section":"accounts","id":"apps","label":{"zh-CN":"申请"}})")->has("label"));
		for (const std::string& bad :
			 {std::string(R"({"section":"accounts","id":"apps"})"),
			  std::string(R"({"section":"accounts","id":"apps","label":"x"})"),
			  std::string(R"({"section":7,"id":"apps","label":{}})"), std::string(R"({"id":"apps","label":{}})")})
		{
			try
			{
				readPage(bad.c_str());
				CPPUNIT_FAIL("accepted: " + bad);
			}
			catch (const HostSdk::Error& e)
			{
				CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, static_cast<int>(HOSTSDK_E_INVALID), static_cast<int>(e.status()));
			}
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonPayloadTest);
