// The WeChat client (R4.3 web authorization, R4.6 JS-SDK share card)
// against WeChatTestServer over real HTTP and HTTPS: the authorize URL,
// code -> token -> profile, WeChat's errcodes, an unreachable or broken
// server, the ticket cache under 50 threads and a fake clock, the
// published signature example, certificate checks.
#include "WeChatTestServer.h"

#include "wechat/JsSdk.h"
#include "wechat/TicketCache.h"
#include "wechat/Transport.h"
#include "wechat/WeChatClient.h"
#include "wechat/WeChatConfig.h"
#include "wechat/WeChatErrors.h"
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/TemporaryFile.h>
#include <atomic>
#include <condition_variable>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <thread>

using namespace ExternalContacts::WeChat;

namespace
{

const std::string APP_ID = "wx520c15f417810387";
const std::string APP_SECRET = "s3cr3t-3e2fa5ce1990693588816ff28e259ae0";
const std::string NICKNAME = "微信用户小王😀";

Config configFor(const std::string& apiBaseUrl, const std::string& secret = APP_SECRET, const std::string& caFile = "")
{
	Config config;
	config.appId = APP_ID;
	config.appSecret = secret;
	config.apiBaseUrl = apiBaseUrl;
	config.caFile = caFile;
	config.timeoutMs = 3000;
	return config;
}

struct Rig
/// A WeChatTestServer and a Client that talks to it over PocoTransport.
{
	explicit Rig(const std::string& secret = APP_SECRET, Poco::Net::Context::Ptr tls = nullptr,
				 const std::string& caFile = "") :
		server(APP_ID, APP_SECRET, tls),
		config(configFor(server.baseUrl(), secret, caFile)), transport(config), client(config, transport)
	{
	}

	std::function<Poco::Int64()> clock()
	/// Reads now: a fake clock for TicketCache.
	{
		return [this] { return now.load(); };
	}

	WeChatTestServer server;
	Config config;
	PocoTransport transport;
	Client client;
	std::atomic<Poco::Int64> now{0};
};

WeChatTestServer::User wang(const std::string& unionid = "oTpR9xAIiebFOc6p04tMTaLhviCQ")
{
	return {"ob8F-wFENFWw7_FR6Gx8KbPacFEw", unionid, NICKNAME, "https://thirdwx.qlogo.cn/mmopen/wang/132"};
}

bool mentions(const Poco::Exception& e, const std::string& secret)
{
	return e.displayText().find(secret) != std::string::npos || std::string(e.what()).find(secret) != std::string::npos;
}

struct SelfSigned
/// A key and a self-signed certificate made with OpenSSL, as PEM files
/// that exist as long as this object.
{
	explicit SelfSigned(const std::string& subjectAltNames)
	{
		EVP_PKEY* key = EVP_EC_gen("P-256");
		X509* cert = X509_new();
		X509_set_version(cert, 2);
		ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
		X509_gmtime_adj(X509_getm_notBefore(cert), -60);
		X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
		X509_set_pubkey(cert, key);
		X509_NAME* name = X509_get_subject_name(cert);
		X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("wechat test"), -1,
								   -1, 0);
		X509_set_issuer_name(cert, name);
		X509V3_CTX ctx;
		X509V3_set_ctx_nodb(&ctx);
		X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
		for (const auto& ext : {std::make_pair(NID_subject_alt_name, subjectAltNames),
								std::make_pair(NID_basic_constraints, std::string("critical,CA:TRUE"))})
		{
			X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, ext.first, ext.second.c_str());
			X509_add_ext(cert, extension, -1);
			X509_EXTENSION_free(extension);
		}
		X509_sign(cert, key, EVP_sha256());

		BIO* bio = BIO_new(BIO_s_mem());
		PEM_write_bio_X509(bio, cert);
		certPem = drain(bio);
		PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
		keyPem = drain(bio);
		BIO_free(bio);
		X509_free(cert);
		EVP_PKEY_free(key);

		Poco::FileOutputStream(certFile.path()) << certPem;
		Poco::FileOutputStream(keyFile.path()) << keyPem;
	}

	static std::string drain(BIO* bio)
	{
		char* data = nullptr;
		long size = BIO_get_mem_data(bio, &data);
		std::string out(data, static_cast<std::size_t>(size));
		(void)BIO_reset(bio);
		return out;
	}

	Poco::Net::Context::Ptr serverContext() const
	{
		Poco::Net::initializeSSL();
		Poco::Net::Context::Params params;
		params.privateKeyFile = keyFile.path();
		params.certificateFile = certFile.path();
		params.verificationMode = Poco::Net::Context::VERIFY_NONE;
		params.loadDefaultCAs = false;
		return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
	}

	std::string certPem, keyPem;
	Poco::TemporaryFile certFile, keyFile;
};

} // namespace

class WeChatTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(WeChatTest);
	CPPUNIT_TEST(testAuthorizeUrlIsExactlyWeChats);
	CPPUNIT_TEST(testAuthorizeUrlRejectsStateOutsideAlphanumerics);
	CPPUNIT_TEST(testCodeGivesTokenAndProfileWithUnionid);
	CPPUNIT_TEST(testProfileWithoutUnionid);
	CPPUNIT_TEST(testUnknownCodeIsApiError40029);
	CPPUNIT_TEST(testReusedCodeIsApiError40163);
	CPPUNIT_TEST(testWrongSecretIsApiErrorWithoutTheSecret);
	CPPUNIT_TEST(testServerDownIsUnavailable);
	CPPUNIT_TEST(testNonJsonIsUnavailable);
	CPPUNIT_TEST(testHttp500IsUnavailable);
	CPPUNIT_TEST(testMissingFieldIsUnavailable);
	CPPUNIT_TEST(testFiftyThreadsShareOneRefresh);
	CPPUNIT_TEST(testFailedRefreshReachesEveryWaiterOnce);
	CPPUNIT_TEST(testFailureBacksOffWithoutAskingWeChat);
	CPPUNIT_TEST(testRefusalBacksOffAsAFailure);
	CPPUNIT_TEST(testBackOffLastsAsConfigured);
	CPPUNIT_TEST(testTicketReusedUntilMarginThenRefreshed);
	CPPUNIT_TEST(testTicketRefreshKeepsValidToken);
	CPPUNIT_TEST(testExpiredTokenIsFetchedAgainAndTicketRetried);
	CPPUNIT_TEST(testInvalidateFetchesBothAgain);
	CPPUNIT_TEST(testSignatureMatchesWeChatsExample);
	CPPUNIT_TEST(testSignatureIgnoresFragment);
	CPPUNIT_TEST(testSignPageUsesCachedTicketAndFreshNonce);
	CPPUNIT_TEST(testConfigFromJson);
	CPPUNIT_TEST(testConfigRejectsBadValuesNamingTheKey);
	CPPUNIT_TEST(testSelfSignedCertificateIsRejected);
	CPPUNIT_TEST(testSelfSignedCertificateAcceptedAsCaFile);
	CPPUNIT_TEST(testCertificateForAnotherHostIsRejected);
	CPPUNIT_TEST_SUITE_END();

public:
	void testAuthorizeUrlIsExactlyWeChats()
	{
		Config config = configFor("http://127.0.0.1:1");
		PocoTransport transport(config);
		Client client(config, transport);
		CPPUNIT_ASSERT_EQUAL(
			std::string("https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx520c15f417810387"
						"&redirect_uri=https%3A%2F%2Fcrm.example.com%2Fwx%2Fcallback%3Forg%3D7%26lang%3Dzh%20CN"
						"&response_type=code&scope=snsapi_userinfo&state=Ab12cD#wechat_redirect"),
			client.authorizeUrl("https://crm.example.com/wx/callback?org=7&lang=zh CN", "Ab12cD"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx520c15f417810387"
										 "&redirect_uri=http%3A%2F%2Fa.b%2F&response_type=code&scope=snsapi_base"
										 "&state=#wechat_redirect"),
							 client.authorizeUrl("http://a.b/", "", "snsapi_base"));
	}

	void testAuthorizeUrlRejectsStateOutsideAlphanumerics()
	{
		Config config = configFor("http://127.0.0.1:1");
		PocoTransport transport(config);
		Client client(config, transport);
		CPPUNIT_ASSERT_THROW(client.authorizeUrl("https://a.b/", "a&b=c"), Poco::InvalidArgumentException);
		CPPUNIT_ASSERT_THROW(client.authorizeUrl("https://a.b/", std::string(129, 'a')),
							 Poco::InvalidArgumentException);
		CPPUNIT_ASSERT_NO_THROW(client.authorizeUrl("https://a.b/", std::string(128, 'a')));
	}

	void testCodeGivesTokenAndProfileWithUnionid()
	{
		Rig rig;
		OAuthToken token = rig.client.exchangeCode(rig.server.addCode(wang()));
		CPPUNIT_ASSERT(!token.accessToken.empty());
		CPPUNIT_ASSERT(!token.refreshToken.empty());
		CPPUNIT_ASSERT_EQUAL(7200, token.expiresIn);
		CPPUNIT_ASSERT_EQUAL(std::string("snsapi_userinfo"), token.scope);
		CPPUNIT_ASSERT_EQUAL(wang().openid, token.openid);
		CPPUNIT_ASSERT_EQUAL(wang().unionid, token.unionid);

		UserInfo info = rig.client.userInfo(token);
		CPPUNIT_ASSERT_EQUAL(wang().openid, info.openid);
		CPPUNIT_ASSERT_EQUAL(wang().unionid, info.unionid);
		CPPUNIT_ASSERT_EQUAL(NICKNAME, info.nickname);
		CPPUNIT_ASSERT_EQUAL(wang().headimgurl, info.avatarUrl);
	}

	void testProfileWithoutUnionid()
	{
		Rig rig;
		OAuthToken token = rig.client.exchangeCode(rig.server.addCode(wang("")));
		CPPUNIT_ASSERT_EQUAL(std::string(), token.unionid);
		UserInfo info = rig.client.userInfo(token);
		CPPUNIT_ASSERT_EQUAL(std::string(), info.unionid);
		CPPUNIT_ASSERT_EQUAL(NICKNAME, info.nickname);
	}

	void testUnknownCodeIsApiError40029()
	{
		Rig rig;
		const std::string code = "0716AVll20uHk94SLDml27etM946AVlq";
		try
		{
			rig.client.exchangeCode(code);
			CPPUNIT_FAIL("an unknown code was accepted");
		}
		catch (const ApiError& e)
		{
			CPPUNIT_ASSERT_EQUAL(40029, e.errcode());
			CPPUNIT_ASSERT(e.errmsg().find("invalid code") == 0);
			CPPUNIT_ASSERT(e.message().find("/sns/oauth2/access_token") != std::string::npos);
			CPPUNIT_ASSERT(!mentions(e, code));
			CPPUNIT_ASSERT(!mentions(e, APP_SECRET));
		}
	}

	void testReusedCodeIsApiError40163()
	{
		Rig rig;
		const std::string code = rig.server.addCode(wang());
		rig.client.exchangeCode(code);
		try
		{
			rig.client.exchangeCode(code);
			CPPUNIT_FAIL("a used code was accepted again");
		}
		catch (const ApiError& e)
		{
			CPPUNIT_ASSERT_EQUAL(40163, e.errcode());
			CPPUNIT_ASSERT(!mentions(e, code));
		}
	}

	void testWrongSecretIsApiErrorWithoutTheSecret()
	{
		const std::string wrong = "wrong-secret-7d1e4b2c";
		Rig rig(wrong);
		try
		{
			rig.client.clientAccessToken();
			CPPUNIT_FAIL("a wrong secret was accepted");
		}
		catch (const ApiError& e)
		{
			CPPUNIT_ASSERT_EQUAL(40001, e.errcode());
			CPPUNIT_ASSERT(!mentions(e, wrong));
			CPPUNIT_ASSERT(!mentions(e, APP_ID));
		}
		try
		{
			rig.client.exchangeCode(rig.server.addCode(wang()));
			CPPUNIT_FAIL("a wrong secret was accepted");
		}
		catch (const ApiError& e)
		{
			CPPUNIT_ASSERT_EQUAL(40125, e.errcode());
			CPPUNIT_ASSERT(!mentions(e, wrong));
		}
		// The copy a Poco::Exception handler makes keeps the errcode.
		try
		{
			rig.client.clientAccessToken();
		}
		catch (const Poco::Exception& e)
		{
			std::unique_ptr<Poco::Exception> copy(e.clone());
			CPPUNIT_ASSERT_EQUAL(40001, dynamic_cast<ApiError&>(*copy).errcode());
		}
	}

	void testServerDownIsUnavailable()
	{
		std::string baseUrl;
		{
			WeChatTestServer server(APP_ID, APP_SECRET);
			baseUrl = server.baseUrl();
		}
		Config config = configFor(baseUrl);
		PocoTransport transport(config);
		Client client(config, transport);
		try
		{
			client.clientAccessToken();
			CPPUNIT_FAIL("a stopped server answered");
		}
		catch (const UnavailableError& e)
		{
			CPPUNIT_ASSERT(e.message().find("/cgi-bin/token") != std::string::npos);
			CPPUNIT_ASSERT(!mentions(e, APP_SECRET));
			CPPUNIT_ASSERT(!mentions(e, "?"));
		}
	}

	void testNonJsonIsUnavailable()
	{
		Rig rig;
		rig.server.failNext(200, "<html>client-token-secret</html>");
		assertUnavailable([&] { rig.client.clientAccessToken(); }, "client-token-secret");
		rig.server.failNext(200, "[\"client-token-secret\"]");
		assertUnavailable([&] { rig.client.clientAccessToken(); }, "client-token-secret");
		CPPUNIT_ASSERT_NO_THROW(rig.client.clientAccessToken());
	}

	void testHttp500IsUnavailable()
	{
		Rig rig;
		rig.server.failNext(500, "{\"access_token\":\"T\",\"expires_in\":7200}");
		assertUnavailable([&] { rig.client.clientAccessToken(); }, APP_SECRET);
		rig.server.failNext(302, "");
		assertUnavailable([&] { rig.client.clientAccessToken(); }, APP_SECRET);
	}

	void testMissingFieldIsUnavailable()
	{
		Rig rig;
		rig.server.failNext(200, "{\"expires_in\":7200}");
		assertUnavailable([&] { rig.client.clientAccessToken(); }, APP_SECRET);
		rig.server.failNext(200, "{\"errcode\":0,\"errmsg\":\"ok\",\"ticket\":\"jsapi-ticket-x\"}");
		assertUnavailable([&] { rig.client.jsapiTicket("client-token-1"); }, "client-token-1");
		rig.server.failNext(200, "{\"access_token\":\"oauth-token-x\",\"expires_in\":7200}");
		assertUnavailable([&] { rig.client.exchangeCode("some-code"); }, "some-code");
	}

	void testFiftyThreadsShareOneRefresh()
	{
		Rig rig;
		rig.server.setDelayMs(200);
		TicketCache cache(rig.client, rig.clock());

		std::atomic<int> failures{0};
		std::vector<std::string> tickets = atOnce(
			50, [&] { return cache.ticket(); }, failures);

		CPPUNIT_ASSERT_EQUAL(0, failures.load());
		CPPUNIT_ASSERT_EQUAL(1, cache.tokenFetches());
		CPPUNIT_ASSERT_EQUAL(1, cache.ticketFetches());
		CPPUNIT_ASSERT_EQUAL(1, rig.server.tokenCalls());
		CPPUNIT_ASSERT_EQUAL(1, rig.server.ticketCalls());
		for (const auto& ticket : tickets)
			CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), ticket);
	}

	void testFailedRefreshReachesEveryWaiterOnce()
	{
		Rig rig;
		rig.server.setDelayMs(200);
		rig.server.failNext(500, "");
		TicketCache cache(rig.client, rig.clock());

		std::atomic<int> failures{0};
		atOnce(
			20, [&] { return cache.ticket(); }, failures);
		CPPUNIT_ASSERT_EQUAL(20, failures.load());
		CPPUNIT_ASSERT_EQUAL(1, cache.tokenFetches());
		CPPUNIT_ASSERT_EQUAL(0, cache.ticketFetches());
		// Nothing bad is cached: once the back-off is over the next call asks again.
		CPPUNIT_ASSERT_EQUAL(std::string(), rig.server.lastTicket());
		rig.now += 30000; // the default back-off
		const std::string ticket = cache.ticket();
		CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), ticket);
		CPPUNIT_ASSERT_EQUAL(2, cache.tokenFetches());
	}

	void testFailureBacksOffWithoutAskingWeChat()
	{
		// Issue 14, finding 9: a failed fetch is remembered for 30 s; the
		// landing pages of that time go without the share card and no
		// request waits for WeChat.
		Rig rig;
		rig.now = 1000000;
		TicketCache cache(rig.client, rig.clock());
		rig.server.failNext(500, "");
		CPPUNIT_ASSERT_THROW(cache.ticket(), UnavailableError);
		CPPUNIT_ASSERT_EQUAL(1, rig.server.requests());

		for (int i = 0; i < 29; ++i)
		{
			rig.now += 1000;
			assertUnavailable([&] { cache.ticket(); }, APP_SECRET);
		}
		std::atomic<int> failures{0};
		atOnce(
			20, [&] { return cache.ticket(); }, failures);
		CPPUNIT_ASSERT_EQUAL(20, failures.load());
		rig.now = 1000000 + 30000 - 1;
		assertUnavailable([&] { cache.ticket(); }, APP_SECRET);
		CPPUNIT_ASSERT_EQUAL(1, rig.server.requests());

		// The window is over: one token and one ticket call, and the ticket
		// is served from the cache again.
		rig.now = 1000000 + 30000;
		const std::string ticket = cache.ticket();
		CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), ticket);
		CPPUNIT_ASSERT_EQUAL(1, rig.server.tokenCalls());
		CPPUNIT_ASSERT_EQUAL(1, rig.server.ticketCalls());
		CPPUNIT_ASSERT_EQUAL(3, rig.server.requests());
		CPPUNIT_ASSERT_EQUAL(ticket, cache.ticket());
		CPPUNIT_ASSERT_EQUAL(3, rig.server.requests());

		// The success cleared it: a later failure is tried at once and backs
		// off from its own moment.
		cache.invalidate();
		rig.server.failNext(500, "");
		CPPUNIT_ASSERT_THROW(cache.ticket(), UnavailableError);
		CPPUNIT_ASSERT_EQUAL(4, rig.server.requests());
		rig.now += 29999;
		assertUnavailable([&] { cache.ticket(); }, APP_SECRET);
		CPPUNIT_ASSERT_EQUAL(4, rig.server.requests());
		rig.now += 1;
		CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), cache.ticket());
		CPPUNIT_ASSERT_EQUAL(6, rig.server.requests());
	}

	void testRefusalBacksOffAsAFailure()
	{
		// WeChat answering an errcode (here its daily quota) is not asked
		// again within the window either.
		Rig rig;
		TicketCache cache(rig.client, rig.clock());
		rig.server.failNext(200, "{\"errcode\":45009,\"errmsg\":\"reach max api daily quota limit\"}");
		CPPUNIT_ASSERT_THROW(cache.ticket(), ApiError);
		for (int i = 0; i < 10; ++i)
			CPPUNIT_ASSERT_THROW(cache.ticket(), UnavailableError);
		CPPUNIT_ASSERT_EQUAL(1, rig.server.requests());
		rig.now += 30000;
		CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), cache.ticket());
		CPPUNIT_ASSERT_EQUAL(3, rig.server.requests());
	}

	void testBackOffLastsAsConfigured()
	{
		Rig rig;
		TicketCache cache(rig.client, rig.clock(), TicketCache::REFRESH_MARGIN_SECONDS_DEFAULT, 60);
		rig.server.failNext(500, "");
		CPPUNIT_ASSERT_THROW(cache.ticket(), UnavailableError);
		rig.now += 59999;
		try
		{
			cache.ticket();
			CPPUNIT_FAIL("expected BackingOffError");
		}
		catch (const BackingOffError& e)
		{
			// Says how long, not what WeChat said.
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), e.displayText().find(" 1 s") != std::string::npos);
		}
		CPPUNIT_ASSERT_EQUAL(1, rig.server.requests());
		rig.now += 1;
		CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), cache.ticket());
		CPPUNIT_ASSERT_EQUAL(3, rig.server.requests());
	}

	void testTicketReusedUntilMarginThenRefreshed()
	{
		Rig rig;
		rig.now = 1000000;
		TicketCache cache(rig.client, rig.clock(), 300);

		const std::string first = cache.ticket();
		rig.now += (7200 - 300) * 1000 - 1;
		CPPUNIT_ASSERT_EQUAL(first, cache.ticket());
		CPPUNIT_ASSERT_EQUAL(1, cache.ticketFetches());
		CPPUNIT_ASSERT_EQUAL(1, cache.tokenFetches());

		rig.now += 1;
		const std::string second = cache.ticket();
		CPPUNIT_ASSERT(second != first);
		CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), second);
		CPPUNIT_ASSERT_EQUAL(2, cache.ticketFetches());
		CPPUNIT_ASSERT_EQUAL(2, cache.tokenFetches());
		CPPUNIT_ASSERT_EQUAL(second, cache.ticket());
		CPPUNIT_ASSERT_EQUAL(2, rig.server.ticketCalls());
	}

	void testTicketRefreshKeepsValidToken()
	{
		Rig rig;
		rig.server.setExpiresIn(7200, 1000);
		TicketCache cache(rig.client, rig.clock(), 300);

		cache.ticket();
		rig.now += 700 * 1000;
		cache.ticket();
		CPPUNIT_ASSERT_EQUAL(2, cache.ticketFetches());
		CPPUNIT_ASSERT_EQUAL(1, cache.tokenFetches());
		CPPUNIT_ASSERT_EQUAL(1, rig.server.tokenCalls());
	}

	void testExpiredTokenIsFetchedAgainAndTicketRetried()
	{
		Rig rig;
		rig.server.setExpiresIn(7200, 1000);
		TicketCache cache(rig.client, rig.clock(), 300);

		const std::string first = cache.ticket();
		rig.server.expireTokens();
		rig.now += 700 * 1000;
		const std::string second = cache.ticket();
		CPPUNIT_ASSERT(second != first);
		CPPUNIT_ASSERT_EQUAL(rig.server.lastTicket(), second);
		CPPUNIT_ASSERT_EQUAL(2, cache.tokenFetches());
		CPPUNIT_ASSERT_EQUAL(3, cache.ticketFetches());
		CPPUNIT_ASSERT_EQUAL(3, rig.server.ticketCalls());
		// The new token is kept: the next refresh asks for no token.
		rig.now += 700 * 1000;
		cache.ticket();
		CPPUNIT_ASSERT_EQUAL(2, cache.tokenFetches());
	}

	void testInvalidateFetchesBothAgain()
	{
		Rig rig;
		TicketCache cache(rig.client, rig.clock());
		const std::string first = cache.ticket();
		cache.invalidate();
		CPPUNIT_ASSERT(cache.ticket() != first);
		CPPUNIT_ASSERT_EQUAL(2, cache.tokenFetches());
		CPPUNIT_ASSERT_EQUAL(2, cache.ticketFetches());
	}

	void testSignatureMatchesWeChatsExample()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("0f9de62fce790f9a083d5c99e95740ceb90c27ed"),
							 jsSdkSignature("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-"
											"HhTdfl2fzFy1AOcHKP7qg",
											"Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value"));
	}

	void testSignatureIgnoresFragment()
	{
		const std::string ticket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-"
								   "HhTdfl2fzFy1AOcHKP7qg";
		CPPUNIT_ASSERT_EQUAL(std::string("0f9de62fce790f9a083d5c99e95740ceb90c27ed"),
							 jsSdkSignature(ticket, "Wm3WZYTPz0wzccnW", 1414587457,
											"http://mp.weixin.qq.com?params=value#/share?x=1#y"));
		CPPUNIT_ASSERT(jsSdkSignature(ticket, "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=valu") !=
					   "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
	}

	void testSignPageUsesCachedTicketAndFreshNonce()
	{
		Rig rig;
		TicketCache cache(rig.client, rig.clock());
		const std::string url = "https://crm.example.com/share/contact?id=42#card";

		JsSdkConfig one = signPage(cache, rig.config, url, 1700000000);
		JsSdkConfig two = signPage(cache, rig.config, url, 1700000001);
		CPPUNIT_ASSERT_EQUAL(APP_ID, one.appId);
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(1700000000), one.timestamp);
		CPPUNIT_ASSERT(one.nonceStr.size() >= 16);
		for (char c : one.nonceStr)
			CPPUNIT_ASSERT(std::isalnum(static_cast<unsigned char>(c)));
		CPPUNIT_ASSERT(one.nonceStr != two.nonceStr);
		CPPUNIT_ASSERT_EQUAL(jsSdkSignature(rig.server.lastTicket(), one.nonceStr, 1700000000,
											"https://crm.example.com/share/contact?id=42"),
							 one.signature);
		CPPUNIT_ASSERT_EQUAL(1, rig.server.ticketCalls());
		CPPUNIT_ASSERT_THROW(signPage(cache, rig.config, "", 1), Poco::InvalidArgumentException);
	}

	void testConfigFromJson()
	{
		Poco::JSON::Object json;
		CPPUNIT_ASSERT(!Config::fromJson(json).configured());
		CPPUNIT_ASSERT_EQUAL(std::string("https://api.weixin.qq.com"), Config::fromJson(json).apiBaseUrl);
		CPPUNIT_ASSERT_EQUAL(5000, Config::fromJson(json).timeoutMs);
		json.set("wechatAppId", APP_ID);
		CPPUNIT_ASSERT(!Config::fromJson(json).configured());
		json.set("wechatAppSecret", APP_SECRET);
		json.set("wechatOpenBaseUrl", "http://127.0.0.1:8099/");
		json.set("wechatApiBaseUrl", "http://127.0.0.1:8099");
		json.set("wechatJsSdkUrl", "http://127.0.0.1:8099/open/js/jweixin-1.6.0.js");
		json.set("wechatTimeoutMs", "1500");
		CPPUNIT_ASSERT_EQUAL(30, Config::fromJson(json).failureBackoffSeconds);
		json.set("wechatFailureBackoffSeconds", "60");
		Config config = Config::fromJson(json);
		CPPUNIT_ASSERT_EQUAL(60, config.failureBackoffSeconds);
		CPPUNIT_ASSERT(config.configured());
		CPPUNIT_ASSERT_EQUAL(APP_SECRET, config.appSecret);
		CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8099"), config.openBaseUrl);
		CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8099/open/js/jweixin-1.6.0.js"), config.jsSdkUrl);
		CPPUNIT_ASSERT_EQUAL(1500, config.timeoutMs);
		CPPUNIT_ASSERT_EQUAL(std::string(), config.caFile);
	}

	void testConfigRejectsBadValuesNamingTheKey()
	{
		const std::vector<std::pair<std::string, Poco::Dynamic::Var>> bad = {
			{"wechatApiBaseUrl", "ftp://api.weixin.qq.com"},
			{"wechatOpenBaseUrl", "open.weixin.qq.com"},
			{"wechatJsSdkUrl", "javascript:alert(1)"},
			{"wechatTimeoutMs", "99"},
			{"wechatTimeoutMs", "60001"},
			{"wechatTimeoutMs", "5s"},
			{"wechatFailureBackoffSeconds", "0"},
			{"wechatFailureBackoffSeconds", "601"},
			{"wechatFailureBackoffSeconds", "30s"},
			{"wechatApiBaseUrl", "http://api.weixin.qq.com"},
			{"wechatCaFile", "/nonexistent/ca.pem"},
			{"wechatAppSecret", 12345}};
		for (const auto& entry : bad)
		{
			Poco::JSON::Object json;
			json.set("wechatAppSecret", APP_SECRET);
			json.set(entry.first, entry.second);
			try
			{
				Config::fromJson(json);
				CPPUNIT_FAIL(entry.first + " accepted a bad value");
			}
			catch (const Poco::InvalidArgumentException& e)
			{
				CPPUNIT_ASSERT(e.message().find(entry.first) != std::string::npos);
				CPPUNIT_ASSERT(!mentions(e, APP_SECRET));
			}
		}
	}

	void testSelfSignedCertificateIsRejected()
	{
		SelfSigned cert("IP:127.0.0.1,DNS:localhost");
		Rig rig(APP_SECRET, cert.serverContext());
		assertUnavailable([&] { rig.client.clientAccessToken(); }, APP_SECRET);
		CPPUNIT_ASSERT_EQUAL(0, rig.server.tokenCalls());
	}

	void testSelfSignedCertificateAcceptedAsCaFile()
	{
		SelfSigned cert("IP:127.0.0.1,DNS:localhost");
		Rig rig(APP_SECRET, cert.serverContext(), cert.certFile.path());
		CPPUNIT_ASSERT(!rig.client.clientAccessToken().value.empty());
		CPPUNIT_ASSERT_EQUAL(1, rig.server.tokenCalls());
	}

	void testCertificateForAnotherHostIsRejected()
	{
		SelfSigned cert("DNS:api.weixin.qq.com");
		Rig rig(APP_SECRET, cert.serverContext(), cert.certFile.path());
		assertUnavailable([&] { rig.client.clientAccessToken(); }, APP_SECRET);
		CPPUNIT_ASSERT_EQUAL(0, rig.server.tokenCalls());
	}

private:
	static std::vector<std::string> atOnce(int threadCount, const std::function<std::string()>& call,
										   std::atomic<int>& failures)
	/// Runs call in threadCount threads released together; a throw counts
	/// as a failure and leaves an empty result.
	{
		std::vector<std::string> results(static_cast<std::size_t>(threadCount));
		std::vector<std::thread> threads;
		std::mutex mutex;
		std::condition_variable go;
		bool started = false;
		for (int i = 0; i < threadCount; ++i)
		{
			threads.emplace_back(
				[&, i]
				{
					{
						std::unique_lock<std::mutex> lock(mutex);
						go.wait(lock, [&] { return started; });
					}
					try
					{
						results[static_cast<std::size_t>(i)] = call();
					}
					catch (...)
					{
						++failures;
					}
				});
		}
		{
			std::lock_guard<std::mutex> lock(mutex);
			started = true;
		}
		go.notify_all();
		for (auto& thread : threads)
			thread.join();
		return results;
	}

	template <typename Call> static void assertUnavailable(Call call, const std::string& secret)
	{
		try
		{
			call();
			CPPUNIT_FAIL("expected UnavailableError");
		}
		catch (const UnavailableError& e)
		{
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), !mentions(e, secret));
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(WeChatTest);
