// Invitation links (R4.1, R4.4, R4.5) on SQLite and MariaDB: tokens kept
// only as SHA-256, expiry, revocation, regeneration, the use limit under 50
// concurrent submissions on real threads, the database rate limits, the
// duplicate rule, an inviter who left, and a WeChat profile bound once;
// the audit rows of create, regenerate, revoke and the WeChat binding.
#include "AuditRows.h"
#include "Expect.h"
#include "PluginBackend.h"

#include "domain/Invitation.h"
#include "domain/ValidationError.h"
#include "service/InvitationService.h"
#include "service/SecretToken.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <mutex>
#include <thread>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 ALICE = 1, BOB = 2, CAROL = 3;
constexpr Poco::Int64 HOUR = 3600 * 1000LL;

class RecordingNotifier : public Notifier
{
public:
	void notify(const Notice& notice) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		notices.push_back(notice);
	}
	void resolve(const std::string&, const std::string&) override {}
	std::vector<Notice> notices;

private:
	std::mutex _mutex;
};

InviteForm form(const std::string& name, const std::string& mobile)
{
	InviteForm f;
	f.name = name;
	f.mobile = mobile;
	f.company = "远山贸易";
	f.title = "经理";
	return f;
}

InvitationSettings settings(int ttlHours, std::optional<int> maxUses = std::nullopt)
{
	InvitationSettings s;
	s.ttlHours = ttlHours;
	s.maxUses = maxUses;
	return s;
}

Poco::Int64 scalar(PluginBackend& b, const std::string& sql)
{
	Poco::Data::Session s = b.database().session();
	Poco::Int64 n = 0;
	s << sql, into(n), now;
	return n;
}

// A WeChat profile the landing page of invitationId obtained, usable by
// the form under reference until expiresAt (as WeChatAuthService stores it).
void storeProfile(PluginBackend& b, InvitationService& service, Poco::Int64 invitationId, const std::string& reference,
				  const std::string& openid, const std::string& nickname, Poco::Int64 expiresAt)
{
	Poco::Int64 at = b.directory().nowMs();
	std::string state = SecretToken::generate();
	b.database().write(
		[&](Poco::Data::Session& s)
		{
			service.store().insertAuthorization(s, invitationId, 0, SecretToken::hash(state),
												SecretToken::hash("browser"), at, at + HOUR);
			std::optional<InvitationStore::WeChatAuthorization> a =
				service.store().authorizationByState(s, SecretToken::hash(state));
			InvitationStore::WeChatAuthorization p;
			p.openid = openid;
			p.nickname = nickname;
			p.avatarUrl = "https://thirdwx.qlogo.cn/mmopen/" + openid + ".png";
			service.store().storeProfile(s, a->id, SecretToken::hash(reference), p, expiresAt);
		});
}

} // namespace

class InvitationServiceTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(InvitationServiceTest);
	CPPUNIT_TEST(testTokensAreKeptOnlyAsHashes);
	CPPUNIT_TEST(testListRevokeAndRegenerate);
	CPPUNIT_TEST(testCreateRegenerateAndRevokeAreAudited);
	CPPUNIT_TEST(testBadSettingsAndOutsidersWriteNothing);
	CPPUNIT_TEST(testLinksExpire);
	CPPUNIT_TEST(testUseLimitHoldsUnderFiftyConcurrentSubmissions);
	CPPUNIT_TEST(testRateLimits);
	CPPUNIT_TEST(testDuplicateRule);
	CPPUNIT_TEST(testAnInviterWhoLeftEndsTheLink);
	CPPUNIT_TEST(testAWeChatProfileIsBoundOnce);
	CPPUNIT_TEST(testAVisitorDoesNotReplaceAnExistingContactsWeChat);
	CPPUNIT_TEST(testFormProblems);
	CPPUNIT_TEST_SUITE_END();

public:
	void testTokensAreKeptOnlyAsHashes()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				InvitationService::Issued issued = service.create(PluginBackend::member(BOB), InvitationSettings());
				CPPUNIT_ASSERT_EQUAL(std::size_t(43), issued.token.size());
				CPPUNIT_ASSERT(SecretToken::wellFormed(issued.token));
				CPPUNIT_ASSERT_EQUAL(Invitation::TTL_HOURS_DEFAULT, issued.invitation.ttlHours);
				CPPUNIT_ASSERT_EQUAL(issued.invitation.createdAt + 7 * 24 * HOUR, issued.invitation.expiresAt);
				CPPUNIT_ASSERT(!issued.invitation.maxUses);
				// The row holds the hash, nowhere the token.
				Poco::Data::Session s = b.database().session();
				std::string stored;
				s << "SELECT token_hash FROM ec_invitations WHERE id = ?", use(issued.invitation.id), into(stored), now;
				CPPUNIT_ASSERT_EQUAL(SecretToken::hash(issued.token), stored);
				CPPUNIT_ASSERT(stored != issued.token);
				std::string like = "%" + issued.token + "%";
				Poco::Int64 found = 0;
				s << "SELECT COUNT(*) FROM ec_invitations WHERE token_hash LIKE ?", use(like), into(found), now;
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), found);
				// Two links never share a token.
				InvitationService::Issued other = service.create(PluginBackend::member(BOB), InvitationSettings());
				CPPUNIT_ASSERT(other.token != issued.token);
				// The link opens with inviter and org; a near miss does not.
				InvitationService::Landing landing = service.open(issued.token);
				CPPUNIT_ASSERT_EQUAL(std::string("Bob"), landing.inviterName);
				CPPUNIT_ASSERT_EQUAL(std::string("组织 1"), landing.orgName);
				std::string near = issued.token;
				near[5] = near[5] == 'A' ? 'B' : 'A';
				expectThrow<InvitationNotFoundException>([&] { service.open(near); }, "a changed token");
				expectThrow<InvitationNotFoundException>([&] { service.open(issued.token + "x"); }, "a longer token");
				expectThrow<InvitationNotFoundException>([&] { service.open(""); }, "no token");
				// The QR code needs the token of the caller's own link.
				service.requireOwn(PluginBackend::member(BOB), issued.invitation.id, issued.token);
				expectThrow<InvitationNotFoundException>(
					[&] { service.requireOwn(PluginBackend::member(BOB), issued.invitation.id, other.token); },
					"another link's token");
				expectThrow<InvitationNotFoundException>(
					[&] { service.requireOwn(PluginBackend::member(CAROL), issued.invitation.id, issued.token); },
					"another member");
			});
	}

	void testListRevokeAndRegenerate()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				Actor bob = PluginBackend::member(BOB);
				std::vector<InvitationService::Issued> links;
				for (int i = 0; i < 5; ++i)
					links.push_back(service.create(bob, settings(24 + i, i + 1)));
				service.create(PluginBackend::member(CAROL), InvitationSettings());
				// Newest first, two at a time, only Bob's.
				InvitationService::Page first = service.list(bob, std::nullopt, 2);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), first.items.size());
				CPPUNIT_ASSERT_EQUAL(links[4].invitation.id, first.items[0].id);
				CPPUNIT_ASSERT_EQUAL(links[3].invitation.id, first.items[1].id);
				CPPUNIT_ASSERT(first.nextBefore);
				InvitationService::Page second = service.list(bob, first.nextBefore, 2);
				InvitationService::Page third = service.list(bob, second.nextBefore, 2);
				CPPUNIT_ASSERT_EQUAL(links[2].invitation.id, second.items[0].id);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), third.items.size());
				CPPUNIT_ASSERT_EQUAL(links[0].invitation.id, third.items[0].id);
				CPPUNIT_ASSERT(!third.nextBefore);
				expectThrow<ValidationError>([&] { service.list(bob, std::nullopt, 0); }, "limit 0");
				expectThrow<ValidationError>([&] { service.list(bob, std::nullopt, 101); }, "limit 101");

				// Revoke: the link is gone, again is fine, others may not.
				Invitation revoked = service.revoke(bob, links[0].invitation.id);
				CPPUNIT_ASSERT(revoked.stateAt(b.directory().nowMs()) == Invitation::State::Revoked);
				InvitationGoneException gone =
					expectThrow<InvitationGoneException>([&] { service.open(links[0].token); }, "revoked link");
				CPPUNIT_ASSERT(gone.reason() == InvitationGoneException::Reason::Revoked);
				CPPUNIT_ASSERT_EQUAL(*revoked.revokedAt, *service.revoke(bob, links[0].invitation.id).revokedAt);
				expectThrow<InvitationNotFoundException>(
					[&] { service.revoke(PluginBackend::member(CAROL), links[1].invitation.id); }, "Carol revokes");
				expectThrow<InvitationNotFoundException>([&] { service.revoke(bob, 999999); }, "a missing link");
				service.open(links[1].token);

				// Regenerate: the old link stops, the new one keeps its settings.
				InvitationService::Issued renewed = service.regenerate(bob, links[1].invitation.id);
				CPPUNIT_ASSERT(renewed.revoked);
				CPPUNIT_ASSERT_EQUAL(links[1].invitation.id, renewed.revoked->id);
				CPPUNIT_ASSERT(renewed.revoked->revokedAt);
				CPPUNIT_ASSERT_EQUAL(25, renewed.invitation.ttlHours);
				CPPUNIT_ASSERT_EQUAL(2, *renewed.invitation.maxUses);
				CPPUNIT_ASSERT(renewed.token != links[1].token);
				expectThrow<InvitationGoneException>([&] { service.open(links[1].token); }, "the replaced link");
				CPPUNIT_ASSERT_EQUAL(renewed.invitation.id, service.open(renewed.token).invitation.id);
				expectThrow<InvitationNotFoundException>(
					[&] { service.regenerate(PluginBackend::member(CAROL), links[2].invitation.id); },
					"Carol regenerates");
			});
	}

	void testCreateRegenerateAndRevokeAreAudited()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				Actor bob = PluginBackend::member(BOB);
				auto noSecret = [](const AuditRow& row, const InvitationService::Issued& issued)
				{
					CPPUNIT_ASSERT(!row.mentions(issued.token));
					CPPUNIT_ASSERT(!row.mentions(issued.invitation.tokenHash));
					CPPUNIT_ASSERT(!row.mentions("token"));
				};
				InvitationService::Issued first = service.create(bob, settings(48, 3), "10.1.0.1");
				InvitationService::Issued second = service.create(bob, settings(24), "10.1.0.2");
				std::vector<AuditRow> created = auditRows(b, InvitationService::AUDIT_CREATE);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), created.size());
				const AuditRow& row = created[0];
				CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, row.orgId);
				CPPUNIT_ASSERT(!row.contactId);
				CPPUNIT_ASSERT_EQUAL(BOB, row.actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("10.1.0.1"), row.remoteAddr);
				CPPUNIT_ASSERT(!row.beforeJson);
				CPPUNIT_ASSERT(row.mentions("\"id\":" + std::to_string(first.invitation.id) + ","));
				CPPUNIT_ASSERT(row.mentions("\"expiresAt\":" + std::to_string(first.invitation.expiresAt)));
				CPPUNIT_ASSERT(row.mentions("\"maxUses\":3"));
				CPPUNIT_ASSERT(created[1].mentions("\"maxUses\":null"));
				noSecret(row, first);
				noSecret(created[1], second);

				// Refused: bad settings, another member's link, a missing one.
				expectThrow<ValidationError>([&] { service.create(bob, settings(0)); }, "ttl 0");
				expectThrow<InvitationNotFoundException>(
					[&] { service.revoke(PluginBackend::member(CAROL), first.invitation.id); }, "Carol revokes");
				expectThrow<InvitationNotFoundException>(
					[&] { service.regenerate(PluginBackend::member(CAROL), second.invitation.id); },
					"Carol regenerates");
				expectThrow<InvitationNotFoundException>([&] { service.revoke(bob, 999999); }, "a missing link");
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), auditRows(b, InvitationService::AUDIT_CREATE).size());
				CPPUNIT_ASSERT(auditRows(b, InvitationService::AUDIT_REVOKE).empty());
				CPPUNIT_ASSERT(auditRows(b, InvitationService::AUDIT_REGENERATE).empty());

				// Revoke: one row, before active and after revoked; again writes none.
				Invitation revoked = service.revoke(bob, first.invitation.id, "10.1.0.3");
				service.revoke(bob, first.invitation.id, "10.1.0.3");
				std::vector<AuditRow> revokes = auditRows(b, InvitationService::AUDIT_REVOKE);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), revokes.size());
				CPPUNIT_ASSERT(!revokes[0].contactId);
				CPPUNIT_ASSERT_EQUAL(BOB, revokes[0].actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("10.1.0.3"), revokes[0].remoteAddr);
				CPPUNIT_ASSERT(revokes[0].beforeJson && revokes[0].beforeJson->find("revokedAt") == std::string::npos);
				CPPUNIT_ASSERT(revokes[0].afterJson->find("\"revokedAt\":" + std::to_string(*revoked.revokedAt)) !=
							   std::string::npos);
				noSecret(revokes[0], first);

				// Regenerate: one row naming the old and the new link, no create or revoke row.
				InvitationService::Issued renewed = service.regenerate(bob, second.invitation.id, "10.1.0.4");
				std::vector<AuditRow> regenerated = auditRows(b, InvitationService::AUDIT_REGENERATE);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), regenerated.size());
				CPPUNIT_ASSERT(!regenerated[0].contactId);
				CPPUNIT_ASSERT_EQUAL(BOB, regenerated[0].actorId);
				CPPUNIT_ASSERT(regenerated[0].beforeJson->find("\"id\":" + std::to_string(second.invitation.id) +
															   ",") != std::string::npos);
				CPPUNIT_ASSERT(regenerated[0].beforeJson->find("revokedAt") != std::string::npos);
				CPPUNIT_ASSERT(regenerated[0].afterJson->find("\"id\":" + std::to_string(renewed.invitation.id) +
															  ",") != std::string::npos);
				noSecret(regenerated[0], second);
				noSecret(regenerated[0], renewed);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), auditRows(b, InvitationService::AUDIT_CREATE).size());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), auditRows(b, InvitationService::AUDIT_REVOKE).size());
			});
	}

	void testBadSettingsAndOutsidersWriteNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				Actor bob = PluginBackend::member(BOB);
				for (int ttl : {0, -1, 721})
				{
					ValidationError e =
						expectThrow<ValidationError>([&] { service.create(bob, settings(ttl)); }, "ttl");
					CPPUNIT_ASSERT_EQUAL(std::string("ttlHours"), e.field());
				}
				for (int uses : {0, -3, 1001})
				{
					ValidationError e =
						expectThrow<ValidationError>([&] { service.create(bob, settings(24, uses)); }, "maxUses");
					CPPUNIT_ASSERT_EQUAL(std::string("maxUses"), e.field());
				}
				expectThrow<AccessDeniedException>(
					[&] { service.create(PluginBackend::external(40), InvitationSettings()); }, "an external user");
				expectThrow<AccessDeniedException>([&] { service.list(PluginBackend::external(40), std::nullopt, 10); },
												   "an external user lists");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_invitations"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_rate_counters"));
				// The bounds themselves are fine.
				service.create(bob, settings(1, 1));
				service.create(bob, settings(720, 1000));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), b.count("ec_invitations"));
			});
	}

	void testLinksExpire()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				InvitationService::Issued issued = service.create(PluginBackend::member(BOB), settings(1));
				b.directory().advance(HOUR - 1000);
				service.open(issued.token);
				b.directory().advance(1000);
				InvitationGoneException gone =
					expectThrow<InvitationGoneException>([&] { service.open(issued.token); }, "an expired link");
				CPPUNIT_ASSERT(gone.reason() == InvitationGoneException::Reason::Expired);
				expectThrow<InvitationGoneException>(
					[&] { service.join(issued.token, form("王五", "13900000001"), "", "10.0.0.1"); }, "join");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
				InvitationService::Page page = service.list(PluginBackend::member(BOB), std::nullopt, 10);
				CPPUNIT_ASSERT_EQUAL(std::string("expired"),
									 std::string(Invitation::stateName(page.items[0].stateAt(b.directory().nowMs()))));
			});
	}

	void testUseLimitHoldsUnderFiftyConcurrentSubmissions()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				// A pool for 50 threads at once (POCO's pool throws when empty).
				ExternalContacts::Database wide(b.database().connector(), b.database().connectionString(), 64);
				ServiceContext context(wide, b.directory());
				ContactService contacts(context);
				RecordingNotifier notifier;
				InvitationService::Limits limits;
				limits.joinsPerAddress = 1000;
				InvitationService service(context, contacts, notifier, limits);
				InvitationService::Issued issued = service.create(PluginBackend::member(BOB), settings(24, 5));
				std::atomic<int> joined{0}, usedUp{0}, other{0};
				std::atomic<bool> go{false};
				std::vector<std::thread> threads;
				for (int i = 0; i < 50; ++i)
				{
					threads.emplace_back(
						[&, i]
						{
							while (!go.load())
								std::this_thread::yield();
							try
							{
								service.join(issued.token,
											 form("访客" + std::to_string(i), "1370000" + std::to_string(1000 + i)), "",
											 "10.0.1." + std::to_string(i));
								++joined;
							}
							catch (const InvitationGoneException& e)
							{
								if (e.reason() == InvitationGoneException::Reason::UsedUp)
									++usedUp;
								else
									++other;
							}
							catch (...)
							{
								++other;
							}
						});
				}
				go = true;
				for (std::thread& t : threads)
					t.join();
				CPPUNIT_ASSERT_EQUAL(5, joined.load());
				CPPUNIT_ASSERT_EQUAL(45, usedUp.load());
				CPPUNIT_ASSERT_EQUAL(0, other.load());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), scalar(b, "SELECT uses FROM ec_invitations"));
				CPPUNIT_ASSERT_EQUAL(
					Poco::Int64(5),
					scalar(b, "SELECT COUNT(*) FROM ec_contacts WHERE source = 'wechat_invite' AND added_by = 2"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(5), notifier.notices.size());
				CPPUNIT_ASSERT_EQUAL(InvitationService::NOTICE_TYPE, notifier.notices[0].type);
				CPPUNIT_ASSERT((notifier.notices[0].userIds == std::vector<Poco::Int64>{BOB}));
				InvitationGoneException gone =
					expectThrow<InvitationGoneException>([&] { service.open(issued.token); }, "a used-up link");
				CPPUNIT_ASSERT(gone.reason() == InvitationGoneException::Reason::UsedUp);
			});
	}

	void testRateLimits()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService::Limits limits;
				limits.createsPerMember = 3;
				limits.activePerMember = 5;
				limits.joinsPerAddress = 2;
				InvitationService service(b.context(), b.service(), notifier, limits);
				Actor bob = PluginBackend::member(BOB);
				std::vector<InvitationService::Issued> links;
				for (int i = 0; i < 3; ++i)
					links.push_back(service.create(bob, settings(2)));
				RateLimitedException limited =
					expectThrow<RateLimitedException>([&] { service.create(bob, settings(2)); }, "a fourth link");
				CPPUNIT_ASSERT_EQUAL(std::string("rate_limited"), limited.code());
				CPPUNIT_ASSERT(limited.retryAfterSeconds() >= 1 && limited.retryAfterSeconds() <= 600);
				// Another member has their own budget.
				service.create(PluginBackend::member(CAROL), settings(2));
				// The next window allows three more; the fifth active link is
				// the cap, which lasts until the earliest link expires.
				b.directory().advance(10 * 60 * 1000);
				links.push_back(service.create(bob, settings(2)));
				links.push_back(service.create(bob, settings(2)));
				RateLimitedException cap =
					expectThrow<RateLimitedException>([&] { service.create(bob, settings(2)); }, "a sixth active");
				CPPUNIT_ASSERT_EQUAL(std::string("too_many_active"), cap.code());
				CPPUNIT_ASSERT(cap.retryAfterSeconds() > 3000 && cap.retryAfterSeconds() <= 2 * 3600 - 600);
				// Refusals at the cap did not use up the budget: revoking one makes room.
				expectThrow<RateLimitedException>([&] { service.create(bob, settings(2)); }, "again at the cap");
				service.revoke(bob, links[0].invitation.id);
				links.push_back(service.create(bob, settings(2)));
				service.revoke(bob, links.back().invitation.id);
				b.directory().advance(10 * 60 * 1000);
				links.push_back(service.create(bob, settings(2)));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(8), b.count("ec_invitations"));

				// Submissions per address.
				service.join(links[1].token, form("甲", "13600000001"), "", "10.9.9.9");
				service.join(links[1].token, form("乙", "13600000002"), "", "10.9.9.9");
				RateLimitedException joins = expectThrow<RateLimitedException>(
					[&] { service.join(links[1].token, form("丙", "13600000003"), "", "10.9.9.9"); }, "a third join");
				CPPUNIT_ASSERT_EQUAL(std::string("rate_limited"), joins.code());
				service.join(links[1].token, form("丙", "13600000003"), "", "10.9.9.10");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), b.count("ec_contacts"));
			});
	}

	void testDuplicateRule()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				ContactFields mine = PluginBackend::draft("王五", "远山");
				mine.mobile = "139-0000-0001";
				Poco::Int64 bobs = b.service().create(PluginBackend::member(BOB), mine, "").contact.id;
				ContactFields carols = PluginBackend::draft("赵六", "远山");
				carols.mobile = "13900000002";
				b.service().create(PluginBackend::member(CAROL), carols, "");
				InvitationService::Issued issued = service.create(PluginBackend::member(BOB), InvitationSettings());

				// Bob already has this person: no second contact, the answer is recorded.
				InvitationService::Joined again =
					service.join(issued.token, form("王五", "13900000001"), "", "10.0.0.7");
				CPPUNIT_ASSERT(!again.created);
				CPPUNIT_ASSERT_EQUAL(bobs, again.contactId);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), b.count("ec_contacts"));
				Poco::Data::Session s = b.database().session();
				Poco::Int64 audits = 0;
				s << "SELECT COUNT(*) FROM ec_audit WHERE contact_id = ? AND action = 'contact.invite_join'", use(bobs),
					into(audits), now;
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), audits);
				CPPUNIT_ASSERT(notifier.notices.back().body.zhCN.find("未重复添加") != std::string::npos);

				// Carol's contact is not Bob's to see: Bob gets his own.
				InvitationService::Joined fresh =
					service.join(issued.token, form("赵六", "13900000002"), "", "10.0.0.8");
				CPPUNIT_ASSERT(fresh.created);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), b.count("ec_contacts"));
				std::optional<ContactView> view = b.service().get(PluginBackend::member(BOB), fresh.contactId);
				CPPUNIT_ASSERT(view);
				CPPUNIT_ASSERT(view->contact.source == ContactSource::WechatInvite);
				CPPUNIT_ASSERT_EQUAL(std::string("远山贸易"), *view->contact.company);
				CPPUNIT_ASSERT_EQUAL(BOB, view->contact.addedBy);
				CPPUNIT_ASSERT((view->contact.visibleMembers == std::vector<Poco::Int64>{BOB}));
				CPPUNIT_ASSERT_EQUAL(-5, view->contact.securityLevel);
				CPPUNIT_ASSERT(!view->wechat);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), scalar(b, "SELECT uses FROM ec_invitations"));
			});
	}

	void testAnInviterWhoLeftEndsTheLink()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				InvitationService::Issued issued = service.create(PluginBackend::member(CAROL), InvitationSettings());
				b.directory().removeMember(PluginBackend::ORG, CAROL);
				InvitationGoneException gone =
					expectThrow<InvitationGoneException>([&] { service.open(issued.token); }, "inviter left");
				CPPUNIT_ASSERT(gone.reason() == InvitationGoneException::Reason::InviterLeft);
				expectThrow<InvitationGoneException>(
					[&] { service.join(issued.token, form("钱七", "13500000001"), "", "10.0.0.1"); }, "join");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), scalar(b, "SELECT uses FROM ec_invitations"));
			});
	}

	void testAWeChatProfileIsBoundOnce()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				InvitationService::Issued issued = service.create(PluginBackend::member(BOB), InvitationSettings());
				InvitationService::Issued other = service.create(PluginBackend::member(BOB), InvitationSettings());
				Poco::Int64 at = b.directory().nowMs();
				auto profile = [&](Poco::Int64 invitationId, const std::string& reference, Poco::Int64 expiresAt)
				{
					std::string state = SecretToken::generate();
					b.database().write(
						[&](Poco::Data::Session& s)
						{
							service.store().insertAuthorization(s, invitationId, 0, SecretToken::hash(state),
																SecretToken::hash("browser"), at, at + HOUR);
							std::optional<InvitationStore::WeChatAuthorization> a =
								service.store().authorizationByState(s, SecretToken::hash(state));
							InvitationStore::WeChatAuthorization p;
							p.openid = "o-" + reference.substr(0, 8);
							p.unionid = "u-" + reference.substr(0, 8);
							p.nickname = "微信用户小王";
							p.avatarUrl = "https://thirdwx.qlogo.cn/mmopen/a.png";
							service.store().storeProfile(s, a->id, SecretToken::hash(reference), p, expiresAt);
						});
				};
				std::string good = SecretToken::generate(), foreign = SecretToken::generate(),
							stale = SecretToken::generate();
				profile(issued.invitation.id, good, at + HOUR);
				profile(other.invitation.id, foreign, at + HOUR);
				profile(issued.invitation.id, stale, at + 5);
				b.directory().advance(10);

				for (const std::string& bad : {foreign, stale, SecretToken::generate(), std::string("not-a-token")})
				{
					ValidationError e = expectThrow<ValidationError>(
						[&] { service.join(issued.token, form("小王", "13300000001"), bad, "10.0.0.1"); }, "bad wx");
					CPPUNIT_ASSERT_EQUAL(std::string("wx"), e.field());
				}
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), scalar(b, "SELECT SUM(uses) FROM ec_invitations"));
				CPPUNIT_ASSERT(auditRows(b, InvitationService::AUDIT_WECHAT_BIND).empty());

				InvitationService::Joined joined =
					service.join(issued.token, form("小王", "13300000001"), good, "10.0.0.1");
				// The binding is audited on the contact, by the same actor as the join, without the ids.
				std::vector<AuditRow> bound = auditRows(b, InvitationService::AUDIT_WECHAT_BIND);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), bound.size());
				CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, bound[0].orgId);
				CPPUNIT_ASSERT_EQUAL(joined.contactId, *bound[0].contactId);
				CPPUNIT_ASSERT_EQUAL(auditRows(b, InvitationService::AUDIT_JOIN).at(0).actorId, bound[0].actorId);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), bound[0].actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), bound[0].remoteAddr);
				CPPUNIT_ASSERT(!bound[0].beforeJson);
				CPPUNIT_ASSERT(bound[0].mentions("\"nickname\":\"微信用户小王\""));
				std::optional<ContactView> view = b.service().get(PluginBackend::member(BOB), joined.contactId);
				CPPUNIT_ASSERT(view && view->wechat);
				CPPUNIT_ASSERT(bound[0].mentions("\"boundAt\":" + std::to_string(view->wechat->boundAt)));
				CPPUNIT_ASSERT(!bound[0].mentions("o-" + good.substr(0, 8)));
				CPPUNIT_ASSERT(!bound[0].mentions("u-" + good.substr(0, 8)));
				CPPUNIT_ASSERT(!bound[0].mentions("openid") && !bound[0].mentions("unionid"));
				CPPUNIT_ASSERT_EQUAL(std::string("微信用户小王"), view->wechat->nickname);
				CPPUNIT_ASSERT_EQUAL("o-" + good.substr(0, 8), view->wechat->openid);
				CPPUNIT_ASSERT_EQUAL("u-" + good.substr(0, 8), view->wechat->unionid);
				// The same profile does not bind a second submission; nothing of it stays.
				ValidationError twice = expectThrow<ValidationError>(
					[&] { service.join(issued.token, form("小王", "13300000009"), good, "10.0.0.1"); }, "twice");
				CPPUNIT_ASSERT_EQUAL(std::string("wx"), twice.field());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_wechat"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), scalar(b, "SELECT SUM(uses) FROM ec_invitations"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), auditRows(b, InvitationService::AUDIT_WECHAT_BIND).size());
				// A join without WeChat binds nothing and writes no binding row.
				service.join(other.token, form("小李", "13300000002"), "", "10.0.0.2");
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), auditRows(b, InvitationService::AUDIT_WECHAT_BIND).size());
			});
	}

	void testAVisitorDoesNotReplaceAnExistingContactsWeChat()
	{
		// Security review, issue 14, finding 3: an anonymous visitor whose
		// mobile matches an existing contact must not overwrite the WeChat
		// identity bound to it.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				RecordingNotifier notifier;
				InvitationService service(b.context(), b.service(), notifier);
				ContactFields known = PluginBackend::draft("王五", "远山");
				known.mobile = "13700000001";
				Poco::Int64 id = b.service().create(PluginBackend::member(BOB), known, "").contact.id;
				WeChatIdentity owner;
				owner.openid = "oOwner";
				owner.nickname = "王五本人";
				owner.boundAt = 1767225600000;
				b.database().write([&](Poco::Data::Session& s)
								   { service.store().bindContact(s, PluginBackend::ORG, id, owner); });
				InvitationService::Issued issued = service.create(PluginBackend::member(BOB), InvitationSettings());
				std::string reference = SecretToken::generate();
				storeProfile(b, service, issued.invitation.id, reference, "oVisitor", "冒充者",
							 b.directory().nowMs() + HOUR);

				InvitationService::Joined joined =
					service.join(issued.token, form("王五", "137-0000-0001"), reference, "10.0.0.66");
				CPPUNIT_ASSERT(!joined.created);
				CPPUNIT_ASSERT_EQUAL(id, joined.contactId);
				std::optional<ContactView> view = b.service().get(PluginBackend::member(BOB), id);
				CPPUNIT_ASSERT(view && view->wechat);
				CPPUNIT_ASSERT_EQUAL_MESSAGE("[" + b.name() + "] the visitor replaced the contact's WeChat",
											 std::string("oOwner"), view->wechat->openid);
				CPPUNIT_ASSERT_EQUAL(std::string("王五本人"), view->wechat->nickname);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_wechat"));
				CPPUNIT_ASSERT(auditRows(b, InvitationService::AUDIT_WECHAT_BIND).empty());
				// It is only proposed, for the inviter to confirm or ignore.
				CPPUNIT_ASSERT(joined.proposalId);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1),
									 scalar(b, "SELECT COUNT(*) FROM ec_wechat_proposals WHERE "
											   "status = 'pending' AND openid = 'oVisitor' AND contact_id = " +
												   std::to_string(id)));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), auditRows(b, "wechat.bind_proposed").size());
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), notifier.notices.back().actions.size());
			});
	}

	void testFormProblems()
	{
		InviteForm empty;
		std::vector<InviteForm::Problem> p = empty.problems();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.size());
		CPPUNIT_ASSERT_EQUAL(std::string("name"), p[0].field);
		CPPUNIT_ASSERT_EQUAL(std::string("required"), p[0].kind);
		CPPUNIT_ASSERT_EQUAL(std::string("mobile"), p[1].field);
		InviteForm bad = form("张三", "12ab");
		bad.company = std::string(101, 'x');
		bad.title = "经理\x01";
		p = bad.problems();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.size());
		CPPUNIT_ASSERT_EQUAL(std::string("mobile"), p[0].field);
		CPPUNIT_ASSERT_EQUAL(std::string("invalid"), p[0].kind);
		CPPUNIT_ASSERT_EQUAL(std::string("company"), p[1].field);
		CPPUNIT_ASSERT_EQUAL(std::string("too_long"), p[1].kind);
		CPPUNIT_ASSERT_EQUAL(std::string("title"), p[2].field);
		CPPUNIT_ASSERT(form("张三", "+86 138-0000-0000").problems().empty());
		CPPUNIT_ASSERT(form(std::string(100 * 3, 'a').substr(0, 100), "13800000000").problems().empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(InvitationServiceTest);
