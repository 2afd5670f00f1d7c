// The host's HTTP layer with a real server on 127.0.0.1 and the ABI test
// plugin loaded, on SQLite and MariaDB: the caller the plugin receives,
// host services through the C table, notification actions that call plugin
// routes, external-user and public routes.
#include "HostRequestHandler.h"
#include "MigrationRunner.h"
#include "PluginSlot.h"
#include "TestEnv.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <memory>

using namespace RefHost;

namespace
{

struct Reply
{
	int status = 0;
	std::string body;
	Poco::Net::NameValueCollection headers;
	Poco::JSON::Object::Ptr json() const
	{
		Poco::JSON::Parser p;
		return p.parse(body).extract<Poco::JSON::Object::Ptr>();
	}
};

struct Browser
{
	Poco::UInt16 port;
	std::string cookie;
	std::string csrf;
	std::map<std::string, std::string> otherCookies; /// sent besides the session

	Reply call(const std::string& method, const std::string& path, const std::string& body = "", bool withCsrf = true)
	{
		Poco::Net::HTTPClientSession session("127.0.0.1", port);
		Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
		if (!cookie.empty() || !otherCookies.empty())
		{
			Poco::Net::NameValueCollection c;
			if (!cookie.empty()) c.add("rh_session", cookie);
			for (const auto& other : otherCookies)
				c.add(other.first, other.second);
			req.setCookies(c);
		}
		if (withCsrf && !csrf.empty()) req.set("X-CSRF-Token", csrf);
		if (!body.empty() || method == "POST")
		{
			req.setContentType("application/json");
			req.setContentLength(static_cast<std::streamsize>(body.size()));
			session.sendRequest(req) << body;
		}
		else
		{
			session.sendRequest(req);
		}
		Poco::Net::HTTPResponse resp;
		std::istream& in = session.receiveResponse(resp);
		Reply r;
		r.status = resp.getStatus();
		for (const auto& h : resp)
			r.headers.add(h.first, h.second);
		Poco::StreamCopier::copyToString(in, r.body);
		std::vector<Poco::Net::HTTPCookie> cookies;
		resp.getCookies(cookies);
		for (const auto& c : cookies)
			if (c.getName() == "rh_session") cookie = c.getValue();
		return r;
	}

	void login(const std::string& login, const std::string& password)
	{
		Reply r = call("POST", "/api/session", "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
		csrf = r.json()->getValue<std::string>("csrfToken");
	}
};

struct Host
{
	std::unique_ptr<Database> db;
	std::unique_ptr<Directory> dir;
	std::unique_ptr<SessionManager> sessions;
	std::unique_ptr<NotificationCenter> notifications;
	std::unique_ptr<PasswordPolicy> policy;
	std::unique_ptr<ExternalAccounts> accounts;
	std::unique_ptr<MenuAccess> menuAccess;
	std::unique_ptr<PersonalSettings> personal;
	std::unique_ptr<PluginManager> plugins;
	HostContext ctx;
	std::unique_ptr<Poco::Net::HTTPServer> server;
	Poco::UInt16 port = 0;
	Poco::Int64 org = 0;

	explicit Host(const TestEnv::Backend& b)
	{
		db = std::make_unique<Database>(b.connector, b.connectionString, 16);
		MigrationRunner(*db, TestEnv::sqlRoot()).migrate("host");
		dir = std::make_unique<Directory>(*db);
		org = dir->createOrg("Org");
		Poco::Int64 alice = dir->createUser("alice", "Alice", "alice-password-1");
		Poco::Int64 bob = dir->createUser("bob", "Bob", "bob-password-123");
		Poco::Int64 ext = dir->createUser("ext", "Ext", "ext-password-123");
		dir->addMembership(org, alice, "member", false, 0);
		dir->grantPermission(org, alice, "external_contacts.maintain");
		dir->addMembership(org, bob, "member", false, 0);
		dir->addMembership(org, ext, "external", false, -5);
		sessions = std::make_unique<SessionManager>(*db, *dir, SessionManager::Settings{});
		notifications = std::make_unique<NotificationCenter>(*db);
		policy = std::make_unique<PasswordPolicy>(TestEnv::sourceDir() + "/resources/security/common-passwords.txt");
		accounts = std::make_unique<ExternalAccounts>(*db, *dir, *sessions, *policy, ExternalAccounts::Settings{});
		PluginManager::Services services;
		services.db = db.get();
		services.directory = dir.get();
		services.notifications = notifications.get();
		services.sessions = sessions.get();
		services.accounts = accounts.get();
		services.sqlRoot = TestEnv::sqlRoot();
		services.hostVersion = "test";
		plugins = std::make_unique<PluginManager>(services);
		plugins->load(TestEnv::binaryDir() + "/test-plugins/libGoodPlugin.so");
		ctx.db = db.get();
		ctx.directory = dir.get();
		ctx.sessions = sessions.get();
		ctx.accounts = accounts.get();
		menuAccess = std::make_unique<MenuAccess>(*db);
		ctx.notifications = notifications.get();
		ctx.menuAccess = menuAccess.get();
		personal = std::make_unique<PersonalSettings>(*db, *dir, *sessions, *notifications, *policy);
		ctx.personal = personal.get();
		ctx.plugins = plugins.get();
		ctx.webRoot = TestEnv::sourceDir() + "/host-sdk/reference-host/web";
		ctx.resourcesRoot = TestEnv::sourceDir() + "/resources";
		Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
		port = socket.address().port();
		Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
		params->setMaxThreads(4);
		server = std::make_unique<Poco::Net::HTTPServer>(new HostRequestHandlerFactory(ctx), socket, params);
		server->start();
	}

	~Host()
	{
		server->stopAll(true);
		server.reset();
		plugins.reset();
	}

	Browser browser()
	{
		return Browser{port, "", "", {}};
	}
};

struct HostAnswer
{
	hostsdk_status status = HOSTSDK_OK;
	std::string out;
	std::string err;
	Poco::JSON::Object::Ptr json() const
	{
		Poco::JSON::Parser p;
		return p.parse(out).extract<Poco::JSON::Object::Ptr>();
	}
};

struct HostTable
/// The host's C table as a plugin sees it, without a plugin library:
/// cb_directory and cb_account called directly.
{
	PluginSlot slot;

	explicit HostTable(Host& host)
	{
		slot.manager = host.plugins.get();
		slot.id = "table-test";
		slot.logger = &Poco::Logger::get("table-test");
		fillHostTable(slot);
	}

	static void append(void* ctx, const char* data, size_t len)
	{
		static_cast<std::string*>(ctx)->append(data, len);
	}

	HostAnswer directory(const std::string& op, const std::string& json)
	{
		return call(slot.host.cb_directory, op, json);
	}

	HostAnswer account(const std::string& op, const std::string& json)
	{
		return call(slot.host.cb_account, op, json);
	}

	template <typename Fn> HostAnswer call(Fn fn, const std::string& op, const std::string& json)
	{
		HostAnswer a;
		a.status =
			fn(slot.host.ctx, op.c_str(), json.c_str(), hostsdk_sink{&a.out, append}, hostsdk_sink{&a.err, append});
		return a;
	}
};

// Sets a user's contact data as a binding would (email_key too).
void setContact(Host& host, Poco::Int64 userId, const std::string& email, const std::string& mobile)
{
	using namespace Poco::Data::Keywords;
	std::string e = email, m = mobile, key = Directory::emailKey(email);
	Poco::Data::Session s = host.db->session();
	s << "UPDATE users SET email = ?, email_key = ?, mobile = ? WHERE id = ?", useRef(e), useRef(key), useRef(m),
		use(userId), now;
}

} // namespace

class HostHttpTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(HostHttpTest);
	CPPUNIT_TEST(testPluginRouteReceivesCallerAndHostServices);
	CPPUNIT_TEST(testNotificationActionCallsPluginRouteOnce);
	CPPUNIT_TEST(testNotifyWithResolveIsOneTransaction);
	CPPUNIT_TEST(testExternalUserReachesOnlyExternalRoutes);
	CPPUNIT_TEST(testBackOfficeOpensMenusToExternalUsers);
	CPPUNIT_TEST(testPublicMountNeedsNoSession);
	CPPUNIT_TEST(testPluginRoutesNeedSessionAndCsrf);
	CPPUNIT_TEST(testNotificationActionsKeepTheExternalGate);
	CPPUNIT_TEST(testPublicRouteSeesCallerOnlyWithCsrf);
	CPPUNIT_TEST(testPluginCannotSplitResponsesOrSetCookies);
	CPPUNIT_TEST(testMalformedQueryAnswers400);
	CPPUNIT_TEST(testPluginDisablesOnlyExternalAccounts);
	CPPUNIT_TEST(testOutboundMessagesLandInTheOutbox);
	CPPUNIT_TEST(testAdminRemovesMemberAndPluginsHearOfIt);
	CPPUNIT_TEST(testAdminListsMembersByPageAndNamePrefix);
	CPPUNIT_TEST(testAdminGrantsAndRevokesMaintain);
	CPPUNIT_TEST(testRemovalPreviewAndChosenSuccessor);
	CPPUNIT_TEST(testPluginCreatesAnAccountThatItsOwnerActivates);
	CPPUNIT_TEST(testDirectoryMembersHideEveryoneFromExternalUsersUnlessAPluginAllows);
	CPPUNIT_TEST(testPersonalProfile);
	CPPUNIT_TEST(testPersonalPasswordEndsOtherSessions);
	CPPUNIT_TEST(testPersonalPasswordGuessesAreLimited);
	CPPUNIT_TEST(testPersonalContactBinding);
	CPPUNIT_TEST(testVerificationCodesAreSixUniformDigits);
	CPPUNIT_TEST(testPersonalDiscoverable);
	CPPUNIT_TEST(testMembersFindByEmailMobileAndNamePrefix);
	CPPUNIT_TEST(testMembersFindNeedsOrgNameAndQuery);
	CPPUNIT_TEST(testUsersNamesAnswersDisplayNamesOnly);
	CPPUNIT_TEST(testMembersFindShowsOnlyDiscoverableActiveMembersOfThatOrg);
	CPPUNIT_TEST(testMembershipRemoveExternalEndsItsSessions);
	CPPUNIT_TEST(testMembershipRemoveExternalRefusesMembersAndNonMembers);
	CPPUNIT_TEST(testDatabaseFailuresAnswerByTheirClass);
	CPPUNIT_TEST_SUITE_END();

	static std::string lastCode(Host& host, const std::string& to)
	// The test's way to receive the email / SMS: the outbox row.
	{
		Poco::Data::Session s = host.db->session();
		std::vector<std::string> params;
		std::string recipient = to;
		s << "SELECT params_json FROM outbox WHERE template = 'verification_code' AND recipient = ? ORDER BY id DESC",
			Poco::Data::Keywords::into(params), Poco::Data::Keywords::useRef(recipient), Poco::Data::Keywords::now;
		CPPUNIT_ASSERT_MESSAGE("no code sent to " + to, !params.empty());
		Poco::JSON::Parser p;
		return p.parse(params[0]).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("code");
	}

	static std::string otherCode(const std::string& code)
	{
		return code == "000000" ? "111111" : "000000";
	}

	static std::string errorCode(const Reply& r)
	{
		return r.json()->getObject("error")->getValue<std::string>("code");
	}

	static std::string errorField(const Reply& r)
	{
		return r.json()->getObject("error")->optValue<std::string>("field", "");
	}

	template <typename F> void onBoth(const std::string& name, F f)
	{
		TestEnv::onBoth<Host>(name, f);
	}

public:
	void testPluginRouteReceivesCallerAndHostServices()
	{
		onBoth("http_whoami",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   Reply r = alice.call("GET", "/api/plugins/good-plugin/whoami?lang=en");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
				   auto j = r.json();
				   CPPUNIT_ASSERT_EQUAL(std::string("alice"), j->getObject("user")->getValue<std::string>("login"));
				   CPPUNIT_ASSERT_EQUAL(host.org, j->getValue<Poco::Int64>("orgId"));
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_CALLER_MEMBER), j->getValue<int>("kind"));
				   CPPUNIT_ASSERT(j->getValue<bool>("maintain"));
				   CPPUNIT_ASSERT_EQUAL(host.db->connector(), j->getObject("db")->getValue<std::string>("connector"));
				   CPPUNIT_ASSERT_EQUAL(std::string("en"), j->getValue<std::string>("locale"));
				   // The caller's permissions come with the request (ABI 1.4), read with the session.
				   auto permissions = [](const Reply& reply)
				   {
					   std::vector<std::string> names;
					   Poco::JSON::Array::Ptr a = reply.json()->getArray("permissions");
					   CPPUNIT_ASSERT_MESSAGE(reply.body, a);
					   for (std::size_t i = 0; i < a->size(); ++i)
						   names.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
					   std::sort(names.begin(), names.end());
					   return names;
				   };
				   CPPUNIT_ASSERT(permissions(r) == std::vector<std::string>{"external_contacts.maintain"});
				   Browser bob = host.browser();
				   bob.login("bob", "bob-password-123");
				   Reply b = bob.call("GET", "/api/plugins/good-plugin/whoami");
				   CPPUNIT_ASSERT(!b.json()->getValue<bool>("maintain"));
				   CPPUNIT_ASSERT(permissions(b).empty());
				   // A grant and a revocation show at the next request: nothing is cached.
				   host.dir->grantPermission(host.org, host.dir->userByLogin("bob")->id, "good.extra");
				   host.dir->grantPermission(host.org, host.dir->userByLogin("bob")->id, "external_contacts.maintain");
				   b = bob.call("GET", "/api/plugins/good-plugin/whoami");
				   CPPUNIT_ASSERT(permissions(b) ==
								  (std::vector<std::string>{"external_contacts.maintain", "good.extra"}));
				   CPPUNIT_ASSERT(b.json()->getValue<bool>("maintain"));
				   host.dir->revokePermission(host.org, host.dir->userByLogin("bob")->id, "external_contacts.maintain");
				   CPPUNIT_ASSERT(permissions(bob.call("GET", "/api/plugins/good-plugin/whoami")) ==
								  std::vector<std::string>{"good.extra"});
			   });
	}

	void testNotificationActionCallsPluginRouteOnce()
	{
		onBoth("http_notify",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   CPPUNIT_ASSERT_EQUAL(201, alice.call("POST", "/api/plugins/good-plugin/notify-me").status);
				   CPPUNIT_ASSERT_EQUAL(
					   1, alice.call("GET", "/api/notifications/unread-count").json()->getValue<int>("count"));
				   auto list = alice.call("GET", "/api/notifications?lang=en").json();
				   auto item = list->getArray("items")->getObject(0);
				   CPPUNIT_ASSERT_EQUAL(std::string("Test"), item->getValue<std::string>("title"));
				   CPPUNIT_ASSERT_EQUAL(std::string("unread"), item->getValue<std::string>("state"));
				   std::string id = std::to_string(item->getValue<Poco::Int64>("id"));
				   CPPUNIT_ASSERT_EQUAL(std::string("Acknowledge"),
										item->getArray("actions")->getObject(0)->getValue<std::string>("label"));

				   Browser bob = host.browser();
				   bob.login("bob", "bob-password-123");
				   CPPUNIT_ASSERT_EQUAL(404, bob.call("POST", "/api/notifications/" + id + "/actions/ack").status);
				   CPPUNIT_ASSERT_EQUAL(404, alice.call("POST", "/api/notifications/" + id + "/actions/nope").status);
				   CPPUNIT_ASSERT_EQUAL(
					   403, alice.call("POST", "/api/notifications/" + id + "/actions/ack", "", false).status);

				   Reply acted = alice.call("POST", "/api/notifications/" + id + "/actions/ack");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(acted.body, 200, acted.status);
				   auto item2 = alice.call("GET", "/api/notifications").json()->getArray("items")->getObject(0);
				   CPPUNIT_ASSERT_EQUAL(std::string("handled"), item2->getValue<std::string>("state"));
				   CPPUNIT_ASSERT(item2->getObject("outcome")->has("by"));
				   CPPUNIT_ASSERT_EQUAL(
					   0, alice.call("GET", "/api/notifications/unread-count").json()->getValue<int>("count"));
				   CPPUNIT_ASSERT_EQUAL(409, alice.call("POST", "/api/notifications/" + id + "/actions/ack").status);
			   });
	}

	void testNotifyWithResolveIsOneTransaction()
	{
		onBoth("http_notify_resolve",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   auto unread = [&]
				   { return alice.call("GET", "/api/notifications/unread-count").json()->getValue<int>("count"); };
				   auto state = [&](std::size_t newest)
				   {
					   return alice.call("GET", "/api/notifications")
						   .json()
						   ->getArray("items")
						   ->getObject(static_cast<unsigned>(newest))
						   ->getValue<std::string>("state");
				   };
				   auto tell = [&](const std::string& fromTo, const std::string& body)
				   { return alice.call("POST", "/api/plugins/good-plugin/tell/" + fromTo, body); };

				   Reply first = tell("none/a", "");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
				   CPPUNIT_ASSERT(first.json()->getValue<bool>("hasCall"));
				   CPPUNIT_ASSERT_EQUAL(0, first.json()->getObject("answer")->getValue<int>("resolved"));
				   CPPUNIT_ASSERT_EQUAL(1, unread());

				   // A notification the host refuses: the group is not resolved either.
				   Reply refused = tell("a/b", "bad");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 422, refused.status);
				   CPPUNIT_ASSERT(refused.json()->getValue<std::string>("error").find("userIds") != std::string::npos);
				   CPPUNIT_ASSERT_EQUAL(1, unread());
				   CPPUNIT_ASSERT_EQUAL(std::string("unread"), state(0));

				   // Both at once: a handled with its outcome, b unread.
				   Reply told = tell("a/b", "");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(told.body, 200, told.status);
				   CPPUNIT_ASSERT_EQUAL(1, told.json()->getObject("answer")->getValue<int>("resolved"));
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), told.json()->getObject("answer")->getArray("ids")->size());
				   CPPUNIT_ASSERT_EQUAL(std::string("unread"), state(0));
				   CPPUNIT_ASSERT_EQUAL(std::string("handled"), state(1));
				   auto a = alice.call("GET", "/api/notifications").json()->getArray("items")->getObject(1);
				   CPPUNIT_ASSERT(a->getObject("outcome")->has("by"));
				   CPPUNIT_ASSERT_EQUAL(1, unread());

				   // An ABI 1.4 host's table: HostApi makes the two calls, so a refused
				   // notification leaves the resolve standing (what 1.5 removes).
				   Reply older = tell("b/c?older", "bad");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(older.body, 422, older.status);
				   CPPUNIT_ASSERT_EQUAL(0, unread());
				   CPPUNIT_ASSERT_EQUAL(std::string("handled"), state(0));
				   Reply olderTold = tell("b/c?older", "");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(olderTold.body, 200, olderTold.status);
				   CPPUNIT_ASSERT(!olderTold.json()->getValue<bool>("hasCall"));
				   CPPUNIT_ASSERT_EQUAL(1, unread());
			   });
	}

	void testExternalUserReachesOnlyExternalRoutes()
	{
		onBoth("http_ext",
			   [](Host& host)
			   {
				   // The back office opened the plugin's menu item to external users.
				   host.menuAccess->set(host.org, "good-plugin", "good", MenuOverride{true, std::nullopt});
				   Browser ext = host.browser();
				   ext.login("ext", "ext-password-123");
				   Reply r = ext.call("GET", "/api/plugins/good-plugin/whoami");
				   CPPUNIT_ASSERT_EQUAL(200, r.status);
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_CALLER_EXTERNAL), r.json()->getValue<int>("kind"));
				   CPPUNIT_ASSERT(!r.json()->getValue<bool>("maintain"));
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("GET", "/api/plugins/good-plugin/ping").status);
				   CPPUNIT_ASSERT_EQUAL(403, ext.call("GET", "/api/admin/pages").status);
				   CPPUNIT_ASSERT_EQUAL(
					   std::size_t(1),
					   ext.call("GET", "/api/menus?location=main.nav").json()->getArray("items")->size());
			   });
	}

	void testBackOfficeOpensMenusToExternalUsers()
	{
		onBoth("http_menu_access",
			   [](Host& host)
			   {
				   Poco::Int64 rootId = host.dir->createUser("root", "Root", "root-password-12");
				   host.dir->addMembership(host.org, rootId, "member", true, 0);
				   Browser root = host.browser();
				   root.login("root", "root-password-12");
				   Browser ext = host.browser();
				   ext.login("ext", "ext-password-123"); // security level -5
				   Browser bob = host.browser();
				   bob.login("bob", "bob-password-123");
				   auto navSize = [](Browser& b)
				   { return b.call("GET", "/api/menus?location=main.nav").json()->getArray("items")->size(); };
				   const std::string item = "/api/admin/menus/good-plugin/good";

				   // As registered: closed to external users; the EXTERNAL route looks absent.
				   Reply list = root.call("GET", "/api/admin/menus?lang=en");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
				   auto items = list.json()->getArray("items");
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), items->size());
				   auto good = items->getObject(0);
				   CPPUNIT_ASSERT_EQUAL(std::string("good-plugin"), good->getValue<std::string>("pluginId"));
				   CPPUNIT_ASSERT_EQUAL(std::string("good"), good->getValue<std::string>("id"));
				   CPPUNIT_ASSERT_EQUAL(std::string("main.nav"), good->getValue<std::string>("location"));
				   CPPUNIT_ASSERT_EQUAL(std::string("Good"), good->getValue<std::string>("label"));
				   CPPUNIT_ASSERT(!good->getValue<bool>("openToExternal"));
				   CPPUNIT_ASSERT(good->isNull("minSecurityLevel"));
				   CPPUNIT_ASSERT(!good->getObject("registered")->getValue<bool>("openToExternal"));
				   CPPUNIT_ASSERT(good->getObject("registered")->isNull("minSecurityLevel"));
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("GET", "/api/plugins/good-plugin/whoami").status);
				   CPPUNIT_ASSERT_EQUAL(std::size_t(0), navSize(ext));
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), navSize(bob));

				   // Opened: the menu shows and the external route answers.
				   Reply opened = root.call("PUT", item, R"({"openToExternal":true,"minSecurityLevel":null})");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(opened.body, 200, opened.status);
				   CPPUNIT_ASSERT(opened.json()->getValue<bool>("openToExternal"));
				   CPPUNIT_ASSERT(!opened.json()->getObject("registered")->getValue<bool>("openToExternal"));
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), navSize(ext));
				   Reply who = ext.call("GET", "/api/plugins/good-plugin/whoami");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(who.body, 200, who.status);
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_CALLER_EXTERNAL), who.json()->getValue<int>("kind"));
				   // Routes without the EXTERNAL flag stay absent for them.
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("GET", "/api/plugins/good-plugin/ping").status);

				   // A minimum level above the external user's hides menu and route again; members at 0 keep it.
				   Reply raised = root.call("PUT", item, R"({"openToExternal":true,"minSecurityLevel":-4})");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(raised.body, 200, raised.status);
				   CPPUNIT_ASSERT_EQUAL(-4, raised.json()->getValue<int>("minSecurityLevel"));
				   CPPUNIT_ASSERT_EQUAL(-4, raised.json()->getObject("override")->getValue<int>("minSecurityLevel"));
				   CPPUNIT_ASSERT_EQUAL(std::size_t(0), navSize(ext));
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("GET", "/api/plugins/good-plugin/whoami").status);
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), navSize(bob));
				   CPPUNIT_ASSERT_EQUAL(
					   200, root.call("PUT", item, R"({"openToExternal":true,"minSecurityLevel":-5})").status);
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), navSize(ext));
				   CPPUNIT_ASSERT_EQUAL(200, ext.call("GET", "/api/plugins/good-plugin/whoami").status);
				   CPPUNIT_ASSERT_EQUAL(
					   200, root.call("PUT", item, R"({"openToExternal":null,"minSecurityLevel":1})").status);
				   CPPUNIT_ASSERT_EQUAL(std::size_t(0), navSize(bob));  // members below the level lose it too
				   CPPUNIT_ASSERT_EQUAL(std::size_t(0), navSize(root)); // the admin is at 0 as well
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("GET", "/api/plugins/good-plugin/whoami").status);

				   // Null returns to the registration, and the setting is per org (read back from the store).
				   Reply reset = root.call("PUT", item, R"({"openToExternal":null,"minSecurityLevel":null})");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(reset.body, 200, reset.status);
				   CPPUNIT_ASSERT(!reset.json()->getValue<bool>("openToExternal"));
				   CPPUNIT_ASSERT(reset.json()->isNull("minSecurityLevel"));
				   CPPUNIT_ASSERT(host.menuAccess->overrides(host.org).empty());
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), navSize(bob));
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("GET", "/api/plugins/good-plugin/whoami").status);

				   // Bad input names the field; unknown items are 404; CSRF and admins only.
				   auto field = [&](const std::string& body)
				   {
					   Reply r = root.call("PUT", item, body);
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + r.body, 400, r.status);
					   return r.json()->getObject("error")->getValue<std::string>("field");
				   };
				   CPPUNIT_ASSERT_EQUAL(std::string("openToExternal"), field(R"({"openToExternal":"yes"})"));
				   CPPUNIT_ASSERT_EQUAL(std::string("openToExternal"), field(R"({"openToExternal":1})"));
				   CPPUNIT_ASSERT_EQUAL(std::string("minSecurityLevel"), field(R"({"minSecurityLevel":1001})"));
				   CPPUNIT_ASSERT_EQUAL(std::string("minSecurityLevel"), field(R"({"minSecurityLevel":-1000})"));
				   CPPUNIT_ASSERT_EQUAL(std::string("minSecurityLevel"), field(R"({"minSecurityLevel":1.5})"));
				   CPPUNIT_ASSERT_EQUAL(std::string("minSecurityLevel"), field(R"({"minSecurityLevel":"3"})"));
				   CPPUNIT_ASSERT_EQUAL(std::string("minSecurityLevel"), field(R"({"minSecurityLevel":true})"));
				   CPPUNIT_ASSERT_EQUAL(std::string("extra"), field(R"({"extra":1})"));
				   CPPUNIT_ASSERT_EQUAL(200, root.call("PUT", item, R"({"minSecurityLevel":1000})").status);
				   CPPUNIT_ASSERT_EQUAL(200, root.call("PUT", item, R"({"minSecurityLevel":-999})").status);
				   CPPUNIT_ASSERT_EQUAL(
					   404, root.call("PUT", "/api/admin/menus/good-plugin/nope", R"({"openToExternal":true})").status);
				   CPPUNIT_ASSERT_EQUAL(
					   404, root.call("PUT", "/api/admin/menus/nope/good", R"({"openToExternal":true})").status);
				   CPPUNIT_ASSERT_EQUAL(403,
										root.call("PUT", item, R"({"openToExternal":true})", false).status); // no CSRF
				   CPPUNIT_ASSERT_EQUAL(403, bob.call("GET", "/api/admin/menus").status);
				   CPPUNIT_ASSERT_EQUAL(403, bob.call("PUT", item, R"({"openToExternal":true})").status);
				   CPPUNIT_ASSERT_EQUAL(403, ext.call("PUT", item, R"({"openToExternal":true})").status);
				   CPPUNIT_ASSERT_EQUAL(403, ext.call("GET", "/api/admin/menus").status);
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("GET", "/api/plugins/good-plugin/whoami").status);
			   });
	}

	void testPublicMountNeedsNoSession()
	{
		onBoth("http_public",
			   [](Host& host)
			   {
				   Browser anon = host.browser();
				   Reply r = anon.call("GET", "/public/abc");
				   CPPUNIT_ASSERT_EQUAL(200, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("{\"pong\":true}"), r.body);
				   // A public-mount route is not reachable under the plugin's API mount.
				   int underApi = anon.call("GET", "/api/plugins/good-plugin/public/abc").status;
				   CPPUNIT_ASSERT_EQUAL(404, underApi);
				   CPPUNIT_ASSERT_EQUAL(404, anon.call("GET", "/public").status);
			   });
	}

	void testPluginRoutesNeedSessionAndCsrf()
	{
		onBoth("http_auth",
			   [](Host& host)
			   {
				   Browser anon = host.browser();
				   CPPUNIT_ASSERT_EQUAL(401, anon.call("GET", "/api/plugins/good-plugin/ping").status);
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   CPPUNIT_ASSERT_EQUAL(200, alice.call("GET", "/api/plugins/good-plugin/ping").status);
				   CPPUNIT_ASSERT_EQUAL(403,
										alice.call("POST", "/api/plugins/good-plugin/notify-me", "", false).status);
				   CPPUNIT_ASSERT_EQUAL(
					   0, alice.call("GET", "/api/notifications/unread-count").json()->getValue<int>("count"));
				   CPPUNIT_ASSERT_EQUAL(405, alice.call("DELETE", "/api/plugins/good-plugin/ping").status);
				   CPPUNIT_ASSERT_EQUAL(404, alice.call("GET", "/api/plugins/no-such-plugin/ping").status);
			   });
	}

	void testNotificationActionsKeepTheExternalGate()
	{
		onBoth("http_extaction",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   Poco::Int64 extId = host.dir->userByLogin("ext")->id;
				   CPPUNIT_ASSERT_EQUAL(
					   201, alice.call("POST", "/api/plugins/good-plugin/notify-user/" + std::to_string(extId)).status);
				   Browser ext = host.browser();
				   ext.login("ext", "ext-password-123");
				   auto item = ext.call("GET", "/api/notifications").json()->getArray("items")->getObject(0);
				   std::string id = std::to_string(item->getValue<Poco::Int64>("id"));
				   // The action's route is not opened to external users: absent for them.
				   CPPUNIT_ASSERT_EQUAL(404, ext.call("POST", "/api/notifications/" + id + "/actions/ack").status);
				   auto again = ext.call("GET", "/api/notifications").json()->getArray("items")->getObject(0);
				   CPPUNIT_ASSERT(again->getValue<std::string>("state") != "handled");
			   });
	}

	void testPublicRouteSeesCallerOnlyWithCsrf()
	{
		onBoth("http_pubcsrf",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   Poco::Int64 aliceId = host.dir->userByLogin("alice")->id;
				   CPPUNIT_ASSERT_EQUAL(aliceId,
										alice.call("POST", "/public-echo").json()->getValue<Poco::Int64>("userId"));
				   CPPUNIT_ASSERT_EQUAL(
					   Poco::Int64(0),
					   alice.call("POST", "/public-echo", "", false).json()->getValue<Poco::Int64>("userId"));
				   Browser anon = host.browser();
				   CPPUNIT_ASSERT_EQUAL(Poco::Int64(0),
										anon.call("POST", "/public-echo").json()->getValue<Poco::Int64>("userId"));
			   });
	}

	void testPluginCannotSplitResponsesOrSetCookies()
	{
		onBoth("http_headers",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   std::string session = alice.cookie;
				   Reply r = alice.call("GET", "/api/plugins/good-plugin/headers");
				   CPPUNIT_ASSERT_EQUAL(200, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("ok"), r.headers.get("X-Fine", ""));
				   CPPUNIT_ASSERT(!r.headers.has("X-Echo"));
				   CPPUNIT_ASSERT(!r.headers.has("Set-Cookie"));
				   CPPUNIT_ASSERT(!r.headers.has("Bad Name"));
				   CPPUNIT_ASSERT_EQUAL(session, alice.cookie);
				   CPPUNIT_ASSERT_EQUAL(std::string("DENY"), r.headers.get("X-Frame-Options", ""));
				   Reply bad = alice.call("GET", "/api/plugins/good-plugin/bad-status");
				   CPPUNIT_ASSERT_EQUAL(500, bad.status);
				   CPPUNIT_ASSERT(bad.body.find("\"internal\"") != std::string::npos);
				   // A cookie of the plugin's own passes; the plugin sees its own
				   // cookies, never the host's session.
				   Reply own = alice.call("GET", "/api/plugins/good-plugin/cookies");
				   CPPUNIT_ASSERT_EQUAL(200, own.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("good_pref=1; Path=/; HttpOnly; SameSite=Lax"),
										own.headers.get("Set-Cookie", ""));
				   CPPUNIT_ASSERT(own.body.find("cookie") == std::string::npos);
				   CPPUNIT_ASSERT(own.body.find(session) == std::string::npos);
				   alice.otherCookies["good_pref"] = "1";
				   Reply seen = alice.call("GET", "/api/plugins/good-plugin/cookies");
				   CPPUNIT_ASSERT(seen.body.find("\"cookie\":\"good_pref=1\"") != std::string::npos);
				   CPPUNIT_ASSERT(seen.body.find(session) == std::string::npos);
			   });
	}

	void testMalformedQueryAnswers400()
	{
		onBoth("http_query",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   CPPUNIT_ASSERT_EQUAL(400, alice.call("GET", "/api/me?x=%zz").status);
				   CPPUNIT_ASSERT_EQUAL(200, alice.call("GET", "/api/me").status); // the connection stays usable
				   Browser fresh = host.browser();
				   Reply login = fresh.call("POST", "/api/session?x=%zz",
											"{\"login\":\"bob\",\"password\":\"bob-password-123\"}");
				   CPPUNIT_ASSERT_EQUAL(400, login.status);
				   CPPUNIT_ASSERT(fresh.cookie.empty()); // no session was handed out
			   });
	}

	void testPluginDisablesOnlyExternalAccounts()
	{
		onBoth("http_disable",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   Browser ext = host.browser();
				   ext.login("ext", "ext-password-123");
				   std::string bobId = std::to_string(host.dir->userByLogin("bob")->id);
				   std::string extId = std::to_string(host.dir->userByLogin("ext")->id);
				   int hooksBefore =
					   alice.call("GET", "/api/plugins/good-plugin/hook-count").json()->getValue<int>("disabled");
				   auto denied = alice.call("POST", "/api/plugins/good-plugin/disable/" + bobId).json();
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_DENIED), denied->getValue<int>("status"));
				   CPPUNIT_ASSERT_EQUAL(std::string("active"), host.dir->userByLogin("bob")->status);
				   // Disabling fires hook 101 back into the same plugin while its route runs.
				   auto done = alice.call("POST", "/api/plugins/good-plugin/disable/" + extId).json();
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), done->getValue<int>("status"));
				   CPPUNIT_ASSERT_EQUAL(std::string("disabled"), host.dir->userByLogin("ext")->status);
				   CPPUNIT_ASSERT_EQUAL(401, ext.call("GET", "/api/me").status); // its sessions ended at once
				   CPPUNIT_ASSERT_EQUAL(
					   hooksBefore + 1,
					   alice.call("GET", "/api/plugins/good-plugin/hook-count").json()->getValue<int>("disabled"));
			   });
	}

	void testOutboundMessagesLandInTheOutbox()
	{
		onBoth("http_outbox",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   auto sent = alice.call("POST", "/api/plugins/good-plugin/outbound",
										  "{\"channel\":\"sms\",\"to\":\"+8613800138000\",\"template\":\"bind-code\","
										  "\"params\":{\"code\":\"123456\"}}");
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), sent.json()->getValue<int>("status"));
				   auto bad = alice.call("POST", "/api/plugins/good-plugin/outbound",
										 "{\"channel\":\"pigeon\",\"to\":\"x\",\"template\":\"t\"}");
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_INVALID), bad.json()->getValue<int>("status"));
				   Poco::Data::Session s = host.db->session();
				   std::string plugin, channel, to, tmpl, params;
				   int rows = 0;
				   s << "SELECT COUNT(*) FROM outbox", Poco::Data::Keywords::into(rows), Poco::Data::Keywords::now;
				   CPPUNIT_ASSERT_EQUAL(1, rows);
				   s << "SELECT plugin_id, channel, recipient, template, params_json FROM outbox",
					   Poco::Data::Keywords::into(plugin), Poco::Data::Keywords::into(channel),
					   Poco::Data::Keywords::into(to), Poco::Data::Keywords::into(tmpl),
					   Poco::Data::Keywords::into(params), Poco::Data::Keywords::now;
				   CPPUNIT_ASSERT_EQUAL(std::string("good-plugin"), plugin);
				   CPPUNIT_ASSERT_EQUAL(std::string("sms"), channel);
				   CPPUNIT_ASSERT_EQUAL(std::string("+8613800138000"), to);
				   CPPUNIT_ASSERT_EQUAL(std::string("bind-code"), tmpl);
				   CPPUNIT_ASSERT(params.find("123456") != std::string::npos);
			   });
	}

	void testAdminRemovesMemberAndPluginsHearOfIt()
	{
		onBoth(
			"http_leave",
			[](Host& host)
			{
				Poco::Int64 rootId = host.dir->createUser("root", "Root", "root-password-12");
				host.dir->addMembership(host.org, rootId, "member", true, 0);
				Browser root = host.browser();
				root.login("root", "root-password-12");
				Browser bob = host.browser();
				bob.login("bob", "bob-password-123");
				Browser alice = host.browser();
				alice.login("alice", "alice-password-1");
				std::string bobId = std::to_string(host.dir->userByLogin("bob")->id);
				int before = root.call("GET", "/api/plugins/good-plugin/hook-count").json()->getValue<int>("left");

				CPPUNIT_ASSERT_EQUAL(403, alice.call("DELETE", "/api/admin/members/" + bobId).status); // not an admin
				CPPUNIT_ASSERT_EQUAL(403,
									 root.call("DELETE", "/api/admin/members/" + bobId, "", false).status); // no CSRF
				CPPUNIT_ASSERT_EQUAL(200, bob.call("GET", "/api/me").status);
				CPPUNIT_ASSERT_EQUAL(409, root.call("DELETE", "/api/admin/members/" + std::to_string(rootId)).status);

				CPPUNIT_ASSERT_EQUAL(204, root.call("DELETE", "/api/admin/members/" + bobId).status);
				CPPUNIT_ASSERT_EQUAL(401, bob.call("GET", "/api/me").status); // the session in that org ended
				CPPUNIT_ASSERT(!host.dir->membership(host.org, host.dir->userByLogin("bob")->id));
				auto counts = root.call("GET", "/api/plugins/good-plugin/hook-count").json();
				CPPUNIT_ASSERT_EQUAL(before + 1, counts->getValue<int>("left"));
				CPPUNIT_ASSERT_EQUAL(host.org, counts->getObject("lastLeft")->getValue<Poco::Int64>("orgId"));
				CPPUNIT_ASSERT_EQUAL(bobId,
									 std::to_string(counts->getObject("lastLeft")->getValue<Poco::Int64>("userId")));
				CPPUNIT_ASSERT_EQUAL(rootId, counts->getObject("lastLeft")->getValue<Poco::Int64>("byUserId"));
				CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"),
									 counts->getObject("lastLeft")->getValue<std::string>("remoteAddr"));
				CPPUNIT_ASSERT_EQUAL(404, root.call("DELETE", "/api/admin/members/" + bobId).status); // already gone
				CPPUNIT_ASSERT_EQUAL(404, root.call("DELETE", "/api/admin/members/999999").status);
			});
	}

	static Poco::Int64 addRoot(Host& host, Browser& root)
	// An admin of the org, logged in.
	{
		Poco::Int64 rootId = host.dir->createUser("root", "Root", "root-password-12");
		host.dir->addMembership(host.org, rootId, "member", true, 0);
		root.login("root", "root-password-12");
		return rootId;
	}

	static std::string loginsOf(const Reply& r)
	// "a,b,c": the logins of a list's items.
	{
		std::string logins;
		Poco::JSON::Array::Ptr items = r.json()->getArray("items");
		for (std::size_t i = 0; i < items->size(); ++i)
			logins += (i ? "," : "") + items->getObject(static_cast<unsigned>(i))->getValue<std::string>("login");
		return logins;
	}

	void testAdminListsMembersByPageAndNamePrefix()
	{
		onBoth("http_admin_members",
			   [](Host& host)
			   {
				   Browser root = host.browser();
				   addRoot(host, root);
				   for (const char* login : {"bea", "bert"})
					   host.dir->addMembership(
						   host.org, host.dir->createUser(login, std::string("B") + (login + 1), "x-password-123"),
						   "member", false, 0);
				   Poco::Int64 stranger = host.dir->createUser("bo.other", "Bo Other", "x-password-123");
				   host.dir->addMembership(host.dir->createOrg("Other"), stranger, "member", false, 0);

				   // Every membership of the org by user id, both kinds, in pages.
				   Reply first = root.call("GET", "/api/admin/members?limit=3");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("alice,bob,ext"), loginsOf(first));
				   Poco::JSON::Object::Ptr alice = first.json()->getArray("items")->getObject(0);
				   CPPUNIT_ASSERT_EQUAL(std::string("member"), alice->getValue<std::string>("kind"));
				   CPPUNIT_ASSERT(!alice->getValue<bool>("isAdmin"));
				   CPPUNIT_ASSERT_EQUAL(std::string("external_contacts.maintain"),
										alice->getArray("permissions")->getElement<std::string>(0));
				   CPPUNIT_ASSERT_EQUAL(std::string("external"),
										first.json()->getArray("items")->getObject(2)->getValue<std::string>("kind"));
				   CPPUNIT_ASSERT_EQUAL(
					   0u, static_cast<unsigned>(
							   first.json()->getArray("items")->getObject(1)->getArray("permissions")->size()));
				   std::string cursor = first.json()->getValue<std::string>("nextCursor");
				   Reply second = root.call("GET", "/api/admin/members?limit=3&cursor=" + cursor);
				   CPPUNIT_ASSERT_EQUAL(std::string("root,bea,bert"), loginsOf(second));
				   CPPUNIT_ASSERT(second.json()->isNull("nextCursor"));
				   CPPUNIT_ASSERT(second.json()->getArray("items")->getObject(0)->getValue<bool>("isAdmin"));

				   // A name prefix (either case) in name order, keyset over (name, id); no one of another org.
				   Reply b1 = root.call("GET", "/api/admin/members?q=b&limit=2");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(b1.body, 200, b1.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("bea,bert"), loginsOf(b1));
				   Reply b2 = root.call("GET", "/api/admin/members?q=b&limit=2&cursor=" +
												   b1.json()->getValue<std::string>("nextCursor"));
				   CPPUNIT_ASSERT_EQUAL(std::string("bob"), loginsOf(b2));
				   CPPUNIT_ASSERT(b2.json()->isNull("nextCursor"));
				   CPPUNIT_ASSERT_EQUAL(
					   1u, static_cast<unsigned>(
							   root.call("GET", "/api/admin/members?q=E").json()->getArray("items")->size()));
				   CPPUNIT_ASSERT_EQUAL(
					   0u, static_cast<unsigned>(
							   root.call("GET", "/api/admin/members?q=%25").json()->getArray("items")->size()));

				   // Bad input names the parameter; others than admins are refused.
				   for (const auto& [query, field] :
						std::vector<std::pair<std::string, std::string>>{{"limit=0", "limit"},
																		 {"limit=101", "limit"},
																		 {"cursor=x", "cursor"},
																		 {"cursor=-1", "cursor"},
																		 {"q=b&cursor=999999", "cursor"},
																		 {"q=%20", "q"},
																		 {"q=" + std::string(65, 'a'), "q"}})
				   {
					   Reply bad = root.call("GET", "/api/admin/members?" + query);
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(query, 400, bad.status);
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(query, field, errorField(bad));
				   }
				   Browser aliceBrowser = host.browser();
				   aliceBrowser.login("alice", "alice-password-1");
				   CPPUNIT_ASSERT_EQUAL(403, aliceBrowser.call("GET", "/api/admin/members").status);
				   Browser ext = host.browser();
				   ext.login("ext", "ext-password-123");
				   CPPUNIT_ASSERT_EQUAL(403, ext.call("GET", "/api/admin/members").status);
				   CPPUNIT_ASSERT_EQUAL(401, host.browser().call("GET", "/api/admin/members").status);
				   CPPUNIT_ASSERT_EQUAL(405, root.call("POST", "/api/admin/members", "{}").status);
			   });
	}

	void testAdminGrantsAndRevokesMaintain()
	{
		onBoth("http_admin_perms",
			   [](Host& host)
			   {
				   Browser root = host.browser();
				   Poco::Int64 rootId = addRoot(host, root);
				   Poco::Int64 bob = host.dir->userByLogin("bob")->id;
				   const std::string maintain = "/permissions/external_contacts.maintain";
				   const std::string bobPath = "/api/admin/members/" + std::to_string(bob);

				   Reply granted = root.call("PUT", bobPath + maintain);
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(granted.body, 200, granted.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("external_contacts.maintain"),
										granted.json()->getArray("permissions")->getElement<std::string>(0));
				   CPPUNIT_ASSERT(host.dir->hasPermission(bob, host.org, "external_contacts.maintain"));
				   CPPUNIT_ASSERT_EQUAL(200, root.call("PUT", bobPath + maintain).status); // again: no change
				   Reply revoked = root.call("DELETE", bobPath + maintain);
				   CPPUNIT_ASSERT_EQUAL(200, revoked.status);
				   CPPUNIT_ASSERT_EQUAL(0u, static_cast<unsigned>(revoked.json()->getArray("permissions")->size()));
				   CPPUNIT_ASSERT(!host.dir->hasPermission(bob, host.org, "external_contacts.maintain"));
				   CPPUNIT_ASSERT_EQUAL(200, root.call("DELETE", bobPath + maintain).status);

				   // Only names the host knows, only members of kind member of this org, never oneself.
				   CPPUNIT_ASSERT_EQUAL(404, root.call("PUT", bobPath + "/permissions/root.everything").status);
				   Poco::Int64 stranger = host.dir->createUser("stranger", "Stranger", "x-password-123");
				   host.dir->addMembership(host.dir->createOrg("Other"), stranger, "member", false, 0);
				   CPPUNIT_ASSERT_EQUAL(
					   404, root.call("PUT", "/api/admin/members/" + std::to_string(stranger) + maintain).status);
				   CPPUNIT_ASSERT_EQUAL(404, root.call("PUT", "/api/admin/members/999999" + maintain).status);
				   CPPUNIT_ASSERT_EQUAL(404, root.call("PUT", "/api/admin/members/x" + maintain).status);
				   Reply self = root.call("PUT", "/api/admin/members/" + std::to_string(rootId) + maintain);
				   CPPUNIT_ASSERT_EQUAL(409, self.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("conflict"), errorCode(self));
				   std::string extPath = "/api/admin/members/" + std::to_string(host.dir->userByLogin("ext")->id);
				   CPPUNIT_ASSERT_EQUAL(409, root.call("PUT", extPath + maintain).status);
				   CPPUNIT_ASSERT(host.dir->permissionsOf(host.dir->userByLogin("ext")->id, host.org).empty());
				   CPPUNIT_ASSERT_EQUAL(405, root.call("POST", bobPath + maintain, "{}").status);
				   CPPUNIT_ASSERT_EQUAL(403, root.call("PUT", bobPath + maintain, "", false).status); // no CSRF
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   CPPUNIT_ASSERT_EQUAL(403, alice.call("PUT", bobPath + maintain).status); // maintain is not admin
				   CPPUNIT_ASSERT(!host.dir->hasPermission(bob, host.org, "external_contacts.maintain"));
			   });
	}

	void testRemovalPreviewAndChosenSuccessor()
	{
		onBoth(
			"http_removal",
			[](Host& host)
			{
				Browser root = host.browser();
				Poco::Int64 rootId = addRoot(host, root);
				Poco::Int64 alice = host.dir->userByLogin("alice")->id;
				Poco::Int64 bob = host.dir->userByLogin("bob")->id;
				Poco::Int64 ext = host.dir->userByLogin("ext")->id;
				const std::string bobPath = "/api/admin/members/" + std::to_string(bob);
				auto hooks = [&] { return root.call("GET", "/api/plugins/good-plugin/hook-count").json(); };

				// The preview: the plugins' items (only objects), nothing removed.
				Reply preview = root.call("POST", bobPath + "/removal-preview");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(preview.body, 200, preview.status);
				CPPUNIT_ASSERT_EQUAL(bob, preview.json()->getObject("member")->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT(preview.json()->isNull("successorId"));
				Poco::JSON::Array::Ptr items = preview.json()->getArray("items");
				CPPUNIT_ASSERT_EQUAL(1u, static_cast<unsigned>(items->size()));
				CPPUNIT_ASSERT_EQUAL(std::string("good-plugin"), items->getObject(0)->getValue<std::string>("plugin"));
				Poco::JSON::Object::Ptr asked = hooks()->getObject("lastWillLeave");
				CPPUNIT_ASSERT(asked->getValue<bool>("dryRun"));
				CPPUNIT_ASSERT_EQUAL(rootId, asked->getValue<Poco::Int64>("byUserId"));
				CPPUNIT_ASSERT(asked->isNull("successorId"));
				CPPUNIT_ASSERT(host.dir->membership(host.org, bob).has_value());
				Reply chosen =
					root.call("POST", bobPath + "/removal-preview", "{\"successorId\":" + std::to_string(alice) + "}");
				CPPUNIT_ASSERT_EQUAL(200, chosen.status);
				CPPUNIT_ASSERT_EQUAL(alice, chosen.json()->getValue<Poco::Int64>("successorId"));
				CPPUNIT_ASSERT_EQUAL(alice, hooks()->getObject("lastWillLeave")->getValue<Poco::Int64>("successorId"));

				// A successor is another active member of kind member of this org.
				host.dir->setUserStatus(host.dir->createUser("gone", "Gone", "x-password-123"), "disabled");
				Poco::Int64 gone = host.dir->userByLogin("gone")->id;
				host.dir->addMembership(host.org, gone, "member", false, 0);
				Poco::Int64 stranger = host.dir->createUser("stranger", "Stranger", "x-password-123");
				host.dir->addMembership(host.dir->createOrg("Other"), stranger, "member", false, 0);
				int asks = hooks()->getValue<int>("willLeave");
				for (Poco::Int64 bad : {bob, ext, gone, stranger, Poco::Int64(999999)})
					for (const char* method : {"POST", "DELETE"})
					{
						std::string path = bobPath + (std::string(method) == "POST" ? "/removal-preview" : "");
						Reply r = root.call(method, path, "{\"successorId\":" + std::to_string(bad) + "}");
						CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 422, r.status);
						CPPUNIT_ASSERT_EQUAL(std::string("successorId"), errorField(r));
					}
				for (const std::string& body :
					 {std::string("{\"successorId\":\"2\"}"), std::string("{\"successorId\":0}"),
					  std::string("{\"successorId\":true}")})
				{
					Reply r = root.call("DELETE", bobPath, body);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, r.status);
					CPPUNIT_ASSERT_EQUAL(std::string("successorId"), errorField(r));
				}
				Reply unknown = root.call("DELETE", bobPath, "{\"heir\":1}");
				CPPUNIT_ASSERT_EQUAL(std::string("unknown_field"), errorCode(unknown));
				CPPUNIT_ASSERT_EQUAL(std::string("heir"), errorField(unknown));
				CPPUNIT_ASSERT_EQUAL(400, root.call("DELETE", bobPath, "[1]").status);
				CPPUNIT_ASSERT_EQUAL(asks, hooks()->getValue<int>("willLeave")); // refused before any plugin was asked
				CPPUNIT_ASSERT_EQUAL(
					404,
					root.call("POST", "/api/admin/members/" + std::to_string(stranger) + "/removal-preview").status);
				CPPUNIT_ASSERT_EQUAL(
					409, root.call("POST", "/api/admin/members/" + std::to_string(rootId) + "/removal-preview").status);
				CPPUNIT_ASSERT_EQUAL(405, root.call("GET", bobPath + "/removal-preview").status);
				CPPUNIT_ASSERT_EQUAL(403, root.call("POST", bobPath + "/removal-preview", "", false).status); // no CSRF
				Browser aliceBrowser = host.browser();
				aliceBrowser.login("alice", "alice-password-1");
				CPPUNIT_ASSERT_EQUAL(403, aliceBrowser.call("POST", bobPath + "/removal-preview").status);

				// A plugin's veto: 409 with its message, the member stays.
				root.call("POST", "/api/plugins/good-plugin/veto-leave", "true");
				Reply vetoed = root.call("DELETE", bobPath, "{\"successorId\":" + std::to_string(alice) + "}");
				root.call("POST", "/api/plugins/good-plugin/veto-leave", "false");
				CPPUNIT_ASSERT_EQUAL(409, vetoed.status);
				CPPUNIT_ASSERT_EQUAL(std::string("good-plugin keeps this member"),
									 vetoed.json()->getObject("error")->getValue<std::string>("message"));
				CPPUNIT_ASSERT(host.dir->membership(host.org, bob).has_value());

				// The removal passes the successor on to hook 100.
				int left = hooks()->getValue<int>("left");
				Reply removed = root.call("DELETE", bobPath, "{\"successorId\":" + std::to_string(alice) + "}");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(removed.body, 204, removed.status);
				CPPUNIT_ASSERT(!host.dir->membership(host.org, bob));
				Poco::JSON::Object::Ptr counts = hooks();
				CPPUNIT_ASSERT_EQUAL(left + 1, counts->getValue<int>("left"));
				CPPUNIT_ASSERT_EQUAL(alice, counts->getObject("lastLeft")->getValue<Poco::Int64>("successorId"));
				CPPUNIT_ASSERT(!counts->getObject("lastWillLeave")->getValue<bool>("dryRun"));
				// Without a body the rule decides: successorId null.
				std::string extPath = "/api/admin/members/" + std::to_string(ext);
				CPPUNIT_ASSERT_EQUAL(204, root.call("DELETE", extPath).status);
				CPPUNIT_ASSERT(hooks()->getObject("lastLeft")->isNull("successorId"));
			});
	}

	void testPluginCreatesAnAccountThatItsOwnerActivates()
	{
		onBoth(
			"http_activate",
			[](Host& host)
			{
				Browser alice = host.browser();
				alice.login("alice", "alice-password-1");
				const std::string op = "/api/plugins/good-plugin/account/";
				std::string org = std::to_string(host.org);
				auto created =
					alice
						.call("POST", op + "create_pending",
							  "{\"orgId\":" + org +
								  ",\"displayName\":\"林外部\",\"loginHint\":\"lin.wai\",\"securityLevel\":-7}")
						.json();
				CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), created->getValue<int>("status"));
				Poco::JSON::Object::Ptr out = created->getObject("out");
				CPPUNIT_ASSERT_EQUAL(std::string("lin.wai"), out->getValue<std::string>("login"));
				CPPUNIT_ASSERT_EQUAL(std::string("pending"), out->getValue<std::string>("status"));
				std::string token = out->getObject("activation")->getValue<std::string>("token");
				CPPUNIT_ASSERT_EQUAL("/#/activate/" + token,
									 out->getObject("activation")->getValue<std::string>("path"));
				CPPUNIT_ASSERT_EQUAL(std::string(""), out->getObject("activation")->getValue<std::string>("url"));
				Poco::Int64 userId = out->getValue<Poco::Int64>("userId");
				CPPUNIT_ASSERT_EQUAL(-7, host.dir->membership(host.org, userId)->securityLevel);

				// Bad requests of the operations are refused by the host, nothing created.
				for (const std::string& bad : {std::string("{\"orgId\":") + org + "}",
											   "{\"orgId\":" + org + ",\"displayName\":\"x\",\"securityLevel\":1}",
											   "{\"orgId\":" + org + ",\"displayName\":\"x\",\"ttlSeconds\":5}",
											   "{\"orgId\":" + org + ",\"displayName\":7}"})
					CPPUNIT_ASSERT_EQUAL_MESSAGE(
						bad, int(HOSTSDK_E_INVALID),
						alice.call("POST", op + "create_pending", bad).json()->getValue<int>("status"));
				CPPUNIT_ASSERT_EQUAL(
					int(HOSTSDK_E_NOT_FOUND),
					alice.call("POST", op + "create_pending", "{\"orgId\":999999,\"displayName\":\"x\"}")
						.json()
						->getValue<int>("status"));
				CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_UNSUPPORTED),
									 alice.call("POST", op + "rename", "{}").json()->getValue<int>("status"));
				std::string bobId = std::to_string(host.dir->userByLogin("bob")->id);
				CPPUNIT_ASSERT_EQUAL(
					int(HOSTSDK_E_DENIED),
					alice.call("POST", op + "reset", "{\"userId\":" + bobId + "}").json()->getValue<int>("status"));
				CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_NOT_FOUND),
									 alice
										 .call("POST", op + "set_security_level",
											   "{\"orgId\":" + org + ",\"userId\":" + bobId + ",\"securityLevel\":-1}")
										 .json()
										 ->getValue<int>("status"));

				// The owner opens the link: the public check names the account.
				Browser owner = host.browser();
				auto check = owner.call("POST", "/api/activation/check", "{\"token\":\"" + token + "\"}");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(check.body, 200, check.status);
				CPPUNIT_ASSERT_EQUAL(std::string("lin.wai"), check.json()->getValue<std::string>("login"));
				CPPUNIT_ASSERT_EQUAL(12, check.json()->getValue<int>("minLength"));
				std::string other = token;
				other[0] = other[0] == 'a' ? 'b' : 'a';
				auto unknown = owner.call("POST", "/api/activation/check", "{\"token\":\"" + other + "\"}");
				CPPUNIT_ASSERT_EQUAL(404, unknown.status);
				CPPUNIT_ASSERT_EQUAL(std::string("activation_link_invalid"),
									 unknown.json()->getObject("error")->getValue<std::string>("code"));
				CPPUNIT_ASSERT_EQUAL(400, owner.call("POST", "/api/activation/check", "{}").status);
				CPPUNIT_ASSERT_EQUAL(
					400, owner.call("POST", "/api/activation/check", "{\"token\":\"x\",\"more\":1}").status);
				CPPUNIT_ASSERT_EQUAL(405, owner.call("GET", "/api/activation/check").status);

				// Weak passwords are named; then a good one activates, once.
				auto weak = owner.call("POST", "/api/activation",
									   "{\"token\":\"" + token + "\",\"password\":\"password2026!\"}");
				CPPUNIT_ASSERT_EQUAL(400, weak.status);
				CPPUNIT_ASSERT_EQUAL(std::string("password_too_common"),
									 weak.json()->getObject("error")->getValue<std::string>("code"));
				CPPUNIT_ASSERT_EQUAL(std::string("password"),
									 weak.json()->getObject("error")->getValue<std::string>("field"));
				auto shortOne =
					owner.call("POST", "/api/activation", "{\"token\":\"" + token + "\",\"password\":\"Ab1!\"}");
				CPPUNIT_ASSERT_EQUAL(std::string("password_too_short"),
									 shortOne.json()->getObject("error")->getValue<std::string>("code"));
				auto done = owner.call("POST", "/api/activation",
									   "{\"token\":\"" + token + "\",\"password\":\"Tq8#vLm2!pZr\"}");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 204, done.status);
				CPPUNIT_ASSERT(owner.cookie.empty()); // activation does not log in by itself
				auto again = owner.call("POST", "/api/activation",
										"{\"token\":\"" + token + "\",\"password\":\"Another#Good#Pass9\"}");
				CPPUNIT_ASSERT_EQUAL(410, again.status);
				CPPUNIT_ASSERT_EQUAL(std::string("activation_link_expired"),
									 again.json()->getObject("error")->getValue<std::string>("code"));
				owner.login("lin.wai", "Tq8#vLm2!pZr");
				auto me = owner.call("GET", "/api/me").json();
				CPPUNIT_ASSERT_EQUAL(std::string("external"), me->getObject("org")->getValue<std::string>("kind"));

				// Reset: the session ends, a new link is handed out.
				auto reset = alice.call("POST", op + "reset", "{\"userId\":" + std::to_string(userId) + "}").json();
				CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), reset->getValue<int>("status"));
				CPPUNIT_ASSERT_EQUAL(401, owner.call("GET", "/api/me").status);
				std::string fresh = reset->getObject("out")->getObject("activation")->getValue<std::string>("token");
				CPPUNIT_ASSERT_EQUAL(
					200, owner.call("POST", "/api/activation/check", "{\"token\":\"" + fresh + "\"}").status);
				auto level =
					alice
						.call("POST", op + "set_security_level",
							  "{\"orgId\":" + org + ",\"userId\":" + std::to_string(userId) + ",\"securityLevel\":-50}")
						.json();
				CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), level->getValue<int>("status"));
				CPPUNIT_ASSERT_EQUAL(-50, host.dir->membership(host.org, userId)->securityLevel);
			});
	}

	void testDirectoryMembersHideEveryoneFromExternalUsersUnlessAPluginAllows()
	{
		onBoth("http_directory",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   auto all = alice.call("GET", "/api/directory/members?limit=10");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(all.body, 200, all.status);
				   // Members only (the external user is not listed), by id.
				   CPPUNIT_ASSERT_EQUAL(std::size_t(2), all.json()->getArray("items")->size());
				   auto bob = alice.call("GET", "/api/directory/members?q=bo");
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), bob.json()->getArray("items")->size());
				   CPPUNIT_ASSERT_EQUAL(std::string("bob"),
										bob.json()->getArray("items")->getObject(0)->getValue<std::string>("login"));
				   auto page = alice.call("GET", "/api/directory/members?limit=1");
				   std::string cursor = page.json()->getValue<std::string>("nextCursor");
				   auto next = alice.call("GET", "/api/directory/members?limit=1&cursor=" + cursor);
				   CPPUNIT_ASSERT(next.json()->getArray("items")->getObject(0)->getValue<Poco::Int64>("id") >
								  page.json()->getArray("items")->getObject(0)->getValue<Poco::Int64>("id"));
				   CPPUNIT_ASSERT_EQUAL(400, alice.call("GET", "/api/directory/members?limit=0").status);
				   CPPUNIT_ASSERT_EQUAL(400, alice.call("GET", "/api/directory/members?cursor=x").status);
				   CPPUNIT_ASSERT_EQUAL(400,
										alice.call("GET", "/api/directory/members?q=" + std::string(65, 'a')).status);
				   // No plugin here answers directory.will_list_members: an external user sees nobody.
				   Browser ext = host.browser();
				   ext.login("ext", "ext-password-123");
				   auto hidden = ext.call("GET", "/api/directory/members");
				   CPPUNIT_ASSERT_EQUAL(200, hidden.status);
				   CPPUNIT_ASSERT_EQUAL(std::size_t(0), hidden.json()->getArray("items")->size());
				   CPPUNIT_ASSERT_EQUAL(401, host.browser().call("GET", "/api/directory/members").status);
			   });
	}

	void testPersonalProfile()
	{
		onBoth(
			"http_me_profile",
			[](Host& host)
			{
				Browser alice = host.browser();
				CPPUNIT_ASSERT_EQUAL(401, alice.call("PUT", "/api/me/profile", "{\"displayName\":\"A\"}").status);
				alice.login("alice", "alice-password-1");
				Reply r =
					alice.call("PUT", "/api/me/profile", "{\"displayName\":\"  Alice Liddell \",\"title\":\"工程师\"}");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
				auto user = r.json()->getObject("user");
				CPPUNIT_ASSERT_EQUAL(std::string("Alice Liddell"), user->getValue<std::string>("displayName"));
				CPPUNIT_ASSERT_EQUAL(std::string("工程师"), user->getValue<std::string>("title"));
				CPPUNIT_ASSERT_EQUAL(std::string("Alice Liddell"), host.dir->userByLogin("alice")->displayName);
				CPPUNIT_ASSERT_EQUAL(
					std::string("工程师"),
					alice.call("GET", "/api/me").json()->getObject("user")->getValue<std::string>("title"));

				r = alice.call("PUT", "/api/me/profile", "{\"displayName\":\"   \",\"title\":\"\"}");
				CPPUNIT_ASSERT_EQUAL(400, r.status);
				CPPUNIT_ASSERT_EQUAL(std::string("displayName"), errorField(r));
				r = alice.call("PUT", "/api/me/profile", "{\"title\":\"x\"}");
				CPPUNIT_ASSERT_EQUAL(400, r.status);
				CPPUNIT_ASSERT_EQUAL(std::string("displayName"), errorField(r));
				r = alice.call("PUT", "/api/me/profile", "{\"displayName\":\"" + std::string(101, 'a') + "\"}");
				CPPUNIT_ASSERT_EQUAL(std::string("displayName"), errorField(r));
				CPPUNIT_ASSERT_EQUAL(
					200,
					alice.call("PUT", "/api/me/profile", "{\"displayName\":\"" + std::string(100, 'a') + "\"}").status);
				r = alice.call("PUT", "/api/me/profile",
							   "{\"displayName\":\"Alice\",\"title\":\"" + std::string(101, 't') + "\"}");
				CPPUNIT_ASSERT_EQUAL(400, r.status);
				CPPUNIT_ASSERT_EQUAL(std::string("title"), errorField(r));
				r = alice.call("PUT", "/api/me/profile", "{\"displayName\":\"Alice\",\"title\":7}");
				CPPUNIT_ASSERT_EQUAL(std::string("title"), errorField(r));
				r = alice.call("PUT", "/api/me/profile", "{\"displayName\":\"Alice\",\"email\":\"a@b.cn\"}");
				CPPUNIT_ASSERT_EQUAL(400, r.status);
				CPPUNIT_ASSERT_EQUAL(std::string("unknown_field"), errorCode(r));
				CPPUNIT_ASSERT_EQUAL(std::string("email"), errorField(r));
				CPPUNIT_ASSERT_EQUAL(403,
									 alice.call("PUT", "/api/me/profile", "{\"displayName\":\"X\"}", false).status);
				CPPUNIT_ASSERT_EQUAL(405, alice.call("POST", "/api/me/profile", "{\"displayName\":\"X\"}").status);

				// External users keep their own profile too (R8).
				Browser ext = host.browser();
				ext.login("ext", "ext-password-123");
				r = ext.call("PUT", "/api/me/profile", "{\"displayName\":\"Ext Partner\",\"title\":\"Buyer\"}");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
				CPPUNIT_ASSERT_EQUAL(std::string("Ext Partner"), host.dir->userByLogin("ext")->displayName);
			});
	}

	void testPersonalPasswordEndsOtherSessions()
	{
		onBoth(
			"http_me_password",
			[](Host& host)
			{
				Browser here = host.browser();
				here.login("bob", "bob-password-123");
				Browser there = host.browser();
				there.login("bob", "bob-password-123");
				Reply r =
					here.call("POST", "/api/me/password",
							  "{\"currentPassword\":\"wrong-password-1\",\"newPassword\":\"Tidal-Marble-Orchard-42\"}");
				CPPUNIT_ASSERT_EQUAL(400, r.status);
				CPPUNIT_ASSERT_EQUAL(std::string("invalid_credentials"), errorCode(r));
				CPPUNIT_ASSERT_EQUAL(std::string("currentPassword"), errorField(r));
				r = here.call("POST", "/api/me/password",
							  "{\"currentPassword\":\"bob-password-123\",\"newPassword\":\"short\"}");
				CPPUNIT_ASSERT_EQUAL(400, r.status);
				CPPUNIT_ASSERT_EQUAL(std::string("password_too_short"), errorCode(r));
				CPPUNIT_ASSERT_EQUAL(std::string("newPassword"), errorField(r));
				r = here.call("POST", "/api/me/password",
							  "{\"currentPassword\":\"bob-password-123\",\"newPassword\":\"xbobx-Marble-Orchard\"}");
				CPPUNIT_ASSERT_EQUAL(std::string("password_contains_login"), errorCode(r));
				r = here.call("POST", "/api/me/password", "{\"currentPassword\":\"bob-password-123\"}");
				CPPUNIT_ASSERT_EQUAL(std::string("newPassword"), errorField(r));
				r = here.call(
					"POST", "/api/me/password",
					"{\"currentPassword\":\"bob-password-123\",\"newPassword\":\"Tidal-Marble-Orchard-42\",\"x\":1}");
				CPPUNIT_ASSERT_EQUAL(std::string("unknown_field"), errorCode(r));
				CPPUNIT_ASSERT_EQUAL(
					403,
					here.call("POST", "/api/me/password",
							  "{\"currentPassword\":\"bob-password-123\",\"newPassword\":\"Tidal-Marble-Orchard-42\"}",
							  false)
						.status);
				// Nothing changed so far: both sessions live.
				CPPUNIT_ASSERT_EQUAL(200, there.call("GET", "/api/me").status);

				r = here.call("POST", "/api/me/password",
							  "{\"currentPassword\":\"bob-password-123\",\"newPassword\":\"Tidal-Marble-Orchard-42\"}");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 204, r.status);
				CPPUNIT_ASSERT_EQUAL(200, here.call("GET", "/api/me").status);
				CPPUNIT_ASSERT_EQUAL(401, there.call("GET", "/api/me").status);
				Browser again = host.browser();
				CPPUNIT_ASSERT_EQUAL(
					401,
					again.call("POST", "/api/session", "{\"login\":\"bob\",\"password\":\"bob-password-123\"}").status);
				again.login("bob", "Tidal-Marble-Orchard-42");
			});
	}

	// Issue 14.5: a stolen session cannot guess the current password at the
	// rate of the server's argon2id: five wrong per user and window, then 429.
	void testPersonalPasswordGuessesAreLimited()
	{
		onBoth("http_me_password_limit",
			   [](Host& host)
			   {
				   Browser thief = host.browser();
				   thief.login("bob", "bob-password-123");
				   auto change = [&](Browser& b, const std::string& current)
				   {
					   return b.call("POST", "/api/me/password",
									 "{\"currentPassword\":\"" + current +
										 "\",\"newPassword\":\"Tidal-Marble-Orchard-42\"}");
				   };
				   for (int i = 0; i < 5; ++i)
				   {
					   Reply r = change(thief, "guess-password-" + std::to_string(i));
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 400, r.status);
					   CPPUNIT_ASSERT_EQUAL(std::string("invalid_credentials"), errorCode(r));
				   }
				   Reply r = change(thief, "guess-password-5");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 429, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("too_many_requests"), errorCode(r));
				   int retry = std::stoi(r.headers.get("Retry-After", "0"));
				   CPPUNIT_ASSERT(retry > 0 && retry <= 901);
				   // The right password is refused alike (no oracle), from another session of the user too.
				   CPPUNIT_ASSERT_EQUAL(429, change(thief, "bob-password-123").status);
				   Browser other = host.browser();
				   other.login("bob", "bob-password-123");
				   CPPUNIT_ASSERT_EQUAL(429, change(other, "bob-password-123").status);
				   CPPUNIT_ASSERT_EQUAL(200, other.call("GET", "/api/me").status);
				   // Another user is not affected.
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   r = alice.call(
					   "POST", "/api/me/password",
					   "{\"currentPassword\":\"alice-password-1\",\"newPassword\":\"Tidal-Marble-Orchard-42\"}");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 204, r.status);
			   });
	}

	void testPersonalContactBinding()
	{
		onBoth("http_me_bind",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   Poco::Int64 aliceId = host.dir->userByLogin("alice")->id;
				   auto bind = [&](const std::string& channel, const std::string& value)
				   {
					   return alice.call("POST", "/api/me/contact-bindings",
										 "{\"channel\":\"" + channel + "\",\"value\":\"" + value + "\"}");
				   };
				   auto confirm = [&](const std::string& channel, const std::string& code)
				   {
					   return alice.call("POST", "/api/me/contact-bindings/confirm",
										 "{\"channel\":\"" + channel + "\",\"code\":\"" + code + "\"}");
				   };
				   // Bad input is refused before anything is counted or sent.
				   Reply r = bind("email", "not-an-address");
				   CPPUNIT_ASSERT_EQUAL(400, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("value"), errorField(r));
				   CPPUNIT_ASSERT_EQUAL(std::string("value"),
										errorField(bind("email", std::string(250, 'a') + "@b.cn")));
				   CPPUNIT_ASSERT_EQUAL(std::string("value"), errorField(bind("mobile", "12345")));
				   CPPUNIT_ASSERT_EQUAL(std::string("value"), errorField(bind("mobile", "+86 138")));
				   CPPUNIT_ASSERT_EQUAL(std::string("channel"), errorField(bind("wechat", "x")));
				   CPPUNIT_ASSERT_EQUAL(std::string("unknown_field"),
										errorCode(alice.call("POST", "/api/me/contact-bindings",
															 "{\"channel\":\"email\",\"value\":\"a@b.cn\",\"to\":1}")));
				   CPPUNIT_ASSERT_EQUAL(403, alice
												 .call("POST", "/api/me/contact-bindings",
													   "{\"channel\":\"email\",\"value\":\"a@b.cn\"}", false)
												 .status);
				   CPPUNIT_ASSERT_EQUAL(std::string("code_expired"), errorCode(confirm("email", "123456")));

				   // 1: email, one wrong try, then the right code; it is single use.
				   r = bind("email", "alice@example.com");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 202, r.status);
				   std::string code = lastCode(host, "alice@example.com");
				   CPPUNIT_ASSERT_EQUAL(std::size_t(6), code.size());
				   {
					   Poco::Data::Session s = host.db->session();
					   std::string channel, hash;
					   s << "SELECT o.channel, v.code_hash FROM outbox o, verification_codes v WHERE o.recipient = "
							"v.value",
						   Poco::Data::Keywords::into(channel), Poco::Data::Keywords::into(hash),
						   Poco::Data::Keywords::now;
					   CPPUNIT_ASSERT_EQUAL(std::string("email"), channel);
					   CPPUNIT_ASSERT_EQUAL(PersonalSettings::codeHash(aliceId, code), hash); // never the code itself
				   }
				   r = confirm("email", otherCode(code));
				   CPPUNIT_ASSERT_EQUAL(400, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("code_invalid"), errorCode(r));
				   CPPUNIT_ASSERT_EQUAL(4, r.json()->getObject("error")->getValue<int>("attemptsLeft"));
				   r = confirm("email", code);
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"),
										r.json()->getObject("user")->getValue<std::string>("email"));
				   CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), host.dir->userById(aliceId)->email);
				   r = confirm("email", code);
				   CPPUNIT_ASSERT_EQUAL(410, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("code_expired"), errorCode(r));

				   // 2: mobile by SMS; five wrong tries, the sixth is refused even with the right code.
				   CPPUNIT_ASSERT_EQUAL(202, bind("mobile", "+8613800138000").status);
				   code = lastCode(host, "+8613800138000");
				   for (int left = 4; left >= 0; --left)
				   {
					   r = confirm("mobile", otherCode(code));
					   CPPUNIT_ASSERT_EQUAL(400, r.status);
					   CPPUNIT_ASSERT_EQUAL(left, r.json()->getObject("error")->getValue<int>("attemptsLeft"));
				   }
				   CPPUNIT_ASSERT_EQUAL(410, confirm("mobile", code).status);
				   CPPUNIT_ASSERT_EQUAL(std::string(""), host.dir->userById(aliceId)->mobile);
				   {
					   Poco::Data::Session s = host.db->session();
					   int sms = 0;
					   s << "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '+8613800138000'",
						   Poco::Data::Keywords::into(sms), Poco::Data::Keywords::now;
					   CPPUNIT_ASSERT_EQUAL(1, sms);
				   }

				   // 3: an expired code is refused.
				   CPPUNIT_ASSERT_EQUAL(202, bind("email", "alice@example.org").status);
				   code = lastCode(host, "alice@example.org");
				   {
					   Poco::Data::Session s = host.db->session();
					   s << "UPDATE verification_codes SET expires_at = 1 WHERE user_id = ?",
						   Poco::Data::Keywords::use(aliceId), Poco::Data::Keywords::now;
				   }
				   CPPUNIT_ASSERT_EQUAL(410, confirm("email", code).status);
				   CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), host.dir->userById(aliceId)->email);

				   // 4 and 5: a new request replaces the pending code.
				   CPPUNIT_ASSERT_EQUAL(202, bind("mobile", "13900139000").status);
				   std::string first = lastCode(host, "13900139000");
				   CPPUNIT_ASSERT_EQUAL(202, bind("mobile", "13900139001").status);
				   std::string second = lastCode(host, "13900139001");
				   if (first != second) CPPUNIT_ASSERT_EQUAL(400, confirm("mobile", first).status);
				   r = confirm("mobile", second);
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("13900139001"),
										r.json()->getObject("user")->getValue<std::string>("mobile"));

				   // 6: past five requests in an hour.
				   r = bind("email", "alice@example.net");
				   CPPUNIT_ASSERT_EQUAL(429, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("too_many_requests"), errorCode(r));
				   int retry = std::stoi(r.headers.get("Retry-After", "0"));
				   CPPUNIT_ASSERT(retry > 3000 && retry <= 3600);

				   // Another user is not affected, and external users bind too.
				   Browser ext = host.browser();
				   ext.login("ext", "ext-password-123");
				   r = ext.call("POST", "/api/me/contact-bindings",
								"{\"channel\":\"email\",\"value\":\"ext@partner.example\"}");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 202, r.status);
				   r = ext.call("POST", "/api/me/contact-bindings/confirm",
								"{\"channel\":\"email\",\"code\":\"" + lastCode(host, "ext@partner.example") + "\"}");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("ext@partner.example"), host.dir->userByLogin("ext")->email);
			   });
	}

	void testVerificationCodesAreSixUniformDigits()
	{
		int firstDigit[10] = {};
		for (int i = 0; i < 5000; ++i)
		{
			std::string c = PersonalSettings::newCode();
			CPPUNIT_ASSERT_EQUAL(std::size_t(6), c.size());
			CPPUNIT_ASSERT(c.find_first_not_of("0123456789") == std::string::npos);
			++firstDigit[c[0] - '0'];
		}
		for (int d = 0; d < 10; ++d)
			CPPUNIT_ASSERT(firstDigit[d] > 350 && firstDigit[d] < 650);
		CPPUNIT_ASSERT(PersonalSettings::validEmail("a.b+c@example.co"));
		CPPUNIT_ASSERT(!PersonalSettings::validEmail("a@b"));
		CPPUNIT_ASSERT(!PersonalSettings::validEmail("a b@example.com"));
		CPPUNIT_ASSERT(!PersonalSettings::validEmail("a@@example.com"));
		CPPUNIT_ASSERT(PersonalSettings::validMobile("+12345678901234567890"));
		CPPUNIT_ASSERT(!PersonalSettings::validMobile("+123456789012345678901"));
		CPPUNIT_ASSERT(!PersonalSettings::validMobile("++123456"));
	}

	void testPersonalDiscoverable()
	{
		onBoth(
			"http_me_discoverable",
			[](Host& host)
			{
				Browser bob = host.browser();
				bob.login("bob", "bob-password-123");
				CPPUNIT_ASSERT(bob.call("GET", "/api/me").json()->getObject("user")->getValue<bool>("discoverable"));
				Reply r = bob.call("PUT", "/api/me/profile", "{\"displayName\":\"Bob\",\"discoverable\":false}");
				CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
				CPPUNIT_ASSERT(!r.json()->getObject("user")->getValue<bool>("discoverable"));
				CPPUNIT_ASSERT(!host.dir->userByLogin("bob")->discoverable);
				// Left out: unchanged.
				r = bob.call("PUT", "/api/me/profile", "{\"displayName\":\"Bob\",\"title\":\"Sales\"}");
				CPPUNIT_ASSERT_EQUAL(200, r.status);
				CPPUNIT_ASSERT(!bob.call("GET", "/api/me").json()->getObject("user")->getValue<bool>("discoverable"));
				r = bob.call("PUT", "/api/me/profile", "{\"displayName\":\"Bob\",\"discoverable\":true}");
				CPPUNIT_ASSERT(r.json()->getObject("user")->getValue<bool>("discoverable"));
				CPPUNIT_ASSERT(host.dir->userByLogin("bob")->discoverable);

				for (const char* bad : {"\"no\"", "1", "0", "null", "[]"})
				{
					r = bob.call("PUT", "/api/me/profile",
								 std::string("{\"displayName\":\"Bob\",\"discoverable\":") + bad + "}");
					CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 400, r.status);
					CPPUNIT_ASSERT_EQUAL(std::string("validation_failed"), errorCode(r));
					CPPUNIT_ASSERT_EQUAL(std::string("discoverable"), errorField(r));
				}
				CPPUNIT_ASSERT(host.dir->userByLogin("bob")->discoverable);
				CPPUNIT_ASSERT_EQUAL(
					403, bob.call("PUT", "/api/me/profile", "{\"displayName\":\"Bob\",\"discoverable\":false}", false)
							 .status);
				CPPUNIT_ASSERT(host.dir->userByLogin("bob")->discoverable);
			});
	}

	void testMembersFindByEmailMobileAndNamePrefix()
	{
		onBoth("http_find",
			   [](Host& host)
			   {
				   Poco::Int64 other = host.dir->createOrg("Other Org");
				   Poco::Int64 zhang = host.dir->createUser("zhang", "张三", "zhang-password-1");
				   Poco::Int64 zhao = host.dir->createUser("zhao", "张三丰", "zhao-password-12");
				   Poco::Int64 li = host.dir->createUser("li", "Li 50%_off", "li-password-123");
				   Poco::Int64 lily = host.dir->createUser("lily", "Lily", "lily-password-12");
				   for (Poco::Int64 id : {zhang, zhao, li, lily})
					   host.dir->addMembership(other, id, "member", false, 0);
				   // zhang binds email and mobile the way a user does: the code from the outbox.
				   host.personal->requestBinding(zhang, "email", "Zhang.San@Example.com");
				   host.personal->confirmBinding(zhang, "email", lastCode(host, "Zhang.San@Example.com"));
				   host.personal->requestBinding(zhang, "mobile", "13800138000");
				   host.personal->confirmBinding(zhang, "mobile", lastCode(host, "13800138000"));
				   host.personal->updateProfile(zhang, "张三", "工程师");
				   setContact(host, zhao, "", "+8613900139000");
				   setContact(host, li, "l@x.cn", "123456");
				   HostTable table(host);
				   auto find = [&](const std::string& q)
				   {
					   HostAnswer a =
						   table.directory("members.find", "{\"orgName\":\" Other Org \",\"q\":\"" + q + "\"}");
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(a.err, int(HOSTSDK_OK), int(a.status));
					   return a.json();
				   };
				   auto ids = [&](const std::string& q)
				   {
					   std::vector<Poco::Int64> v;
					   auto items = find(q)->getArray("items");
					   for (std::size_t i = 0; i < items->size(); ++i)
						   v.push_back(items->getObject(i)->getValue<Poco::Int64>("userId"));
					   return v;
				   };

				   // Email: exact, ASCII case-insensitive; the answer holds only masked contact data.
				   auto byEmail = find("zhang.san@EXAMPLE.com");
				   CPPUNIT_ASSERT_EQUAL(other, byEmail->getObject("org")->getValue<Poco::Int64>("id"));
				   CPPUNIT_ASSERT_EQUAL(std::string("Other Org"),
										byEmail->getObject("org")->getValue<std::string>("name"));
				   auto items = byEmail->getArray("items");
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), items->size());
				   auto z = items->getObject(0);
				   CPPUNIT_ASSERT_EQUAL(zhang, z->getValue<Poco::Int64>("userId"));
				   CPPUNIT_ASSERT_EQUAL(std::string("张三"), z->getValue<std::string>("displayName"));
				   CPPUNIT_ASSERT_EQUAL(std::string("工程师"), z->getValue<std::string>("title"));
				   CPPUNIT_ASSERT_EQUAL(std::string("138****8000"), z->getValue<std::string>("mobileMasked"));
				   CPPUNIT_ASSERT_EQUAL(std::string("Z***@Example.com"), z->getValue<std::string>("emailMasked"));
				   CPPUNIT_ASSERT_EQUAL(std::size_t(5), z->size());
				   std::ostringstream raw;
				   byEmail->stringify(raw);
				   CPPUNIT_ASSERT(raw.str().find("13800138000") == std::string::npos);
				   CPPUNIT_ASSERT(raw.str().find("Zhang.San") == std::string::npos);
				   // Not a prefix, not a substring.
				   CPPUNIT_ASSERT(ids("zhang.san@example.co").empty());
				   CPPUNIT_ASSERT(ids("hang.san@example.com").empty());

				   // Mobile: exact, spaces and dashes ignored; the + is part of the number.
				   CPPUNIT_ASSERT(ids("138 0013-8000") == std::vector<Poco::Int64>{zhang});
				   CPPUNIT_ASSERT(ids("1380013800").empty());
				   CPPUNIT_ASSERT(ids("+8613900139000") == std::vector<Poco::Int64>{zhao});
				   CPPUNIT_ASSERT(ids("8613900139000").empty());
				   auto lz = find("+86 139-0013-9000")->getArray("items")->getObject(0);
				   CPPUNIT_ASSERT_EQUAL(std::string("+861****9000"), lz->getValue<std::string>("mobileMasked"));
				   CPPUNIT_ASSERT_EQUAL(std::string(""), lz->getValue<std::string>("emailMasked"));
				   auto shortOne = find("123456")->getArray("items")->getObject(0);
				   CPPUNIT_ASSERT_EQUAL(std::string("1****6"), shortOne->getValue<std::string>("mobileMasked"));
				   CPPUNIT_ASSERT_EQUAL(std::string("l***@x.cn"), shortOne->getValue<std::string>("emailMasked"));

				   // Name: a prefix, ordered by name; not a substring; wildcards literal.
				   CPPUNIT_ASSERT((ids("张三") == std::vector<Poco::Int64>{zhang, zhao}));
				   CPPUNIT_ASSERT(ids("三").empty());
				   CPPUNIT_ASSERT((ids("li") == std::vector<Poco::Int64>{li, lily}));
				   CPPUNIT_ASSERT((ids("LI 50%_") == std::vector<Poco::Int64>{li}));
				   CPPUNIT_ASSERT(ids("Li 5_%").empty());
				   CPPUNIT_ASSERT(ids("%").empty());
				   CPPUNIT_ASSERT(ids("_").empty());
				   HostAnswer one =
					   table.directory("members.find", "{\"orgName\":\"Other Org\",\"q\":\"张\",\"limit\":1}");
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), one.json()->getArray("items")->size());

				   // An org is found by its exact name only; an unknown one finds nobody.
				   HostAnswer unknown = table.directory("members.find", "{\"orgName\":\"Other\",\"q\":\"张三\"}");
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), int(unknown.status));
				   CPPUNIT_ASSERT_EQUAL(std::string("{\"items\":[],\"org\":null}"), unknown.out);
				   HostAnswer otherCase = table.directory("members.find", "{\"orgName\":\"other org\",\"q\":\"张三\"}");
				   CPPUNIT_ASSERT_EQUAL(std::string("{\"items\":[],\"org\":null}"), otherCase.out);
			   });
	}

	void testMembersFindNeedsOrgNameAndQuery()
	{
		onBoth("http_find_bad",
			   [](Host& host)
			   {
				   host.dir->createOrg("Other Org");
				   HostTable table(host);
				   auto refused = [&](const std::string& json, const std::string& field)
				   {
					   HostAnswer a = table.directory("members.find", json);
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(json, int(HOSTSDK_E_INVALID), int(a.status));
					   CPPUNIT_ASSERT_MESSAGE(json + " → " + a.err, a.err.find(field) != std::string::npos);
					   CPPUNIT_ASSERT(a.out.empty());
				   };
				   refused("{\"q\":\"张三\"}", "orgName");
				   refused("{\"orgName\":\"   \",\"q\":\"张三\"}", "orgName");
				   refused("{\"orgName\":7,\"q\":\"张三\"}", "orgName");
				   refused("{\"orgName\":\"" + std::string(101, 'o') + "\",\"q\":\"张三\"}", "orgName");
				   refused("{\"orgName\":\"Other Org\"}", "q");
				   refused("{\"orgName\":\"Other Org\",\"q\":\"  \"}", "q");
				   refused("{\"orgName\":\"Other Org\",\"q\":null}", "q");
				   refused("{\"orgName\":\"Other Org\",\"q\":\"" + std::string(65, 'a') + "\"}", "q");
				   refused("{\"orgName\":\"Other Org\",\"q\":\"a\",\"limit\":0}", "limit");
				   refused("{\"orgName\":\"Other Org\",\"q\":\"a\",\"limit\":21}", "limit");
				   refused("{\"orgName\":\"Other Org\",\"q\":\"a\",\"limit\":\"5\"}", "limit");
				   refused("[]", "JSON object");
				   // The longest allowed: 64 characters (not bytes), 20 results.
				   std::string q64;
				   for (int i = 0; i < 64; ++i)
					   q64 += "张";
				   HostAnswer ok = table.directory("members.find",
												   "{\"orgName\":\"Other Org\",\"q\":\"" + q64 + "\",\"limit\":20}");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.err, int(HOSTSDK_OK), int(ok.status));
				   // Unknown org, valid query: no error, nobody.
				   HostAnswer none = table.directory("members.find", "{\"orgName\":\"Nope\",\"q\":\"a\"}");
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), int(none.status));
				   CPPUNIT_ASSERT(none.json()->isNull("org"));
			   });
	}

	void testUsersNamesAnswersDisplayNamesOnly()
	{
		onBoth("http_users_names",
			   [](Host& host)
			   {
				   Poco::Int64 zhang = host.dir->createUser("zhang", "张三", "zhang-password-1");
				   Poco::Int64 quote = host.dir->createUser("quote", "O'Neil \"Q\" \\ 50%", "quote-password-1");
				   HostTable table(host);
				   const std::string ids =
					   "{\"ids\":[" + std::to_string(quote) + "," + std::to_string(zhang) + ",999999]}";
				   HostAnswer a = table.directory("users.names", ids);
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(a.err, int(HOSTSDK_OK), int(a.status));
				   // Only the names, by id as a string; unknown ids left out; UTF-8 kept as it is.
				   Poco::JSON::Object::Ptr names = a.json()->getObject("names");
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.json()->size());
				   CPPUNIT_ASSERT_EQUAL(std::size_t(2), names->size());
				   CPPUNIT_ASSERT_EQUAL(std::string("张三"), names->getValue<std::string>(std::to_string(zhang)));
				   CPPUNIT_ASSERT_EQUAL(std::string("O'Neil \"Q\" \\ 50%"),
										names->getValue<std::string>(std::to_string(quote)));
				   CPPUNIT_ASSERT(a.out.find("张三") != std::string::npos);
				   CPPUNIT_ASSERT(a.out.find("zhang-password") == std::string::npos &&
								  a.out.find("login") == std::string::npos);
				   // No ids: an empty object.
				   HostAnswer none = table.directory("users.names", "{\"ids\":[]}");
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_OK), int(none.status));
				   CPPUNIT_ASSERT_EQUAL(std::string("{\"names\":{}}"), none.out);
				   // Bad input: named, nothing answered.
				   auto refused = [&](const std::string& json, const std::string& what)
				   {
					   HostAnswer r = table.directory("users.names", json);
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(json, int(HOSTSDK_E_INVALID), int(r.status));
					   CPPUNIT_ASSERT_MESSAGE(json + " → " + r.err, r.err.find(what) != std::string::npos);
					   CPPUNIT_ASSERT(r.out.empty());
				   };
				   refused("{}", "ids");
				   refused("{\"ids\":7}", "ids");
				   refused("{\"ids\":[\"x\"]}", "ids");
				   std::string many = "{\"ids\":[1";
				   for (int i = 2; i <= 1001; ++i)
					   many += "," + std::to_string(i);
				   refused(many + "]}", "at most 1000");
			   });
	}

	void testMembersFindShowsOnlyDiscoverableActiveMembersOfThatOrg()
	{
		onBoth("http_find_hidden",
			   [](Host& host)
			   {
				   Poco::Int64 other = host.dir->createOrg("Other Org");
				   Poco::Int64 third = host.dir->createOrg("Third Org");
				   auto person = [&](const std::string& login, const std::string& mobile)
				   {
					   Poco::Int64 id = host.dir->createUser(login, "Wang " + login, login + "-password-1");
					   setContact(host, id, login + "@example.com", mobile);
					   return id;
				   };
				   Poco::Int64 shown = person("shown", "13800000001");
				   Poco::Int64 hidden = person("hidden", "13800000002");
				   Poco::Int64 guest = person("guest", "13800000003");
				   Poco::Int64 elsewhere = person("elsewhere", "13800000004");
				   Poco::Int64 off = person("off", "13800000005");
				   host.dir->addMembership(other, shown, "member", false, 0);
				   host.dir->addMembership(other, hidden, "member", false, 0);
				   host.dir->addMembership(other, guest, "external", false, -5);
				   host.dir->addMembership(third, elsewhere, "member", false, 0);
				   host.dir->addMembership(other, off, "member", false, 0);
				   host.dir->setUserStatus(off, "disabled");
				   HostTable table(host);
				   auto ids = [&](const std::string& org, const std::string& q)
				   {
					   HostAnswer a =
						   table.directory("members.find", "{\"orgName\":\"" + org + "\",\"q\":\"" + q + "\"}");
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(a.err, int(HOSTSDK_OK), int(a.status));
					   std::vector<Poco::Int64> v;
					   auto items = a.json()->getArray("items");
					   for (std::size_t i = 0; i < items->size(); ++i)
						   v.push_back(items->getObject(i)->getValue<Poco::Int64>("userId"));
					   return v;
				   };
				   CPPUNIT_ASSERT((ids("Other Org", "Wang") == std::vector<Poco::Int64>{hidden, shown}));
				   // hidden turns discoverability off in 个人设置: gone by name, email and mobile.
				   host.personal->updateProfile(hidden, "Wang hidden", "", false);
				   CPPUNIT_ASSERT((ids("Other Org", "Wang") == std::vector<Poco::Int64>{shown}));
				   CPPUNIT_ASSERT(ids("Other Org", "hidden@example.com").empty());
				   CPPUNIT_ASSERT(ids("Other Org", "13800000002").empty());
				   CPPUNIT_ASSERT(ids("Other Org", "shown@example.com") == std::vector<Poco::Int64>{shown});
				   // An external member of the org, a member of another org, a disabled account: never.
				   for (const char* q : {"guest@example.com", "13800000003", "Wang guest", "elsewhere@example.com",
										 "13800000004", "Wang elsewhere", "off@example.com", "13800000005", "Wang off"})
					   CPPUNIT_ASSERT_MESSAGE(q, ids("Other Org", q).empty());
				   CPPUNIT_ASSERT(ids("Third Org", "elsewhere@example.com") == std::vector<Poco::Int64>{elsewhere});
				   CPPUNIT_ASSERT(ids("Third Org", "shown@example.com").empty());
				   // The host's own members (Org) are not found through Other Org.
				   CPPUNIT_ASSERT(ids("Other Org", "Alice").empty());
				   CPPUNIT_ASSERT(ids("Org", "Alice").size() == 1);
				   // Back on: found again.
				   host.personal->updateProfile(hidden, "Wang hidden", "", true);
				   CPPUNIT_ASSERT(ids("Other Org", "13800000002") == std::vector<Poco::Int64>{hidden});
			   });
	}

	void testMembershipRemoveExternalEndsItsSessions()
	{
		onBoth("http_remove_external",
			   [](Host& host)
			   {
				   Poco::Int64 home = host.dir->createOrg("Home Org");
				   Poco::Int64 carol = host.dir->createUser("carol", "Carol", "carol-password-1");
				   host.dir->addMembership(home, carol, "member", false, 0);
				   HostTable table(host);
				   std::string ids =
					   "{\"orgId\":" + std::to_string(host.org) + ",\"userId\":" + std::to_string(carol) + "}";
				   HostAnswer added = table.account("membership.add_external", ids);
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(added.err, int(HOSTSDK_OK), int(added.status));
				   Browser inOrg = host.browser();
				   inOrg.login("carol", "carol-password-1");
				   Reply switched = inOrg.call("POST", "/api/me/org", "{\"orgId\":" + std::to_string(host.org) + "}");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(switched.body, 200, switched.status);
				   CPPUNIT_ASSERT_EQUAL(std::string("external"),
										switched.json()->getObject("org")->getValue<std::string>("kind"));
				   Browser atHome = host.browser();
				   atHome.login("carol", "carol-password-1");
				   CPPUNIT_ASSERT_EQUAL(
					   200, atHome.call("POST", "/api/me/org", "{\"orgId\":" + std::to_string(home) + "}").status);

				   HostAnswer removed = table.account("membership.remove_external", ids);
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(removed.err, int(HOSTSDK_OK), int(removed.status));
				   CPPUNIT_ASSERT_EQUAL(std::string("{\"removed\":true}"), removed.out);
				   CPPUNIT_ASSERT(!host.dir->membership(host.org, carol));
				   auto sessionsIn = [&](Poco::Int64 org)
				   {
					   using namespace Poco::Data::Keywords;
					   int n = 0;
					   Poco::Data::Session s = host.db->session();
					   s << "SELECT COUNT(*) FROM sessions WHERE user_id = ? AND org_id = ?", use(carol), use(org),
						   into(n), now;
					   return n;
				   };
				   CPPUNIT_ASSERT_EQUAL(0, sessionsIn(host.org)); // deleted, not only refused
				   CPPUNIT_ASSERT_EQUAL(1, sessionsIn(home));
				   CPPUNIT_ASSERT_EQUAL(401, inOrg.call("GET", "/api/me").status); // its session in that org ended
				   Reply me = atHome.call("GET", "/api/me");                       // the one at home lives on
				   CPPUNIT_ASSERT_EQUAL(200, me.status);
				   CPPUNIT_ASSERT_EQUAL(std::size_t(1), me.json()->getArray("orgs")->size());
				   CPPUNIT_ASSERT_EQUAL(
					   404, atHome.call("POST", "/api/me/org", "{\"orgId\":" + std::to_string(host.org) + "}").status);
				   // Once gone, there is nothing to remove.
				   HostAnswer again = table.account("membership.remove_external", ids);
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_NOT_FOUND), int(again.status));
			   });
	}

	void testMembershipRemoveExternalRefusesMembersAndNonMembers()
	{
		onBoth("http_remove_external_bad",
			   [](Host& host)
			   {
				   HostTable table(host);
				   Poco::Int64 bob = host.dir->userByLogin("bob")->id;
				   Poco::Int64 ext = host.dir->userByLogin("ext")->id;
				   Poco::Int64 other = host.dir->createOrg("Other Org");
				   Browser bobBrowser = host.browser();
				   bobBrowser.login("bob", "bob-password-123");
				   auto body = [](Poco::Int64 org, Poco::Int64 user)
				   { return "{\"orgId\":" + std::to_string(org) + ",\"userId\":" + std::to_string(user) + "}"; };
				   HostAnswer denied = table.account("membership.remove_external", body(host.org, bob));
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_DENIED), int(denied.status));
				   CPPUNIT_ASSERT_EQUAL(std::string("member"), host.dir->membership(host.org, bob)->kind);
				   CPPUNIT_ASSERT_EQUAL(200, bobBrowser.call("GET", "/api/me").status);
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_NOT_FOUND),
										int(table.account("membership.remove_external", body(other, ext)).status));
				   CPPUNIT_ASSERT_EQUAL(
					   int(HOSTSDK_E_NOT_FOUND),
					   int(table.account("membership.remove_external", body(host.org, 999999)).status));
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_INVALID),
										int(table.account("membership.remove_external", "{\"orgId\":1}").status));
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_INVALID),
										int(table.account("membership.remove_external", "{\"userId\":1}").status));
				   CPPUNIT_ASSERT_EQUAL(int(HOSTSDK_E_INVALID),
										int(table.account("membership.remove_external", body(0, ext)).status));
				   CPPUNIT_ASSERT(host.dir->membership(host.org, ext).has_value());
			   });
	}

	void testDatabaseFailuresAnswerByTheirClass()
	{
		// One classifier (HostSdk::SqlDatabase::classify) for the host's
		// routes and its C table: a busy database is worth a retry (503 with
		// Retry-After, HOSTSDK_E_UNAVAILABLE), an SQL error is a bug (500
		// internal, HOSTSDK_E_INTERNAL), not an outage.
		onBoth("http_failures",
			   [](Host& host)
			   {
				   Browser alice = host.browser();
				   alice.login("alice", "alice-password-1");
				   HostTable table(host);
				   {
					   std::vector<Poco::Data::Session> held; // every session of the pool in use
					   for (int i = 0; i < 16; ++i)
						   held.push_back(host.db->session());
					   Reply busy = alice.call("GET", "/api/me");
					   CPPUNIT_ASSERT_EQUAL_MESSAGE(busy.body, 503, busy.status);
					   CPPUNIT_ASSERT_EQUAL(std::string("1"), busy.headers.get("Retry-After", ""));
					   CPPUNIT_ASSERT_EQUAL(std::string("unavailable"), errorCode(busy));
					   HostAnswer answer = table.directory("members.find", "{\"orgName\":\"Org\",\"q\":\"alice\"}");
					   CPPUNIT_ASSERT_EQUAL(static_cast<int>(HOSTSDK_E_UNAVAILABLE), static_cast<int>(answer.status));
					   CPPUNIT_ASSERT_EQUAL(std::string("the host's database is busy; try again"), answer.err);
				   }
				   auto rename = [&](const std::string& from, const std::string& to)
				   {
					   Poco::Data::Session s = host.db->session();
					   s << "ALTER TABLE " + from + " RENAME TO " + to, Poco::Data::Keywords::now;
				   };
				   rename("sessions", "sessions_gone");
				   Reply broken = alice.call("GET", "/api/me");
				   rename("sessions_gone", "sessions");
				   CPPUNIT_ASSERT_EQUAL_MESSAGE(broken.body, 500, broken.status);
				   CPPUNIT_ASSERT(!broken.headers.has("Retry-After"));
				   CPPUNIT_ASSERT_EQUAL(std::string("internal"), errorCode(broken));
				   rename("orgs", "orgs_gone");
				   HostAnswer failed = table.directory("members.find", "{\"orgName\":\"Org\",\"q\":\"alice\"}");
				   rename("orgs_gone", "orgs");
				   CPPUNIT_ASSERT_EQUAL(static_cast<int>(HOSTSDK_E_INTERNAL), static_cast<int>(failed.status));
				   CPPUNIT_ASSERT_EQUAL(200, alice.call("GET", "/api/me").status);
			   });
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostHttpTest);
