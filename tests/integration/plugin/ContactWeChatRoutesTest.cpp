// DELETE /contacts/{id}/wechat (解除绑定) on SQLite and MariaDB: those who
// may edit the contact remove its WeChat identity with the audit row
// wechat.unbind (nickname and boundAt, never openid / unionid); everyone
// else is refused as the edit routes refuse them and nothing changes.
#include "RouteCall.h"

#include "http/ContactWeChatRoutes.h"
#include "store/InvitationStore.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace RouteTest;

namespace
{

constexpr Poco::Int64 CAROL = 3;
constexpr Poco::Int64 ADMIN = 9;
constexpr Poco::Int64 GUEST = 40;
constexpr Poco::Int64 STRANGER = 50; /// a member of the other org

// The route through the entry the host calls, with the caller the host
// would authenticate.
struct WeChatHttp
{
	explicit WeChatHttp(PluginBackend& b) : http(b), routes(b.service(), http.routes) {}

	Answer unbind(const std::string& id, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER,
				  bool admin = false, Poco::Int64 orgId = PluginBackend::ORG)
	{
		std::string path = "/contacts/" + id + "/wechat";
		std::string params = "{\"id\":\"" + id + "\"}";
		hostsdk_caller_v1 caller{};
		caller.user_id = userId;
		caller.org_id = kind == HOSTSDK_CALLER_ANONYMOUS ? 0 : orgId;
		caller.kind = kind;
		caller.is_admin = admin ? 1 : 0;
		caller.session_id_hash = "abc";
		caller.remote_addr = "192.0.2.7";
		caller.locale = "zh-CN";
		hostsdk_request_v1 req{};
		req.struct_size = sizeof(req);
		req.method = "DELETE";
		req.route = "/contacts/{id}/wechat";
		req.path = path.c_str();
		req.path_params = params.c_str();
		req.query = "";
		req.headers = "{}";
		req.body = "";
		req.body_len = 0;
		req.caller = &caller;
		Answer answer;
		hostsdk_response_v1 resp{};
		resp.struct_size = sizeof(resp);
		resp.ctx = &answer;
		resp.set_status = [](void* ctx, int status) { static_cast<Answer*>(ctx)->status = status; };
		resp.set_header = [](void* ctx, const char* n, const char* v) { static_cast<Answer*>(ctx)->headers[n] = v; };
		resp.write = [](void* ctx, const char* d, size_t n) { static_cast<Answer*>(ctx)->body.append(d, n); };
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK),
							 (&ContactWeChatRoutes::entry<&ContactWeChatRoutes::unbind>)(&routes, &req, &resp));
		return answer;
	}

	Answer unbind(Poco::Int64 id, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER,
				  bool admin = false, Poco::Int64 orgId = PluginBackend::ORG)
	{
		return unbind(std::to_string(id), userId, kind, admin, orgId);
	}

	Http http;
	ContactWeChatRoutes routes;
};

// Binds a WeChat identity to the contact as a join through an invitation does.
void bind(PluginBackend& b, Poco::Int64 contactId, const std::string& nickname, Poco::Int64 orgId = PluginBackend::ORG)
{
	WeChatIdentity w;
	w.openid = "oWx" + std::to_string(contactId);
	w.unionid = "uWx" + std::to_string(contactId);
	w.nickname = nickname;
	w.avatarUrl = "https://thirdwx.qlogo.cn/mmopen/" + std::to_string(contactId) + "/132";
	w.boundAt = 1767225600000;
	InvitationStore store(b.database());
	b.database().write([&](Poco::Data::Session& s) { store.bindContact(s, orgId, contactId, w); });
}

bool bound(PluginBackend& b, Poco::Int64 contactId)
{
	Poco::Data::Session s = b.database().session();
	return b.service().contacts().wechatOf(s, contactId).has_value();
}

Poco::Int64 unbindRows(PluginBackend& b)
{
	Poco::Int64 n = 0;
	Poco::Data::Session s = b.database().session();
	s << "SELECT COUNT(*) FROM ec_audit WHERE action = 'wechat.unbind'", Poco::Data::Keywords::into(n),
		Poco::Data::Keywords::now;
	return n;
}

} // namespace

class ContactWeChatRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactWeChatRoutesTest);
	CPPUNIT_TEST(testAnEditorUnbindsTheWeChatWithAnAuditRow);
	CPPUNIT_TEST(testUnbindIsRefusedAsEditsAreAndChangesNothing);
	CPPUNIT_TEST_SUITE_END();

public:
	void testAnEditorUnbindsTheWeChatWithAnAuditRow()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.directory().addUser(ADMIN, "Admin");
				Poco::Int64 id = b.create(ALICE, "Wang").contact.id;
				bind(b, id, "微信小王");
				WeChatHttp wx(b);
				Answer shown = wx.http.get(std::to_string(id)).send();
				CPPUNIT_ASSERT_EQUAL(std::string("微信小王"),
									 shown.json()->getObject("wechat")->getValue<std::string>("nickname"));

				Answer done = wx.unbind(id);
				CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 204, done.status);
				CPPUNIT_ASSERT_EQUAL(std::string(), done.body);
				CPPUNIT_ASSERT_EQUAL(std::string("no-store"), done.headers.at("Cache-Control"));
				CPPUNIT_ASSERT(!bound(b, id));
				CPPUNIT_ASSERT(wx.http.get(std::to_string(id)).send().json()->isNull("wechat"));

				// The audit row: the contact, the actor, what was bound; no openid / unionid.
				std::vector<AuditEntry> rows;
				{
					Poco::Data::Session s = b.database().session();
					rows = b.service().audit().forContact(s, PluginBackend::ORG, id, 0, 10);
				}
				CPPUNIT_ASSERT_EQUAL(std::string("wechat.unbind"), rows.front().action);
				CPPUNIT_ASSERT_EQUAL(ALICE, rows.front().actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.7"), rows.front().remoteAddr);
				CPPUNIT_ASSERT(rows.front().at > 0);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"boundAt":1767225600000,"nickname":"微信小王"})"),
									 rows.front().beforeJson.value_or(""));
				CPPUNIT_ASSERT(!rows.front().afterJson);
				// 历史 shows it.
				Answer history = wx.http.history(id).send();
				Poco::JSON::Object::Ptr latest = history.json()->getArray("items")->getObject(0);
				CPPUNIT_ASSERT_EQUAL(std::string("wechat.unbind"), latest->getValue<std::string>("action"));
				CPPUNIT_ASSERT_EQUAL(std::string("微信小王"),
									 latest->getObject("before")->getValue<std::string>("nickname"));

				// Nothing bound any more: 404, and no second row.
				assertError(wx.unbind(id), 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), unbindRows(b));

				// An admin unbinds a contact they did not add.
				Poco::Int64 other = b.create(BOB, "Li").contact.id;
				bind(b, other, "微信小李");
				CPPUNIT_ASSERT_EQUAL(204, wx.unbind(other, ADMIN, HOSTSDK_CALLER_MEMBER, true).status);
				CPPUNIT_ASSERT(!bound(b, other));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), unbindRows(b));
			});
	}

	void testUnbindIsRefusedAsEditsAreAndChangesNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Wang").contact.id;
				b.share(id, BOB);
				bind(b, id, "微信小王");
				Poco::Int64 gone = b.create(ALICE, "Gone").contact.id;
				bind(b, gone, "微信已删");
				b.service().remove(PluginBackend::member(ALICE), gone, "127.0.0.1");
				Poco::Int64 foreign = b.create(STRANGER, "Foreign", "", PluginBackend::OTHER_ORG).contact.id;
				bind(b, foreign, "微信外组织", PluginBackend::OTHER_ORG);
				WeChatHttp wx(b);

				// A shared-with member sees the contact but may not edit it: 403, as PATCH answers.
				assertError(wx.unbind(id, BOB), 403, "forbidden", "");
				CPPUNIT_ASSERT_EQUAL(403, wx.http.patch(id, R"({"version":1,"title":"x"})").as(BOB).send().status);
				// Those who may not see it: the same bytes as a missing contact.
				Answer missing = wx.unbind(987654321);
				assertError(missing, 404, "not_found", "");
				for (const Answer& hidden :
					 {wx.unbind(id, CAROL), wx.unbind(id, GUEST, HOSTSDK_CALLER_EXTERNAL), wx.unbind(gone),
					  wx.unbind(id, STRANGER, HOSTSDK_CALLER_MEMBER, false, PluginBackend::OTHER_ORG),
					  wx.unbind(foreign), wx.unbind("abc"), wx.unbind("0")})
				{
					CPPUNIT_ASSERT_EQUAL_MESSAGE(hidden.body, 404, hidden.status);
					CPPUNIT_ASSERT_EQUAL(missing.body, hidden.body);
				}
				assertError(wx.unbind(id, 0, HOSTSDK_CALLER_ANONYMOUS), 401, "unauthenticated", "");

				// Nothing changed.
				CPPUNIT_ASSERT(bound(b, id));
				CPPUNIT_ASSERT(bound(b, gone));
				CPPUNIT_ASSERT(bound(b, foreign));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), b.count("ec_contact_wechat"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), unbindRows(b));
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactWeChatRoutesTest);
