#include "PluginManager.h"
#include "TestEnv.h"
#include <cppunit/extensions/HelperMacros.h>

using RefHost::PluginLoadException;
using RefHost::PluginManager;

namespace
{

std::string testPlugin(const std::string& name)
{
	return TestEnv::binaryDir() + "/test-plugins/lib" + name + ".so";
}

std::string refusal(PluginManager& pm, const std::string& path)
{
	try
	{
		pm.load(path);
	}
	catch (const PluginLoadException& e)
	{
		return e.message();
	}
	return "";
}

} // namespace

class PluginManagerTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PluginManagerTest);
	CPPUNIT_TEST(testGoodPluginLoadsAndRegisters);
	CPPUNIT_TEST(testWrongMajorIsRefusedWithClearMessage);
	CPPUNIT_TEST(testLibraryWithoutEntryIsRefused);
	CPPUNIT_TEST(testRegistrationsDisappearOnDeactivate);
	CPPUNIT_TEST(testSecondLoadOfSameIdIsRefused);
	CPPUNIT_TEST(testRegistrationOutsideActivateIsDenied);
	CPPUNIT_TEST(testRouteMatchingCapturesAndMethods);
	CPPUNIT_TEST_SUITE_END();

public:
	void testGoodPluginLoadsAndRegisters()
	{
		PluginManager pm(PluginManager::Services{});
		CPPUNIT_ASSERT_EQUAL(std::string("good-plugin"), pm.load(testPlugin("GoodPlugin")));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), pm.menus("main.nav").size());
		CPPUNIT_ASSERT_EQUAL(std::string("good"), pm.menus("main.nav")[0].id);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), pm.backofficePages().size());
		bool exists = false;
		CPPUNIT_ASSERT(pm.matchRoute("good-plugin", "GET", "/ping", false, exists).has_value());
		std::string out, err;
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), pm.renderQr("good", "hello", "png", 4, out, err));
		CPPUNIT_ASSERT_EQUAL(std::string("qr:hello"), out);
	}

	void testWrongMajorIsRefusedWithClearMessage()
	{
		PluginManager pm(PluginManager::Services{});
		std::string message = refusal(pm, testPlugin("WrongMajorPlugin"));
		CPPUNIT_ASSERT_MESSAGE(message, message.find("ABI major 2") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(message, message.find("speaks 1") != std::string::npos);
		CPPUNIT_ASSERT(pm.activePlugins().empty());
	}

	void testLibraryWithoutEntryIsRefused()
	{
		PluginManager pm(PluginManager::Services{});
		std::string message = refusal(pm, testPlugin("NoEntryPlugin"));
		CPPUNIT_ASSERT_MESSAGE(message, message.find("entry symbol hostsdk_plugin_entry") != std::string::npos);
		CPPUNIT_ASSERT(pm.activePlugins().empty());
	}

	void testRegistrationsDisappearOnDeactivate()
	{
		PluginManager pm(PluginManager::Services{});
		pm.load(testPlugin("GoodPlugin"));
		pm.deactivate("good-plugin");
		CPPUNIT_ASSERT(pm.menus("main.nav").empty());
		CPPUNIT_ASSERT(pm.backofficePages().empty());
		bool exists = false;
		CPPUNIT_ASSERT(!pm.matchRoute("good-plugin", "GET", "/ping", false, exists).has_value());
		CPPUNIT_ASSERT(!exists);
		std::string out, err;
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_E_UNSUPPORTED), pm.renderQr("good", "hello", "png", 4, out, err));
		CPPUNIT_ASSERT(pm.activePlugins().empty());
	}

	void testSecondLoadOfSameIdIsRefused()
	{
		PluginManager pm(PluginManager::Services{});
		pm.load(testPlugin("GoodPlugin"));
		std::string message = refusal(pm, testPlugin("GoodPlugin"));
		CPPUNIT_ASSERT_MESSAGE(message, message.find("already loaded") != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), pm.menus("main.nav").size());
	}

	void testRegistrationOutsideActivateIsDenied()
	{
		PluginManager pm(PluginManager::Services{});
		pm.load(testPlugin("LateRegisterPlugin"));
		bool exists = false;
		auto call = pm.matchRoute("late-plugin", "GET", "/late", false, exists);
		CPPUNIT_ASSERT(call.has_value());
		std::string body;
		struct Collector
		{
			static void status(void*, int) {}
			static void header(void*, const char*, const char*) {}
			static void write(void* ctx, const char* d, size_t n)
			{
				static_cast<std::string*>(ctx)->append(d, n);
			}
		};
		hostsdk_response_v1 resp{sizeof(resp), &body, Collector::status, Collector::header, Collector::write};
		hostsdk_caller_v1 caller{};
		hostsdk_request_v1 req{};
		req.struct_size = sizeof(req);
		req.caller = &caller;
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), pm.callRoute(*call, req, resp));
		CPPUNIT_ASSERT_MESSAGE(body, body.find(std::to_string(HOSTSDK_E_DENIED) + " ") == 0);
		CPPUNIT_ASSERT_MESSAGE(body, body.find("only allowed during on_activate") != std::string::npos);
		CPPUNIT_ASSERT(!pm.matchRoute("late-plugin", "GET", "/later", false, exists).has_value());
	}

	void testRouteMatchingCapturesAndMethods()
	{
		PluginManager pm(PluginManager::Services{});
		pm.load(testPlugin("GoodPlugin"));
		bool exists = false;
		CPPUNIT_ASSERT(!pm.matchRoute("good-plugin", "POST", "/ping", false, exists).has_value());
		CPPUNIT_ASSERT(exists); // the path is known, the method is not: 405
		CPPUNIT_ASSERT(!pm.matchRoute("good-plugin", "GET", "/ping/extra", false, exists).has_value());
		CPPUNIT_ASSERT(!exists);
		CPPUNIT_ASSERT(!pm.matchRoute("other-plugin", "GET", "/ping", false, exists).has_value());
		CPPUNIT_ASSERT(!pm.matchRoute("good-plugin", "GET", "/ping", true, exists).has_value());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginManagerTest);
