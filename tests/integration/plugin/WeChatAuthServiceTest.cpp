// WeChat web authorization through the real client against a local server
// speaking WeChat's formats, on SQLite and MariaDB: the landing page's
// state (this link, this browser, once), the profile it yields and binds,
// WeChat's refusals, a user binding their own WeChat in personal settings
// (one WeChat per user), the share card's signature, and the per-address
// limit of authorizations.
#include "Expect.h"
#include "PluginBackend.h"
#include "WeChatTestServer.h"

#include "domain/ValidationError.h"
#include "service/InvitationService.h"
#include "service/SecretToken.h"
#include "service/WeChatAuthService.h"
#include "wechat/JsSdk.h"
#include "wechat/Transport.h"
#include "wechat/WeChatErrors.h"
#include <cppunit/extensions/HelperMacros.h>
#include <mutex>

using namespace ExternalContacts;

namespace
{

constexpr Poco::Int64 BOB = 2, CAROL = 3;
const char* const APP_ID = "wx5f3c2b1a0d9e8f7a";
const char* const APP_SECRET = "3c1f0e9d8b7a6f5e4d3c2b1a0f9e8d7c";

class QuietNotifier : public Notifier
{
public:
	void notify(const Notice&) override {}
	void resolve(const std::string&, const std::string&) override {}
};

// The state parameter of WeChat's authorize URL.
std::string stateOf(const std::string& url)
{
	std::size_t at = url.find("&state=");
	CPPUNIT_ASSERT(at != std::string::npos);
	at += 7;
	return url.substr(at, url.find_first_of("&#", at) - at);
}

struct World
{
	explicit World(PluginBackend& backend, InvitationService::Limits limits = InvitationService::Limits()) :
		b(backend), server(APP_ID, APP_SECRET), config(makeConfig(server.baseUrl())), transport(config),
		client(config, transport), tickets(client, [this] { return b.directory().nowMs(); }),
		invitations(b.context(), b.service(), notifier, limits), wechat(b.context(), invitations, client, tickets)
	{
	}

	static WeChat::Config makeConfig(const std::string& baseUrl)
	{
		WeChat::Config c;
		c.appId = APP_ID;
		c.appSecret = APP_SECRET;
		c.apiBaseUrl = baseUrl;
		c.openBaseUrl = baseUrl;
		return c;
	}

	std::string code(const std::string& openid, const std::string& nickname)
	{
		WeChat::WeChatTestServer::User user;
		user.openid = openid;
		user.unionid = "u" + openid;
		user.nickname = nickname;
		user.headimgurl = "https://thirdwx.qlogo.cn/mmopen/" + openid + "/132";
		return server.addCode(user);
	}

	PluginBackend& b;
	WeChat::WeChatTestServer server;
	WeChat::Config config;
	WeChat::PocoTransport transport;
	WeChat::Client client;
	WeChat::TicketCache tickets;
	QuietNotifier notifier;
	InvitationService invitations;
	WeChatAuthService wechat;
};

InviteForm form(const std::string& name, const std::string& mobile)
{
	InviteForm f;
	f.name = name;
	f.mobile = mobile;
	return f;
}

} // namespace

class WeChatAuthServiceTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(WeChatAuthServiceTest);
	CPPUNIT_TEST(testTheLandingPageAuthorizationPrefillsAndBinds);
	CPPUNIT_TEST(testAStateIsForOneLinkOneBrowserOnce);
	CPPUNIT_TEST(testWeChatRefusalsReachTheCaller);
	CPPUNIT_TEST(testAUserBindsTheirOwnWeChat);
	CPPUNIT_TEST(testBindingOneselfIsAudited);
	CPPUNIT_TEST(testTheShareCardIsSigned);
	CPPUNIT_TEST(testTheShareCardBacksOffAfterAFailure);
	CPPUNIT_TEST(testAuthorizationsPerAddressAreLimited);
	CPPUNIT_TEST_SUITE_END();

public:
	void testTheLandingPageAuthorizationPrefillsAndBinds()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				InvitationService::Issued link = w.invitations.create(PluginBackend::member(BOB), InvitationSettings());
				std::string callback = "https://im.example.com/invite/" + link.token + "/wechat/callback";
				WeChatAuthService::Start started = w.wechat.start(link.token, callback, "10.1.1.1");
				CPPUNIT_ASSERT(
					started.redirectUrl.rfind(
						w.server.baseUrl() + "/connect/oauth2/authorize?appid=" + APP_ID + "&redirect_uri=", 0) == 0);
				CPPUNIT_ASSERT(started.redirectUrl.find(WeChat::percentEncode(callback)) != std::string::npos);
				CPPUNIT_ASSERT(started.redirectUrl.find("&scope=snsapi_userinfo&state=") != std::string::npos);
				CPPUNIT_ASSERT(started.redirectUrl.size() > 16 &&
							   started.redirectUrl.substr(started.redirectUrl.size() - 16) == "#wechat_redirect");
				std::string state = stateOf(started.redirectUrl);
				CPPUNIT_ASSERT(SecretToken::wellFormedHex(state));
				CPPUNIT_ASSERT(SecretToken::wellFormed(started.browserSecret));
				CPPUNIT_ASSERT(started.browserSecret != state);

				WeChatAuthService::Profile profile =
					w.wechat.finish(link.token, state, w.code("oWx001", "微信用户小王😀"), started.browserSecret);
				CPPUNIT_ASSERT_EQUAL(std::string("微信用户小王😀"), profile.nickname);
				CPPUNIT_ASSERT_EQUAL(std::string("https://thirdwx.qlogo.cn/mmopen/oWx001/132"), profile.avatarUrl);
				CPPUNIT_ASSERT_EQUAL(1, w.server.oauthCalls());
				CPPUNIT_ASSERT_EQUAL(1, w.server.userinfoCalls());

				InvitationService::Joined joined =
					w.invitations.join(link.token, form("小王", "13300000001"), profile.reference, "10.1.1.1");
				std::optional<ContactView> view = b.service().get(PluginBackend::member(BOB), joined.contactId);
				CPPUNIT_ASSERT(view && view->wechat);
				CPPUNIT_ASSERT_EQUAL(std::string("oWx001"), view->wechat->openid);
				CPPUNIT_ASSERT_EQUAL(std::string("uoWx001"), view->wechat->unionid);
				CPPUNIT_ASSERT_EQUAL(std::string("微信用户小王😀"), view->wechat->nickname);
			});
	}

	void testAStateIsForOneLinkOneBrowserOnce()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Actor bob = PluginBackend::member(BOB);
				InvitationService::Issued link = w.invitations.create(bob, InvitationSettings());
				InvitationService::Issued other = w.invitations.create(bob, InvitationSettings());
				WeChatAuthService::Start started = w.wechat.start(link.token, "https://x/cb", "10.1.1.2");
				std::string state = stateOf(started.redirectUrl);
				auto refused = [&](const std::string& token, const std::string& st, const std::string& browser,
								   const std::string& what)
				{
					ValidationError e = expectThrow<ValidationError>(
						[&] { w.wechat.finish(token, st, w.code("oWx" + what, "n"), browser); }, what);
					CPPUNIT_ASSERT_EQUAL(std::string("state"), e.field());
				};
				refused(link.token, state, SecretToken::generate(), "another browser");
				refused(link.token, state, "", "no cookie");
				refused(other.token, state, started.browserSecret, "another link");
				refused(link.token, SecretToken::generateHex(), started.browserSecret, "an unknown state");
				refused(link.token, "short", started.browserSecret, "a malformed state");
				CPPUNIT_ASSERT_EQUAL(0, w.server.oauthCalls());
				// The right browser comes back once; the second return is refused.
				w.wechat.finish(link.token, state, w.code("oWx002", "n"), started.browserSecret);
				refused(link.token, state, started.browserSecret, "the same state again");
				CPPUNIT_ASSERT_EQUAL(1, w.server.oauthCalls());
				// Ten minutes later a state is stale.
				WeChatAuthService::Start late = w.wechat.start(link.token, "https://x/cb", "10.1.1.2");
				b.directory().advance(WeChatAuthService::STATE_TTL_MS);
				refused(link.token, stateOf(late.redirectUrl), late.browserSecret, "a stale state");
				// A code that is not a code is not sent to WeChat.
				WeChatAuthService::Start third = w.wechat.start(link.token, "https://x/cb", "10.1.1.2");
				ValidationError badCode = expectThrow<ValidationError>(
					[&] { w.wechat.finish(link.token, stateOf(third.redirectUrl), "a b&c", third.browserSecret); },
					"a bad code");
				CPPUNIT_ASSERT_EQUAL(std::string("code"), badCode.field());
				// A revoked link has no authorization.
				w.invitations.revoke(bob, link.invitation.id);
				expectThrow<InvitationGoneException>([&] { w.wechat.start(link.token, "https://x/cb", "10.1.1.2"); },
													 "a revoked link");
			});
	}

	void testWeChatRefusalsReachTheCaller()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				InvitationService::Issued link = w.invitations.create(PluginBackend::member(BOB), InvitationSettings());
				WeChatAuthService::Start started = w.wechat.start(link.token, "https://x/cb", "10.1.1.3");
				// A code WeChat does not know: 40029, and no secret in the message.
				WeChat::ApiError e = expectThrow<WeChat::ApiError>(
					[&] {
						w.wechat.finish(link.token, stateOf(started.redirectUrl), "unknowncode", started.browserSecret);
					},
					"an unknown code");
				CPPUNIT_ASSERT_EQUAL(40029, e.errcode());
				CPPUNIT_ASSERT(e.displayText().find(APP_SECRET) == std::string::npos);
				// WeChat down.
				WeChatAuthService::Start again = w.wechat.start(link.token, "https://x/cb", "10.1.1.3");
				w.server.failNext(502, "<html>bad gateway</html>");
				expectThrow<WeChat::UnavailableError>(
					[&] {
						w.wechat.finish(link.token, stateOf(again.redirectUrl), w.code("oWx003", "n"),
										again.browserSecret);
					},
					"WeChat down");
				CPPUNIT_ASSERT_EQUAL(std::int64_t(0), b.count("ec_contact_wechat"));
			});
	}

	void testAUserBindsTheirOwnWeChat()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Actor bob = PluginBackend::member(BOB);
				Actor external = PluginBackend::external(40);
				CPPUNIT_ASSERT(!w.wechat.binding(external));
				WeChatAuthService::Start started = w.wechat.startBinding(external, "https://x/me/cb", "10.1.2.1");
				std::string state = stateOf(started.redirectUrl);
				// Another user cannot finish it.
				ValidationError e = expectThrow<ValidationError>(
					[&] { w.wechat.finishBinding(bob, state, w.code("oWx010", "外部小李"), started.browserSecret); },
					"another user");
				CPPUNIT_ASSERT_EQUAL(std::string("state"), e.field());
				WeChatIdentity bound =
					w.wechat.finishBinding(external, state, w.code("oWx010", "外部小李"), started.browserSecret);
				CPPUNIT_ASSERT_EQUAL(std::string("oWx010"), bound.openid);
				std::optional<WeChatIdentity> now = w.wechat.binding(external);
				CPPUNIT_ASSERT(now);
				CPPUNIT_ASSERT_EQUAL(std::string("外部小李"), now->nickname);
				// The same WeChat cannot be bound by a second user.
				WeChatAuthService::Start bobs = w.wechat.startBinding(bob, "https://x/me/cb", "10.1.2.2");
				ValidationError taken = expectThrow<ValidationError>(
					[&] {
						w.wechat.finishBinding(bob, stateOf(bobs.redirectUrl), w.code("oWx010", "外部小李"),
											   bobs.browserSecret);
					},
					"a WeChat of another user");
				CPPUNIT_ASSERT_EQUAL(std::string("wechat"), taken.field());
				CPPUNIT_ASSERT(!w.wechat.binding(bob));
				// Unbinding frees it.
				CPPUNIT_ASSERT(w.wechat.unbind(external));
				CPPUNIT_ASSERT(!w.wechat.unbind(external));
				CPPUNIT_ASSERT(!w.wechat.binding(external));
				WeChatAuthService::Start retry = w.wechat.startBinding(bob, "https://x/me/cb", "10.1.2.2");
				w.wechat.finishBinding(bob, stateOf(retry.redirectUrl), w.code("oWx010", "外部小李"),
									   retry.browserSecret);
				CPPUNIT_ASSERT_EQUAL(std::string("oWx010"), w.wechat.binding(bob)->openid);
				Actor anonymous;
				expectThrow<AccessDeniedException>([&] { w.wechat.startBinding(anonymous, "https://x", "10.1.2.3"); },
												   "anonymous");
			});
	}

	void testBindingOneselfIsAudited()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				// The rows of one's own binding: about no contact, in the org the user acts in.
				auto rows = [&b](const std::string& action)
				{
					std::vector<Poco::Int64> orgs, actors;
					std::vector<Poco::Nullable<Poco::Int64>> contacts;
					std::vector<std::string> addrs;
					std::vector<Poco::Nullable<std::string>> befores, afters;
					Poco::Data::Session s = b.database().session();
					std::string a = action;
					s << "SELECT org_id, contact_id, actor_id, remote_addr, before_json, after_json FROM ec_audit"
						 " WHERE action = ? ORDER BY id",
						Poco::Data::Keywords::use(a), Poco::Data::Keywords::into(orgs),
						Poco::Data::Keywords::into(contacts), Poco::Data::Keywords::into(actors),
						Poco::Data::Keywords::into(addrs), Poco::Data::Keywords::into(befores),
						Poco::Data::Keywords::into(afters), Poco::Data::Keywords::now;
					std::vector<std::string> out;
					for (std::size_t i = 0; i < orgs.size(); ++i)
					{
						CPPUNIT_ASSERT(contacts[i].isNull());
						out.push_back(std::to_string(orgs[i]) + " " + std::to_string(actors[i]) + " " + addrs[i] + " " +
									  (befores[i].isNull() ? "-" : befores[i].value()) + " " +
									  (afters[i].isNull() ? "-" : afters[i].value()));
					}
					return out;
				};
				Actor guest = PluginBackend::external(40);
				Actor bob = PluginBackend::member(BOB, PluginBackend::OTHER_ORG);
				auto bindAs = [&w](const Actor& actor, const std::string& openid, const std::string& nickname)
				{
					WeChatAuthService::Start started = w.wechat.startBinding(actor, "https://x/me/cb", "10.1.3.1");
					return w.wechat.finishBinding(actor, stateOf(started.redirectUrl), w.code(openid, nickname),
												  started.browserSecret, "10.1.3.2");
				};
				WeChatIdentity first = bindAs(guest, "oWx020", "外部小周");
				WeChatIdentity second = bindAs(guest, "oWx021", "外部小周二");
				std::string was = R"({"boundAt":)" + std::to_string(first.boundAt) + R"(,"nickname":"外部小周"})";
				std::string now = R"({"boundAt":)" + std::to_string(second.boundAt) + R"(,"nickname":"外部小周二"})";
				std::vector<std::string> bound = rows("wechat.bind_self");
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), bound.size());
				CPPUNIT_ASSERT_EQUAL("1 40 10.1.3.2 - " + was, bound[0]);
				CPPUNIT_ASSERT_EQUAL("1 40 10.1.3.2 " + was + " " + now, bound[1]);
				// A refused binding (another user's WeChat) writes no row.
				expectThrow<ValidationError>([&] { bindAs(bob, "oWx021", "外部小周二"); }, "a WeChat of another user");
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), rows("wechat.bind_self").size());

				CPPUNIT_ASSERT(w.wechat.unbind(guest, "10.1.3.3"));
				CPPUNIT_ASSERT(!w.wechat.unbind(guest, "10.1.3.3"));
				std::vector<std::string> unbound = rows("wechat.unbind_self");
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), unbound.size());
				CPPUNIT_ASSERT_EQUAL("1 40 10.1.3.3 " + now + " -", unbound[0]);
				// A member of the other org: the row is in their org.
				bindAs(bob, "oWx022", "小鲍");
				CPPUNIT_ASSERT_EQUAL(std::string("2 2 "), rows("wechat.bind_self").back().substr(0, 4));
				// No openid / unionid in any row.
				for (const std::string& row : rows("wechat.bind_self"))
					CPPUNIT_ASSERT_MESSAGE(row, row.find("oWx") == std::string::npos);
			});
	}

	void testTheShareCardIsSigned()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				std::string url = "https://im.example.com/invite/abc?from=singlemessage";
				WeChat::JsSdkConfig first = w.wechat.share(url + "#top");
				CPPUNIT_ASSERT_EQUAL(std::string(APP_ID), first.appId);
				CPPUNIT_ASSERT_EQUAL(
					WeChat::jsSdkSignature(w.server.lastTicket(), first.nonceStr, first.timestamp, url),
					first.signature);
				WeChat::JsSdkConfig second = w.wechat.share(url);
				CPPUNIT_ASSERT(second.nonceStr != first.nonceStr);
				CPPUNIT_ASSERT_EQUAL(1, w.server.tokenCalls());
				CPPUNIT_ASSERT_EQUAL(1, w.server.ticketCalls());
			});
	}

	void testTheShareCardBacksOffAfterAFailure()
	{
		// Issue 14, finding 9: the landing pages viewed within 30 s of a
		// failed ticket fetch go without the card and do not ask WeChat.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const std::string url = "https://im.example.com/invite/abc";
				w.server.failNext(500, "");
				CPPUNIT_ASSERT_THROW(w.wechat.share(url), WeChat::UnavailableError);
				for (int i = 0; i < 20; ++i)
				{
					b.directory().advance(1000);
					CPPUNIT_ASSERT_THROW(w.wechat.share(url), WeChat::UnavailableError);
				}
				CPPUNIT_ASSERT_EQUAL(1, w.server.requests());
				b.directory().advance(10000);
				WeChat::JsSdkConfig card = w.wechat.share(url);
				CPPUNIT_ASSERT_EQUAL(WeChat::jsSdkSignature(w.server.lastTicket(), card.nonceStr, card.timestamp, url),
									 card.signature);
				CPPUNIT_ASSERT_EQUAL(3, w.server.requests());
			});
	}

	void testAuthorizationsPerAddressAreLimited()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				InvitationService::Limits limits;
				limits.authorizationsPerAddress = 2;
				World w(b, limits);
				InvitationService::Issued link =
					w.invitations.create(PluginBackend::member(CAROL), InvitationSettings());
				w.wechat.start(link.token, "https://x/cb", "10.1.3.1");
				w.wechat.start(link.token, "https://x/cb", "10.1.3.1");
				RateLimitedException e = expectThrow<RateLimitedException>(
					[&] { w.wechat.start(link.token, "https://x/cb", "10.1.3.1"); }, "a third authorization");
				CPPUNIT_ASSERT(e.retryAfterSeconds() >= 1);
				w.wechat.start(link.token, "https://x/cb", "10.1.3.2");
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(WeChatAuthServiceTest);
