// The WeChat base URLs of the plugin settings (issue 14, finding 10): the
// API base URL carries the app secret, codes and tokens, the open base URL
// the state, the JS-SDK URL a script the page runs; none may be plain
// http:// except on the loopback interface, where the tests' stand-ins
// listen.
#include "wechat/WeChatConfig.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <cppunit/extensions/HelperMacros.h>

using ExternalContacts::WeChat::Config;

namespace
{

const char* const SECRET = "s3cr3t-5b8e0f1d2c3a4b5c6d7e8f9a0b1c2d3e";
const char* const URL_KEYS[] = {"wechatApiBaseUrl", "wechatOpenBaseUrl", "wechatJsSdkUrl"};

Config parse(const std::string& key, const std::string& value)
{
	Poco::JSON::Object json;
	json.set("wechatAppId", "wx520c15f417810387");
	json.set("wechatAppSecret", SECRET);
	json.set(key, value);
	return Config::fromJson(json);
}

void assertAccepted(const std::string& value)
{
	for (const char* key : URL_KEYS)
	{
		try
		{
			parse(key, value);
		}
		catch (const Poco::Exception& e)
		{
			CPPUNIT_FAIL(std::string(key) + " refused " + value + ": " + e.displayText());
		}
	}
}

void assertRefused(const std::string& value)
{
	for (const char* key : URL_KEYS)
	{
		try
		{
			parse(key, value);
		}
		catch (const Poco::InvalidArgumentException& e)
		{
			// The message names the setting and what it must be, never the secret.
			CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(key) != std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find("https://") != std::string::npos);
			CPPUNIT_ASSERT(e.displayText().find(SECRET) == std::string::npos);
			continue;
		}
		CPPUNIT_FAIL(std::string(key) + " accepted " + value);
	}
}

} // namespace

class WeChatConfigTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(WeChatConfigTest);
	CPPUNIT_TEST(testPlainHttpToAnotherHostIsRefused);
	CPPUNIT_TEST(testHttpsIsAccepted);
	CPPUNIT_TEST(testPlainHttpToLoopbackIsAccepted);
	CPPUNIT_TEST(testLookAlikesOfLoopbackAreRefused);
	CPPUNIT_TEST(testDefaultsAreWeChatsHttpsUrls);
	CPPUNIT_TEST_SUITE_END();

public:
	void testPlainHttpToAnotherHostIsRefused()
	{
		assertRefused("http://api.example.com");
		assertRefused("http://api.weixin.qq.com/");
		assertRefused("HTTP://api.weixin.qq.com");
		assertRefused("http://10.0.0.8:8080");
		assertRefused("http://192.168.1.20");
	}

	void testHttpsIsAccepted()
	{
		assertAccepted("https://api.example.com");
		assertAccepted("https://api.weixin.qq.com/");
		assertAccepted("https://10.0.0.8:8443");
		assertAccepted("https://[2001:db8::1]:8443");
		CPPUNIT_ASSERT_EQUAL(std::string("https://api.example.com"),
							 parse("wechatApiBaseUrl", "https://api.example.com/").apiBaseUrl);
	}

	void testPlainHttpToLoopbackIsAccepted()
	{
		assertAccepted("http://127.0.0.1:8099");
		assertAccepted("http://127.0.0.1");
		assertAccepted("http://127.255.10.3:1");
		assertAccepted("http://localhost");
		assertAccepted("http://localhost:8080/");
		assertAccepted("http://LocalHost:8080");
		assertAccepted("http://[::1]:8080");
		assertAccepted("http://[::1]");
		CPPUNIT_ASSERT_EQUAL(std::string("http://[::1]:8080"),
							 parse("wechatApiBaseUrl", "http://[::1]:8080").apiBaseUrl);
		CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8099/open/js/jweixin-1.6.0.js"),
							 parse("wechatJsSdkUrl", "http://127.0.0.1:8099/open/js/jweixin-1.6.0.js").jsSdkUrl);
	}

	void testLookAlikesOfLoopbackAreRefused()
	{
		// Names that start or end like a loopback address are somebody's host.
		assertRefused("http://127.0.0.1.evil.com");
		assertRefused("http://127.0.0.1.evil.com:8080");
		assertRefused("http://localhost.evil.com");
		assertRefused("http://evil-localhost");
		assertRefused("http://evil.com/127.0.0.1");
		assertRefused("http://evil.com?host=localhost");
		assertRefused("http://127.0.0.1@evil.com");
		assertRefused("http://localhost:8080@evil.com");
		// Not loopback: the unspecified address, its neighbours, another IPv6.
		assertRefused("http://0.0.0.0:8080");
		assertRefused("http://128.0.0.1");
		assertRefused("http://126.255.255.255");
		assertRefused("http://[::]:8080");
		assertRefused("http://[::2]:8080");
		assertRefused("http://[2001:db8::1]");
		// A NUL ends the address for the parser, not for the host name
		// (found by the wechat_url fuzz harness).
		assertRefused(std::string("http://127.0") + '\0' + ".evil.example:8099");
	}

	void testDefaultsAreWeChatsHttpsUrls()
	{
		Poco::JSON::Object json;
		Config config = Config::fromJson(json);
		CPPUNIT_ASSERT_EQUAL(std::string("https://api.weixin.qq.com"), config.apiBaseUrl);
		CPPUNIT_ASSERT_EQUAL(std::string("https://open.weixin.qq.com"), config.openBaseUrl);
		CPPUNIT_ASSERT_EQUAL(std::string("https://res.wx.qq.com/open/js/jweixin-1.6.0.js"), config.jsSdkUrl);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(WeChatConfigTest);
