// DELETE /contacts/{id}/wechat (解除绑定) on SQLite and MariaDB: those who
// may edit the contact remove its WeChat identity with the audit row
// wechat.unbind (nickname and boundAt, never openid / unionid); everyone
// else is refused as the edit routes refuse them and nothing changes.
// WeChat proposals (issue 14, finding 3): a visitor's WeChat for a contact
// that existed is bound only by 确认绑定 (POST /wechat-proposals/{id}/confirm)
// or dropped by 忽略 (.../ignore), each once, by those who may edit the
// contact (404 for everyone else); it lapses after 7 days, a newer one
// replaces it, and of two confirms at once on real threads one wins.
#include "AuditRows.h"
#include "RouteCall.h"

#include "http/ContactWeChatRoutes.h"
#include "service/InvitationService.h"
#include "service/SecretToken.h"
#include "store/InvitationStore.h"
#include "store/WeChatProposalStore.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <algorithm>
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <mutex>
#include <thread>

using namespace RouteTest;

namespace
{

constexpr Poco::Int64 CAROL = 3;
constexpr Poco::Int64 ADMIN = 9;
constexpr Poco::Int64 GUEST = 40;
constexpr Poco::Int64 STRANGER = 50; /// a member of the other org

class RecordingNotifier : public Notifier
{
public:
	void notify(const Notice& notice) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		notices.push_back(notice);
	}
	void resolve(const std::string& groupKey, const std::string& outcomeJson) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		resolved.emplace_back(groupKey, outcomeJson);
	}
	std::vector<Notice> notices;
	std::vector<std::pair<std::string, std::string>> resolved;

private:
	std::mutex _mutex;
};

// The route through the entry the host calls, with the caller the host
// would authenticate.
struct WeChatHttp
{
	explicit WeChatHttp(PluginBackend& b) : http(b), service(b.context(), notifier), routes(service, http.responder) {}

	Answer unbind(const std::string& id, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER,
				  bool admin = false, Poco::Int64 orgId = PluginBackend::ORG)
	{
		return call<&ContactWeChatRoutes::unbind>("DELETE", "/contacts/{id}/wechat", "/contacts/" + id + "/wechat", id,
												  userId, kind, admin, orgId);
	}

	Answer proposal(Poco::Int64 contactId, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER)
	{
		std::string id = std::to_string(contactId);
		return call<&ContactWeChatRoutes::proposal>("GET", "/contacts/{id}/wechat/proposal",
													"/contacts/" + id + "/wechat/proposal", id, userId, kind);
	}

	Answer confirm(const std::string& id, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER,
				   bool admin = false, Poco::Int64 orgId = PluginBackend::ORG)
	{
		return call<&ContactWeChatRoutes::confirm>("POST", "/wechat-proposals/{id}/confirm",
												   "/wechat-proposals/" + id + "/confirm", id, userId, kind, admin,
												   orgId);
	}

	Answer ignore(const std::string& id, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER)
	{
		return call<&ContactWeChatRoutes::ignore>("POST", "/wechat-proposals/{id}/ignore",
												  "/wechat-proposals/" + id + "/ignore", id, userId, kind);
	}

	template <RouteTable<ContactWeChatRoutes>::Handler H>
	Answer call(const char* method, const char* route, const std::string& path, const std::string& id,
				Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER, bool admin = false,
				Poco::Int64 orgId = PluginBackend::ORG)
	{
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
		req.method = method;
		req.route = route;
		req.path = path.c_str();
		req.path_params = params.c_str();
		req.query = "";
		req.headers = "{}";
		req.body = std::string(method) == "POST" ? "{}" : "";
		req.body_len = std::string(method) == "POST" ? 2 : 0;
		req.caller = &caller;
		Answer answer;
		hostsdk_response_v1 resp{};
		resp.struct_size = sizeof(resp);
		resp.ctx = &answer;
		resp.set_status = [](void* ctx, int status) { static_cast<Answer*>(ctx)->status = status; };
		resp.set_header = [](void* ctx, const char* n, const char* v) { static_cast<Answer*>(ctx)->headers[n] = v; };
		resp.write = [](void* ctx, const char* d, size_t n) { static_cast<Answer*>(ctx)->body.append(d, n); };
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), routes.table().call(H, &req, &resp));
		return answer;
	}

	Answer unbind(Poco::Int64 id, Poco::Int64 userId = ALICE, int32_t kind = HOSTSDK_CALLER_MEMBER, bool admin = false,
				  Poco::Int64 orgId = PluginBackend::ORG)
	{
		return unbind(std::to_string(id), userId, kind, admin, orgId);
	}

	RecordingNotifier notifier;
	Http http;
	ContactWeChatService service;
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
	return ContactStore(b.database()).wechatOf(s, contactId).has_value();
}

Poco::Int64 unbindRows(PluginBackend& b)
{
	Poco::Int64 n = 0;
	Poco::Data::Session s = b.database().session();
	s << "SELECT COUNT(*) FROM ec_audit WHERE action = 'wechat.unbind'", Poco::Data::Keywords::into(n),
		Poco::Data::Keywords::now;
	return n;
}

// A contact of adder with the mobile, with the owner's WeChat bound.
Poco::Int64 knownContact(PluginBackend& b, Poco::Int64 adder, const std::string& mobile)
{
	ContactFields fields = PluginBackend::draft("王五", "远山");
	fields.mobile = mobile;
	Poco::Int64 id = b.service().create(PluginBackend::member(adder), fields, "").contact.id;
	bind(b, id, "王五本人");
	return id;
}

// A new link of inviter and a WeChat profile (openid) the landing page
// obtained on it: what a visitor answers with.
struct Visitor
{
	std::string token;
	std::string reference;
};

Visitor authorized(PluginBackend& b, InvitationService& invitations, Poco::Int64 inviter, const std::string& openid,
				   const std::string& nickname)
{
	InvitationService::Issued issued = invitations.create(PluginBackend::member(inviter), InvitationSettings());
	Poco::Int64 at = b.directory().nowMs();
	std::string state = SecretToken::generate(), reference = SecretToken::generate();
	b.database().write(
		[&](Poco::Data::Session& s)
		{
			invitations.store().insertAuthorization(s, issued.invitation.id, 0, SecretToken::hash(state),
													SecretToken::hash("browser"), at, at + 3600000);
			std::optional<InvitationStore::WeChatAuthorization> a =
				invitations.store().authorizationByState(s, SecretToken::hash(state));
			InvitationStore::WeChatAuthorization p;
			p.openid = openid;
			p.unionid = "u" + openid;
			p.nickname = nickname;
			p.avatarUrl = "https://thirdwx.qlogo.cn/mmopen/visitor/132";
			invitations.store().storeProfile(s, a->id, SecretToken::hash(reference), p, at + 3600000);
		});
	return {issued.token, reference};
}

InvitationService::Joined answer(InvitationService& invitations, const Visitor& visitor, const std::string& mobile,
								 const std::string& addr)
{
	InviteForm form;
	form.name = "王五";
	form.mobile = mobile;
	return invitations.join(visitor.token, form, visitor.reference, addr);
}

// A visitor answers a new link of inviter with the mobile and a WeChat
// profile (openid) the landing page obtained: the proposal it made.
Poco::Int64 visit(PluginBackend& b, InvitationService& invitations, Poco::Int64 inviter, const std::string& mobile,
				  const std::string& openid, const std::string& nickname, const std::string& addr = "10.0.0.1")
{
	InvitationService::Joined joined =
		answer(invitations, authorized(b, invitations, inviter, openid, nickname), mobile, addr);
	CPPUNIT_ASSERT(!joined.created);
	CPPUNIT_ASSERT(joined.proposalId);
	return *joined.proposalId;
}

// The stored row of proposal id: status, pending_contact, openid, unionid,
// nickname, avatar_url ("NULL" for NULL).
std::vector<std::string> proposalRow(PluginBackend& b, Poco::Int64 id)
{
	Poco::Data::Session s = b.database().session();
	Poco::Data::Statement select(s);
	select << "SELECT status, pending_contact, openid, unionid, nickname, avatar_url FROM ec_wechat_proposals "
			  "WHERE id = ?",
		Poco::Data::Keywords::use(id);
	select.execute();
	Poco::Data::RecordSet rows(select);
	CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows.rowCount());
	std::vector<std::string> row;
	for (std::size_t c = 0; c < 6; ++c)
		row.push_back(rows.value(c, 0).isEmpty() ? "NULL" : rows.value(c, 0).convert<std::string>());
	return row;
}

Poco::Int64 pendingCount(PluginBackend& b, Poco::Int64 contactId)
{
	Poco::Int64 n = 0;
	Poco::Data::Session s = b.database().session();
	s << "SELECT COUNT(*) FROM ec_wechat_proposals WHERE contact_id = ? AND status = 'pending'",
		Poco::Data::Keywords::use(contactId), Poco::Data::Keywords::into(n), Poco::Data::Keywords::now;
	return n;
}

// Runs every task on its own thread, all released at once; what they threw.
std::string race(const std::vector<std::function<void()>>& tasks)
{
	std::atomic<std::size_t> ready{0};
	std::mutex failedMutex;
	std::string failed;
	std::vector<std::thread> threads;
	for (const std::function<void()>& task : tasks)
		threads.emplace_back(
			[&, task]
			{
				++ready;
				while (ready < tasks.size())
					std::this_thread::yield();
				try
				{
					task();
				}
				catch (const Poco::Exception& e)
				{
					std::lock_guard<std::mutex> lock(failedMutex);
					failed += e.displayText() + "; ";
				}
				catch (const std::exception& e)
				{
					std::lock_guard<std::mutex> lock(failedMutex);
					failed += std::string(e.what()) + "; ";
				}
			});
	for (std::thread& t : threads)
		t.join();
	return failed;
}

std::optional<WeChatIdentity> wechatOf(PluginBackend& b, Poco::Int64 contactId)
{
	Poco::Data::Session s = b.database().session();
	return ContactStore(b.database()).wechatOf(s, contactId);
}

} // namespace

class ContactWeChatRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactWeChatRoutesTest);
	CPPUNIT_TEST(testAnEditorUnbindsTheWeChatWithAnAuditRow);
	CPPUNIT_TEST(testUnbindIsRefusedAsEditsAreAndChangesNothing);
	CPPUNIT_TEST(testConfirmBindsTheProposedWeChatOnce);
	CPPUNIT_TEST(testIgnoreKeepsTheWeChatAndOthersGet404);
	CPPUNIT_TEST(testProposalsExpireAndANewerOneReplacesTheOlder);
	CPPUNIT_TEST(testOfTwoConcurrentConfirmsOneWins);
	CPPUNIT_TEST(testReplacingReadsTheLatestPendingProposalNotTheSnapshot);
	CPPUNIT_TEST(testConcurrentJoinsLeaveOnePendingProposalAndAnswerEveryVisitor);
	CPPUNIT_TEST(testAJoinRacingAConfirmNeverReplacesTheConfirmedProposal);
	CPPUNIT_TEST(testSettledProposalsForgetTheVisitorsIdentity);
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
					rows = b.context().audit.forContact(s, PluginBackend::ORG, id, 0, 10);
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

	void testConfirmBindsTheProposedWeChatOnce()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				WeChatHttp wx(b);
				InvitationService invitations(b.context(), b.service(), wx.notifier);
				Poco::Int64 id = knownContact(b, ALICE, "13700000001");
				Poco::Int64 pid = visit(b, invitations, ALICE, "137 0000 0001", "oVisitor", "访客微信", "10.0.0.66");
				// Not bound yet: the card still shows the owner's WeChat.
				CPPUNIT_ASSERT_EQUAL(std::string("oWx" + std::to_string(id)), wechatOf(b, id)->openid);
				// The proposal is on the contact's history, by the visitor, without ids.
				std::vector<AuditRow> proposed = auditRows(b, ContactWeChatService::AUDIT_BIND_PROPOSED);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), proposed.size());
				CPPUNIT_ASSERT_EQUAL(id, *proposed[0].contactId);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), proposed[0].actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.66"), proposed[0].remoteAddr);
				CPPUNIT_ASSERT(proposed[0].mentions("\"nickname\":\"访客微信\""));
				CPPUNIT_ASSERT(!proposed[0].mentions("oVisitor"));
				// The inviter's notice carries 确认绑定 / 忽略 calling the routes.
				const Notifier::Notice& notice = wx.notifier.notices.back();
				CPPUNIT_ASSERT(notice.userIds == std::vector<Poco::Int64>{ALICE});
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), notice.actions.size());
				CPPUNIT_ASSERT_EQUAL(std::string("确认绑定"), notice.actions[0].label.zhCN);
				CPPUNIT_ASSERT_EQUAL("/wechat-proposals/" + std::to_string(pid) + "/confirm", notice.actions[0].path);
				CPPUNIT_ASSERT_EQUAL(std::string("忽略"), notice.actions[1].label.zhCN);
				CPPUNIT_ASSERT_EQUAL("/wechat-proposals/" + std::to_string(pid) + "/ignore", notice.actions[1].path);
				CPPUNIT_ASSERT_EQUAL(ContactWeChatService::noticeGroup(pid), notice.groupKey);

				// The card reads it: nickname and avatar, never openid / unionid.
				Answer shown = wx.proposal(id);
				CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, 200, shown.status);
				Poco::JSON::Object::Ptr p = shown.json()->getObject("proposal");
				CPPUNIT_ASSERT_EQUAL(pid, p->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT_EQUAL(std::string("访客微信"), p->getValue<std::string>("nickname"));
				CPPUNIT_ASSERT_EQUAL(std::string("pending"), p->getValue<std::string>("status"));
				CPPUNIT_ASSERT(p->getValue<Poco::Int64>("expiresAt") - p->getValue<Poco::Int64>("proposedAt") ==
							   WeChatProposal::TTL_MS);
				CPPUNIT_ASSERT(shown.body.find("oVisitor") == std::string::npos);

				Answer done = wx.confirm(std::to_string(pid));
				CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 200, done.status);
				CPPUNIT_ASSERT_EQUAL(std::string("confirmed"),
									 done.json()->getObject("proposal")->getValue<std::string>("status"));
				CPPUNIT_ASSERT_EQUAL(std::string("访客微信"),
									 done.json()->getObject("wechat")->getValue<std::string>("nickname"));
				CPPUNIT_ASSERT_EQUAL(std::string("oVisitor"), wechatOf(b, id)->openid);
				CPPUNIT_ASSERT_EQUAL(std::string("uoVisitor"), wechatOf(b, id)->unionid);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_wechat"));
				std::vector<AuditRow> bound = auditRows(b, ContactWeChatService::AUDIT_BIND);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), bound.size());
				CPPUNIT_ASSERT_EQUAL(ALICE, bound[0].actorId);
				CPPUNIT_ASSERT_EQUAL(id, *bound[0].contactId);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"boundAt":1767225600000,"nickname":"王五本人"})"),
									 bound[0].beforeJson.value_or(""));
				CPPUNIT_ASSERT(bound[0].afterJson && bound[0].mentions("\"nickname\":\"访客微信\""));
				CPPUNIT_ASSERT(!bound[0].mentions("oVisitor"));
				CPPUNIT_ASSERT_EQUAL(ContactWeChatService::noticeGroup(pid), wx.notifier.resolved.back().first);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":"confirmed"})"), wx.notifier.resolved.back().second);

				// Once: a second confirm and an ignore after it are 409 naming the outcome.
				for (const Answer& again : {wx.confirm(std::to_string(pid)), wx.ignore(std::to_string(pid))})
				{
					assertError(again, 409, "proposal_settled", "");
					CPPUNIT_ASSERT_EQUAL(std::string("confirmed"), again.json()->getValue<std::string>("status"));
				}
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), auditRows(b, ContactWeChatService::AUDIT_BIND).size());
				CPPUNIT_ASSERT(auditRows(b, ContactWeChatService::AUDIT_BIND_IGNORED).empty());
				CPPUNIT_ASSERT(wx.proposal(id).json()->isNull("proposal"));
				// 历史 shows the proposal and the binding.
				Poco::JSON::Array::Ptr items = wx.http.history(id).send().json()->getArray("items");
				CPPUNIT_ASSERT_EQUAL(std::string("wechat.bind"), items->getObject(0)->getValue<std::string>("action"));
				CPPUNIT_ASSERT_EQUAL(std::string("wechat.bind_proposed"),
									 items->getObject(1)->getValue<std::string>("action"));
			});
	}

	void testIgnoreKeepsTheWeChatAndOthersGet404()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				WeChatHttp wx(b);
				InvitationService invitations(b.context(), b.service(), wx.notifier);
				Poco::Int64 id = knownContact(b, ALICE, "13700000002");
				b.share(id, BOB);
				Poco::Int64 pid = visit(b, invitations, ALICE, "13700000002", "oVisitor", "访客微信");
				std::string ref = std::to_string(pid);
				// A shared-with member sees the contact but may not edit it: as
				// for a missing proposal, and they do not learn of it.
				Answer missing = wx.confirm("987654321");
				assertError(missing, 404, "not_found", "");
				for (const Answer& hidden :
					 {wx.confirm(ref, BOB), wx.ignore(ref, BOB), wx.confirm(ref, CAROL), wx.ignore(ref, CAROL),
					  wx.confirm(ref, GUEST, HOSTSDK_CALLER_EXTERNAL),
					  wx.confirm(ref, STRANGER, HOSTSDK_CALLER_MEMBER, false, PluginBackend::OTHER_ORG),
					  wx.confirm("abc"), wx.confirm("0"), wx.confirm("-1"), wx.proposal(id, BOB),
					  wx.proposal(id, CAROL), wx.proposal(987654321)})
				{
					CPPUNIT_ASSERT_EQUAL_MESSAGE(hidden.body, 404, hidden.status);
					CPPUNIT_ASSERT_EQUAL(missing.body, hidden.body);
				}
				assertError(wx.confirm(ref, 0, HOSTSDK_CALLER_ANONYMOUS), 401, "unauthenticated", "");
				CPPUNIT_ASSERT_EQUAL(std::string("oWx" + std::to_string(id)), wechatOf(b, id)->openid);
				CPPUNIT_ASSERT(auditRows(b, ContactWeChatService::AUDIT_BIND).empty());

				Answer ignored = wx.ignore(ref);
				CPPUNIT_ASSERT_EQUAL_MESSAGE(ignored.body, 200, ignored.status);
				CPPUNIT_ASSERT_EQUAL(std::string("ignored"),
									 ignored.json()->getObject("proposal")->getValue<std::string>("status"));
				CPPUNIT_ASSERT_EQUAL(std::string("王五本人"),
									 ignored.json()->getObject("wechat")->getValue<std::string>("nickname"));
				CPPUNIT_ASSERT_EQUAL(std::string("oWx" + std::to_string(id)), wechatOf(b, id)->openid);
				std::vector<AuditRow> rows = auditRows(b, ContactWeChatService::AUDIT_BIND_IGNORED);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows.size());
				CPPUNIT_ASSERT_EQUAL(ALICE, rows[0].actorId);
				CPPUNIT_ASSERT(rows[0].mentions("\"nickname\":\"访客微信\"") && !rows[0].mentions("oVisitor"));
				for (const Answer& again : {wx.confirm(ref), wx.ignore(ref)})
				{
					assertError(again, 409, "proposal_settled", "");
					CPPUNIT_ASSERT_EQUAL(std::string("ignored"), again.json()->getValue<std::string>("status"));
				}
				CPPUNIT_ASSERT(auditRows(b, ContactWeChatService::AUDIT_BIND).empty());

				// An admin may edit every contact, so may decide a proposal.
				b.directory().addUser(ADMIN, "Admin");
				Poco::Int64 next = visit(b, invitations, ALICE, "13700000002", "oOther", "另一个", "10.0.0.2");
				CPPUNIT_ASSERT_EQUAL(200, wx.confirm(std::to_string(next), ADMIN, HOSTSDK_CALLER_MEMBER, true).status);
				CPPUNIT_ASSERT_EQUAL(std::string("oOther"), wechatOf(b, id)->openid);
				CPPUNIT_ASSERT_EQUAL(ADMIN, auditRows(b, ContactWeChatService::AUDIT_BIND).at(0).actorId);

				// An inviter who only sees the contact (shared with them) is told,
				// without the buttons; those who may edit it decide.
				Poco::Int64 viaBob = visit(b, invitations, BOB, "13700000002", "oViaBob", "经由李", "10.0.0.4");
				CPPUNIT_ASSERT(wx.notifier.notices.back().userIds == std::vector<Poco::Int64>{BOB});
				CPPUNIT_ASSERT(wx.notifier.notices.back().actions.empty());
				CPPUNIT_ASSERT(wx.notifier.notices.back().body.zhCN.find("可编辑该联系人的同事") != std::string::npos);
				assertError(wx.confirm(std::to_string(viaBob), BOB), 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(200, wx.confirm(std::to_string(viaBob)).status);
				CPPUNIT_ASSERT_EQUAL(std::string("oViaBob"), wechatOf(b, id)->openid);

				// A proposal for a contact deleted since: gone as the contact is.
				Poco::Int64 later = visit(b, invitations, ALICE, "13700000002", "oLater", "后来的", "10.0.0.3");
				b.service().remove(PluginBackend::member(ALICE), id, "127.0.0.1");
				assertError(wx.confirm(std::to_string(later)), 404, "not_found", "");
			});
	}

	void testProposalsExpireAndANewerOneReplacesTheOlder()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				WeChatHttp wx(b);
				InvitationService invitations(b.context(), b.service(), wx.notifier);
				Poco::Int64 id = knownContact(b, ALICE, "13700000003");
				Poco::Int64 first = visit(b, invitations, ALICE, "13700000003", "oFirst", "第一个", "10.0.0.1");
				Poco::Int64 second = visit(b, invitations, ALICE, "13700000003", "oSecond", "第二个", "10.0.0.2");
				// The older one is replaced, its notice resolved.
				CPPUNIT_ASSERT_EQUAL(ContactWeChatService::noticeGroup(first), wx.notifier.resolved.back().first);
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":"replaced"})"), wx.notifier.resolved.back().second);
				Answer replaced = wx.confirm(std::to_string(first));
				assertError(replaced, 409, "proposal_settled", "");
				CPPUNIT_ASSERT_EQUAL(std::string("replaced"), replaced.json()->getValue<std::string>("status"));
				CPPUNIT_ASSERT_EQUAL(second,
									 wx.proposal(id).json()->getObject("proposal")->getValue<Poco::Int64>("id"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), b.count("ec_wechat_proposals"));

				// Seven days later it lapsed: not shown, not bound.
				// (the fake clock also ticks once per reading)
				b.directory().advance(WeChatProposal::TTL_MS - 1000);
				CPPUNIT_ASSERT(!wx.proposal(id).json()->isNull("proposal"));
				b.directory().advance(1000);
				CPPUNIT_ASSERT(wx.proposal(id).json()->isNull("proposal"));
				for (const Answer& late : {wx.confirm(std::to_string(second)), wx.ignore(std::to_string(second))})
				{
					assertError(late, 409, "proposal_settled", "");
					CPPUNIT_ASSERT_EQUAL(std::string("expired"), late.json()->getValue<std::string>("status"));
				}
				CPPUNIT_ASSERT_EQUAL(std::string("oWx" + std::to_string(id)), wechatOf(b, id)->openid);
				CPPUNIT_ASSERT(auditRows(b, ContactWeChatService::AUDIT_BIND).empty());
				// A new one after the lapsed one is stored; the lapsed one is kept as expired.
				Poco::Int64 third = visit(b, invitations, ALICE, "13700000003", "oThird", "第三个", "10.0.0.3");
				Poco::Int64 expired = 0;
				{
					Poco::Data::Session s = b.database().session();
					s << "SELECT COUNT(*) FROM ec_wechat_proposals WHERE status = 'expired' AND id = ?",
						Poco::Data::Keywords::use(second), Poco::Data::Keywords::into(expired),
						Poco::Data::Keywords::now;
				}
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), expired);
				CPPUNIT_ASSERT_EQUAL(200, wx.confirm(std::to_string(third)).status);
				CPPUNIT_ASSERT_EQUAL(std::string("oThird"), wechatOf(b, id)->openid);
			});
	}

	void testOfTwoConcurrentConfirmsOneWins()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.directory().addUser(ADMIN, "Admin");
				RecordingNotifier notifier;
				InvitationService invitations(b.context(), b.service(), notifier);
				ContactWeChatService service(b.context(), notifier);
				for (int round = 0; round < 5; ++round)
				{
					std::string mobile = "1370000010" + std::to_string(round);
					Poco::Int64 id = knownContact(b, ALICE, mobile);
					Poco::Int64 pid = visit(b, invitations, ALICE, mobile, "oRace" + std::to_string(round), "竞争",
											"10.0.1." + std::to_string(round));
					std::atomic<int> ready{0}, won{0}, settled{0}, other{0};
					std::mutex failedMutex;
					std::string failed;
					auto decide = [&](Actor actor)
					{
						++ready;
						while (ready < 2)
							std::this_thread::yield();
						try
						{
							service.confirm(actor, pid, "10.0.0.9");
							++won;
						}
						catch (const WeChatProposalSettledException& e)
						{
							if (e.status == WeChatProposal::Status::Confirmed)
								++settled;
							else
								++other;
						}
						catch (const Poco::Exception& e)
						{
							std::lock_guard<std::mutex> lock(failedMutex);
							failed += e.displayText() + "; ";
							++other;
						}
						catch (const std::exception& e)
						{
							std::lock_guard<std::mutex> lock(failedMutex);
							failed += std::string(e.what()) + "; ";
							++other;
						}
					};
					std::thread one(decide, PluginBackend::member(ALICE));
					std::thread two(decide, PluginBackend::member(ADMIN, PluginBackend::ORG, true));
					one.join();
					two.join();
					CPPUNIT_ASSERT_EQUAL_MESSAGE(failed, 1, won.load());
					CPPUNIT_ASSERT_EQUAL_MESSAGE(failed, 1, settled.load());
					CPPUNIT_ASSERT_EQUAL_MESSAGE(failed, 0, other.load());
					CPPUNIT_ASSERT_EQUAL("oRace" + std::to_string(round), wechatOf(b, id)->openid);
				}
				CPPUNIT_ASSERT_EQUAL(std::size_t(5), auditRows(b, ContactWeChatService::AUDIT_BIND).size());
			});
	}

	void testReplacingReadsTheLatestPendingProposalNotTheSnapshot()
	{
		// Issue 14, finding 3 (review): a join replaces the pending proposal
		// it finds; on MariaDB (REPEATABLE READ) that must be the one as last
		// committed, not as this transaction's snapshot saw it. The two
		// interleavings step by step on two sessions; SQLite has one writer
		// at a time (its write transaction begins with the write lock), so
		// there the steps run one after the other.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService invitations(b.context(), b.service(), notifier);
				ContactWeChatService service(b.context(), notifier);
				WeChatProposalStore proposals(b.database());
				bool mysql = b.database().dialect() == ExternalContacts::Database::Dialect::MySQL;
				// Runs between() after a transaction took its snapshot and
				// before it replaces the contact's pending proposal, then what
				// the transaction does; commits it.
				auto interleave =
					[&](const std::function<void()>& between, const std::function<void(Poco::Data::Session&)>& then)
				{
					if (!mysql)
					{
						between();
						b.database().write(then);
						return;
					}
					Poco::Data::Session s = b.database().session();
					b.database().begin(s);
					try
					{
						Poco::Int64 n = 0;
						s << "SELECT COUNT(*) FROM ec_wechat_proposals", Poco::Data::Keywords::into(n),
							Poco::Data::Keywords::now; // the snapshot
						between();
						then(s);
						b.database().commit(s);
					}
					catch (...)
					{
						b.database().rollback(s);
						throw;
					}
				};

				// (a) A confirm commits after the snapshot: the join must not
				// rewrite the confirmed proposal as replaced.
				Poco::Int64 id = knownContact(b, ALICE, "13700000201");
				Poco::Int64 pid = visit(b, invitations, ALICE, "13700000201", "oConfirmed", "确认的");
				std::optional<WeChatProposal> replaced;
				interleave([&] { service.confirm(PluginBackend::member(ALICE), pid, "10.0.0.9"); },
						   [&](Poco::Data::Session& s)
						   { replaced = proposals.replacePending(s, id, b.directory().nowMs()); });
				CPPUNIT_ASSERT_MESSAGE(b.name(), !replaced);
				CPPUNIT_ASSERT_EQUAL(std::string("confirmed"), proposalRow(b, pid)[0]);
				CPPUNIT_ASSERT_EQUAL(std::string("oConfirmed"), wechatOf(b, id)->openid);

				// (b) Another join's proposal commits after the snapshot: it is
				// the one replaced, and the new one is stored (no duplicate key).
				Poco::Int64 other = knownContact(b, ALICE, "13700000202");
				Poco::Int64 committed = 0;
				std::string insertFailed;
				replaced.reset();
				interleave([&] { committed = visit(b, invitations, ALICE, "13700000202", "oCommitted", "先到的"); },
						   [&](Poco::Data::Session& s)
						   {
							   Poco::Int64 now = b.directory().nowMs();
							   replaced = proposals.replacePending(s, other, now);
							   WeChatProposal next;
							   next.orgId = PluginBackend::ORG;
							   next.contactId = other;
							   next.invitationId = 1;
							   next.inviterId = ALICE;
							   next.wechat.openid = "oLater";
							   next.wechat.boundAt = now;
							   next.expiresAt = now + WeChatProposal::TTL_MS;
							   try
							   {
								   proposals.insert(s, next);
							   }
							   catch (const Poco::Exception& e)
							   {
								   insertFailed = e.displayText();
							   }
						   });
				CPPUNIT_ASSERT_EQUAL_MESSAGE(b.name(), std::string(), insertFailed);
				CPPUNIT_ASSERT_MESSAGE(b.name(), replaced.has_value());
				CPPUNIT_ASSERT_EQUAL(committed, replaced->id);
				CPPUNIT_ASSERT_EQUAL(std::string("replaced"), proposalRow(b, committed)[0]);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), pendingCount(b, other));
			});
	}

	void testConcurrentJoinsLeaveOnePendingProposalAndAnswerEveryVisitor()
	{
		// Visitors answering at once with the mobile of one existing contact
		// (real threads): every one is answered, exactly one proposal stays
		// pending and each other one is replaced with its notice resolved.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService::Limits limits;
				limits.createsPerMember = 1000; // many links of one inviter
				InvitationService invitations(b.context(), b.service(), notifier, limits);
				constexpr int ROUNDS = 6, VISITORS = 6;
				for (int round = 0; round < ROUNDS; ++round)
				{
					std::string mobile = "1370000030" + std::to_string(round);
					Poco::Int64 id = knownContact(b, ALICE, mobile);
					std::vector<Visitor> visitors;
					for (int i = 0; i < VISITORS; ++i)
						visitors.push_back(authorized(b, invitations, ALICE,
													  "oJoin" + std::to_string(round) + "_" + std::to_string(i),
													  "并发" + std::to_string(i)));
					std::mutex joinedMutex;
					std::vector<Poco::Int64> proposed;
					std::vector<std::function<void()>> tasks;
					for (int i = 0; i < VISITORS; ++i)
						tasks.push_back(
							[&, i]
							{
								InvitationService::Joined joined =
									answer(invitations, visitors[i], mobile,
										   "10.2." + std::to_string(round) + "." + std::to_string(i));
								std::lock_guard<std::mutex> lock(joinedMutex);
								if (joined.proposalId) proposed.push_back(*joined.proposalId);
							});
					std::size_t resolvedBefore = notifier.resolved.size();
					std::string failed = race(tasks);
					std::string where = b.name() + " round " + std::to_string(round) + ": " + failed;
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(), failed);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t(VISITORS), proposed.size());
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, Poco::Int64(1), pendingCount(b, id));
					std::vector<std::pair<std::string, std::string>> resolved(
						notifier.resolved.begin() + resolvedBefore, notifier.resolved.end());
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t(VISITORS - 1), resolved.size());
					for (Poco::Int64 pid : proposed)
					{
						std::string status = proposalRow(b, pid)[0];
						std::size_t notices =
							std::count_if(resolved.begin(), resolved.end(),
										  [&](const std::pair<std::string, std::string>& r) {
											  return r.first == ContactWeChatService::noticeGroup(pid) &&
													 r.second == R"({"status":"replaced"})";
										  });
						CPPUNIT_ASSERT_MESSAGE(where, status == "pending" || status == "replaced");
						CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t(status == "replaced" ? 1 : 0), notices);
					}
				}
			});
	}

	void testAJoinRacingAConfirmNeverReplacesTheConfirmedProposal()
	{
		// 确认绑定 and a newer visitor at once (real threads): either the
		// confirm wins (bound, confirmed, its notice not resolved as replaced)
		// or the join does (replaced, the confirm told so); the visitor is
		// answered either way and one proposal is pending.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService::Limits limits;
				limits.createsPerMember = 1000; // many links of one inviter
				InvitationService invitations(b.context(), b.service(), notifier, limits);
				ContactWeChatService service(b.context(), notifier);
				constexpr int ROUNDS = 12;
				int confirmsWon = 0;
				for (int round = 0; round < ROUNDS; ++round)
				{
					std::string mobile = "137000004" + std::to_string(10 + round);
					Poco::Int64 id = knownContact(b, ALICE, mobile);
					std::string first = "oFirst" + std::to_string(round);
					Poco::Int64 pid =
						visit(b, invitations, ALICE, mobile, first, "先来的", "10.3.0." + std::to_string(round));
					Visitor next = authorized(b, invitations, ALICE, "oNext" + std::to_string(round), "后来的");
					std::optional<bool> won;
					std::optional<WeChatProposal::Status> told;
					std::size_t resolvedBefore = notifier.resolved.size();
					std::string failed =
						race({[&]
							  {
								  try
								  {
									  service.confirm(PluginBackend::member(ALICE), pid, "10.0.0.9");
									  won = true;
								  }
								  catch (const WeChatProposalSettledException& e)
								  {
									  won = false;
									  told = e.status;
								  }
							  },
							  [&] { answer(invitations, next, mobile, "10.3.1." + std::to_string(round)); }});
					std::string where = b.name() + " round " + std::to_string(round) + ": " + failed;
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(), failed);
					CPPUNIT_ASSERT_MESSAGE(where, won.has_value());
					bool replacedNotice = false;
					for (std::size_t i = resolvedBefore; i < notifier.resolved.size(); ++i)
						if (notifier.resolved[i].first == ContactWeChatService::noticeGroup(pid) &&
							notifier.resolved[i].second == R"({"status":"replaced"})")
							replacedNotice = true;
					if (*won)
					{
						++confirmsWon;
						CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string("confirmed"), proposalRow(b, pid)[0]);
						CPPUNIT_ASSERT_EQUAL_MESSAGE(where, first, wechatOf(b, id)->openid);
						CPPUNIT_ASSERT_MESSAGE(where, !replacedNotice);
					}
					else
					{
						CPPUNIT_ASSERT_MESSAGE(where, told == WeChatProposal::Status::Replaced);
						CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string("replaced"), proposalRow(b, pid)[0]);
						CPPUNIT_ASSERT_EQUAL_MESSAGE(where, "oWx" + std::to_string(id), wechatOf(b, id)->openid);
						CPPUNIT_ASSERT_MESSAGE(where, replacedNotice);
					}
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, Poco::Int64(1), pendingCount(b, id));
				}
				CPPUNIT_ASSERT_EQUAL(std::size_t(confirmsWon), auditRows(b, ContactWeChatService::AUDIT_BIND).size());
			});
	}

	void testSettledProposalsForgetTheVisitorsIdentity()
	{
		// A settled proposal keeps no openid / unionid (nor nickname, avatar):
		// ignored, replaced or expired it was never bound, and a confirmed
		// one is the contact's WeChat now. The audit rows keep the nickname.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				WeChatHttp wx(b);
				InvitationService invitations(b.context(), b.service(), wx.notifier);
				Poco::Int64 id = knownContact(b, ALICE, "13700000501");
				Poco::Int64 replaced = visit(b, invitations, ALICE, "13700000501", "oReplaced", "被替换");
				const std::vector<std::string> pending = proposalRow(b, replaced);
				CPPUNIT_ASSERT_EQUAL(std::string("oReplaced"), pending[2]);
				CPPUNIT_ASSERT_EQUAL(std::string("uoReplaced"), pending[3]);
				Poco::Int64 ignored = visit(b, invitations, ALICE, "13700000501", "oIgnored", "被忽略");
				CPPUNIT_ASSERT_EQUAL(200, wx.ignore(std::to_string(ignored)).status);
				Poco::Int64 lapsed = visit(b, invitations, ALICE, "13700000501", "oLapsed", "过期的");
				b.directory().advance(WeChatProposal::TTL_MS);
				Poco::Int64 confirmed = visit(b, invitations, ALICE, "13700000501", "oConfirmed", "确认的");
				CPPUNIT_ASSERT_EQUAL(200, wx.confirm(std::to_string(confirmed)).status);
				CPPUNIT_ASSERT_EQUAL(std::string("oConfirmed"), wechatOf(b, id)->openid);
				const std::pair<Poco::Int64, std::string> settled[] = {
					{replaced, "replaced"}, {ignored, "ignored"}, {lapsed, "expired"}, {confirmed, "confirmed"}};
				for (const auto& [pid, status] : settled)
				{
					std::vector<std::string> row = proposalRow(b, pid);
					std::string where = b.name() + " " + status;
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, status, row[0]);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string("NULL"), row[1]);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string("NULL"), row[2]);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string("NULL"), row[3]);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(), row[4]);
					CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(), row[5]);
				}
				// The history still names what was proposed and ignored.
				CPPUNIT_ASSERT(
					auditRows(b, ContactWeChatService::AUDIT_BIND_IGNORED).at(0).mentions("\"nickname\":\"被忽略\""));
				CPPUNIT_ASSERT_EQUAL(std::size_t(4), auditRows(b, ContactWeChatService::AUDIT_BIND_PROPOSED).size());
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactWeChatRoutesTest);
