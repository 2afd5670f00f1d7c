// 从其他组织添加 (R5) on SQLite and MariaDB: search needs both fields and is
// masked, rate-limited and blind to undiscoverable members; a request is
// refused for oneself, one's own org, a duplicate pending one and an
// existing contact; accept makes the linked contact (source other_org) and
// the external membership, decline / cancel / expiry make none; an accept
// racing a cancel on real threads ends in exactly one state; a host that
// cannot add the membership leaves no half state; deleting the contact ends
// the membership. Send, accept, decline, cancel and expiry are audited in
// the requester's org; a refused action writes no row.
#include "AuditRows.h"
#include "Expect.h"
#include "PluginBackend.h"
#include "QueryPlans.h"

#include "domain/Invitation.h"
#include "domain/OrgRequest.h"
#include "domain/ValidationError.h"
#include "service/OrgRequestService.h"
#include "service/RateLimiter.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace ExternalContacts;

namespace
{

constexpr Poco::Int64 ALICE = 1, BOB = 2, ZHAO = 21, QIAN = 22, SUN = 23;
constexpr Poco::Int64 OTHER = PluginBackend::OTHER_ORG;

class Memberships : public AccountGateway
{
public:
	Created createPending(Poco::Int64, const std::string&, const std::string&, int) override
	{
		throw std::logic_error("not used");
	}
	Link reissueLink(Poco::Int64) override
	{
		throw std::logic_error("not used");
	}
	std::string status(Poco::Int64) override
	{
		return "active";
	}
	void disable(Poco::Int64) override {}
	void enable(Poco::Int64) override {}
	void addExternalMembership(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (fail) throw std::runtime_error("the host is unavailable");
		external.insert({orgId, userId});
		levels.push_back(securityLevel);
	}
	void setSecurityLevel(Poco::Int64, Poco::Int64, int) override {}
	void removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		external.erase({orgId, userId});
		++removals;
	}
	std::set<std::pair<Poco::Int64, Poco::Int64>> external;
	std::vector<int> levels;
	int removals = 0;
	bool fail = false;

private:
	std::mutex _mutex;
};

class Notices : public Notifier
{
public:
	void notify(const Notice& notice) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		sent.push_back(notice);
	}
	void resolve(const std::string& groupKey, const std::string& outcome) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		resolved.emplace_back(groupKey, outcome);
	}
	std::vector<Notice> sent;
	std::vector<std::pair<std::string, std::string>> resolved;

private:
	std::mutex _mutex;
};

struct World
/// Org 1 (组织 1): Alice and Bob. Org 2 (组织 2): Zhao (discoverable, with
/// mobile and email), Qian (discoverable), Sun (not discoverable).
{
	explicit World(PluginBackend& backend, OrgRequestService::Limits limits = roomy()) :
		b(backend), limiter(backend.database(), [&backend] { return backend.directory().nowMs(); }),
		service(backend.context(), backend.service(), accounts, notices, limiter, limits)
	{
		Directory::Profile zhao{"赵一", "采购经理", "zhao.yi@example.com", "138-0013-8000"};
		b.directory().setProfile(ZHAO, zhao);
		b.directory().setProfile(QIAN, {"钱二", "", "", ""});
		b.directory().setProfile(SUN, {"孙三", "", "sun@example.com", ""}, false);
		for (Poco::Int64 id : {ZHAO, QIAN, SUN})
			b.directory().addMember(OTHER, id);
	}

	static Actor in(Poco::Int64 user, Poco::Int64 org = PluginBackend::ORG)
	{
		return PluginBackend::member(user, org);
	}

	static OrgRequestService::Limits roomy()
	/// Limits the cases that are not about them do not reach.
	{
		OrgRequestService::Limits limits;
		limits.searchesPerMember = 1000;
		limits.requestsPerMember = 1000;
		return limits;
	}

	OrgRequest ask(const Actor& actor, Poco::Int64 org, Poco::Int64 user, const std::string& remoteAddr = "")
	/// As a member does it: a search by the person's name, then the request.
	{
		std::string name = b.directory().profileOf(user)->displayName;
		bool listed = false;
		for (const Directory::FoundMember& m : service.search(actor, b.directory().orgName(org), name).items)
			listed = listed || m.userId == user;
		CPPUNIT_ASSERT_MESSAGE("the search finds " + name, listed);
		return service.request(actor, org, user, remoteAddr);
	}

	PluginBackend& b;
	Memberships accounts;
	Notices notices;
	RateLimiter limiter;
	OrgRequestService service;
};

// The plan of sql (QueryPlans::explain), one line per step.
std::string planOf(PluginBackend& b, const std::string& sql)
{
	Poco::Data::Session s = b.database().session();
	std::string all;
	for (const std::string& line : QueryPlans::explain(s, b.database().dialect(), sql))
		all += line + "\n";
	return all;
}

} // namespace

class OrgRequestServiceTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(OrgRequestServiceTest);
	CPPUNIT_TEST(testSearchNeedsBothFieldsAndMasks);
	CPPUNIT_TEST(testSearchIsRateLimited);
	CPPUNIT_TEST(testBadRequestsAreRefused);
	CPPUNIT_TEST(testOnlyWhomTheCallersSearchFoundMayBeAsked);
	CPPUNIT_TEST(testRequestsAreRateLimited);
	CPPUNIT_TEST(testSearchResultsAreReadAndPrunedOnIndexes);
	CPPUNIT_TEST(testAcceptMakesTheLinkedContactAndTheMembership);
	CPPUNIT_TEST(testDeclineCancelAndExpiryMakeNoMembership);
	CPPUNIT_TEST(testEveryChangeIsAuditedInTheRequestersOrg);
	CPPUNIT_TEST(testAcceptRacingCancelEndsInOneState);
	CPPUNIT_TEST(testAHostFailureLeavesNoHalfState);
	CPPUNIT_TEST(testDeletingTheContactEndsTheMembership);
	CPPUNIT_TEST(testTheContactFollowsTheProfileAndALeaverIsUnlinked);
	CPPUNIT_TEST_SUITE_END();

public:
	void testSearchNeedsBothFieldsAndMasks()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Actor alice = World::in(ALICE);
				for (const auto& bad :
					 std::vector<std::pair<std::string, std::string>>{{"", "赵"},
																	  {"   ", "赵"},
																	  {"组织 2", ""},
																	  {"组织 2", " "},
																	  {"组织 2", std::string(65, 'a')},
																	  {std::string(101, 'x'), "赵"},
																	  {"组织 1", "赵"}})
				{
					ValidationError e = expectThrow<ValidationError>(
						[&] { w.service.search(alice, bad.first, bad.second); }, bad.first + "/" + bad.second);
					CPPUNIT_ASSERT_EQUAL(std::string(bad.first.empty() || bad.first == "   " ||
															 bad.first.size() > 100 || bad.first == "组织 1"
														 ? "orgName"
														 : "q"),
										 e.field());
				}
				Directory::Found byName = w.service.search(alice, "组织 2", "赵");
				CPPUNIT_ASSERT_EQUAL(OTHER, byName.orgId);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), byName.items.size());
				CPPUNIT_ASSERT_EQUAL(ZHAO, byName.items[0].userId);
				CPPUNIT_ASSERT_EQUAL(std::string("采购经理"), byName.items[0].title);
				CPPUNIT_ASSERT_EQUAL(std::string("138****8000"), byName.items[0].mobileMasked);
				CPPUNIT_ASSERT_EQUAL(std::string("z***@example.com"), byName.items[0].emailMasked);
				CPPUNIT_ASSERT_EQUAL(ZHAO, w.service.search(alice, "组织 2", "zhao.yi@example.com").items.at(0).userId);
				// Not discoverable: never found, by name or by email.
				CPPUNIT_ASSERT(w.service.search(alice, "组织 2", "孙").items.empty());
				CPPUNIT_ASSERT(w.service.search(alice, "组织 2", "sun@example.com").items.empty());
				// An unknown org finds nobody.
				Directory::Found none = w.service.search(alice, "没有这个组织", "赵");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), none.orgId);
				CPPUNIT_ASSERT(none.items.empty());
				expectThrow<AccessDeniedException>(
					[&] { w.service.search(PluginBackend::external(40), "组织 2", "赵"); }, "an external user");
			});
	}

	void testSearchIsRateLimited()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				OrgRequestService::Limits limits;
				limits.searchesPerMember = 3;
				World w(b, limits);
				for (int i = 0; i < 3; ++i)
					w.service.search(World::in(ALICE), "组织 2", "钱");
				RateLimitedException e = expectThrow<RateLimitedException>(
					[&] { w.service.search(World::in(ALICE), "组织 2", "钱"); }, "a fourth search");
				CPPUNIT_ASSERT_EQUAL(std::string("rate_limited"), e.code());
				CPPUNIT_ASSERT(e.retryAfterSeconds() >= 1 && e.retryAfterSeconds() <= 600);
				w.service.search(World::in(BOB), "组织 2", "钱"); // Bob has his own budget
				// Refused input does not count.
				b.directory().advance(600000);
				for (int i = 0; i < 5; ++i)
					expectThrow<ValidationError>([&] { w.service.search(World::in(ALICE), "", "钱"); }, "no org");
				w.service.search(World::in(ALICE), "组织 2", "钱");
			});
	}

	void testBadRequestsAreRefused()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Actor alice = World::in(ALICE);
				auto refused = [&](Poco::Int64 org, Poco::Int64 user, const std::string& field)
				{
					ValidationError e =
						expectThrow<ValidationError>([&] { w.service.request(alice, org, user); }, field);
					CPPUNIT_ASSERT_EQUAL(field, e.field());
				};
				refused(PluginBackend::ORG, BOB, "orgId"); // own org
				refused(OTHER, ALICE, "userId");           // oneself
				refused(OTHER, BOB, "userId");             // not a member there
				refused(OTHER, 999, "userId");             // unknown
				refused(0, ZHAO, "orgId");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_org_requests"));

				OrgRequest first = w.ask(alice, OTHER, ZHAO);
				CPPUNIT_ASSERT_EQUAL(std::string("赵一"), first.targetName);
				CPPUNIT_ASSERT_EQUAL(std::string("组织 2"), first.targetOrgName);
				CPPUNIT_ASSERT_EQUAL(first.createdAt + OrgRequest::TTL_MS, first.expiresAt);
				OrgRequestPendingException twice = expectThrow<OrgRequestPendingException>(
					[&] { w.ask(alice, OTHER, ZHAO); }, "a second pending request");
				CPPUNIT_ASSERT_EQUAL(first.id, twice.pendingId);
				// Zhao is told, in his org, with accept and decline.
				const Notifier::Notice& n = w.notices.sent.back();
				CPPUNIT_ASSERT_EQUAL(OrgRequestService::NOTICE_REQUEST, n.type);
				CPPUNIT_ASSERT_EQUAL(OTHER, n.orgId);
				CPPUNIT_ASSERT((n.userIds == std::vector<Poco::Int64>{ZHAO}));
				CPPUNIT_ASSERT_EQUAL(std::string("外部联系人申请"), n.title.zhCN);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), n.actions.size());
				CPPUNIT_ASSERT_EQUAL("/org-requests/" + std::to_string(first.id) + "/accept", n.actions[0].path);
				// Accepted: a further request is refused as an existing contact.
				w.service.accept(World::in(ZHAO, OTHER), first.id, "10.2.0.1");
				AlreadyContactException known =
					expectThrow<AlreadyContactException>([&] { w.ask(alice, OTHER, ZHAO); }, "an existing contact");
				CPPUNIT_ASSERT(known.visibleContactId);
				// Bob cannot see Alice's contact: still refused, without naming it.
				AlreadyContactException hidden = expectThrow<AlreadyContactException>(
					[&] { w.ask(World::in(BOB), OTHER, ZHAO); }, "a contact Bob cannot see");
				CPPUNIT_ASSERT(!hidden.visibleContactId);
			});
	}

	void testOnlyWhomTheCallersSearchFoundMayBeAsked()
	{
		// Issue 14: POST /org-requests took any {orgId, userId}, so a member
		// could enumerate people (who exists, who is a member, their names)
		// and notify people who turned discoverability off.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Actor alice = World::in(ALICE);
				auto refusal = [&](const Actor& actor, Poco::Int64 user, const std::string& what)
				{
					ValidationError e =
						expectThrow<ValidationError>([&] { w.service.request(actor, OTHER, user); }, what);
					return std::make_pair(e.field(), std::string(e.message()));
				};
				// Not discoverable, not a member there, nobody, discoverable but
				// not searched: one answer, naming userId.
				std::vector<std::pair<std::string, std::string>> answers{
					refusal(alice, SUN, "not discoverable"), refusal(alice, BOB, "not a member there"),
					refusal(alice, 999, "no such user"), refusal(alice, QIAN, "not searched")};
				CPPUNIT_ASSERT_EQUAL(std::string("userId"), answers.front().first);
				for (const auto& answer : answers)
				{
					CPPUNIT_ASSERT_EQUAL(answers.front().first, answer.first);
					CPPUNIT_ASSERT_EQUAL(answers.front().second, answer.second);
				}
				CPPUNIT_ASSERT(w.notices.sent.empty());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_org_requests"));
				CPPUNIT_ASSERT(auditRows(b, OrgRequestService::AUDIT_SEND).empty());
				// A search that does not find Sun does not open him.
				CPPUNIT_ASSERT(w.service.search(alice, "组织 2", "孙").items.empty());
				CPPUNIT_ASSERT(refusal(alice, SUN, "searched, not found") == answers.front());
				// Bob's search does not open Zhao to Alice.
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.service.search(World::in(BOB), "组织 2", "赵").items.size());
				CPPUNIT_ASSERT(refusal(alice, ZHAO, "found by Bob") == answers.front());
				// The search is kept in the database: another node (its own
				// services over the same database) takes a request after it.
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.service.search(alice, "组织 2", "钱").items.size());
				RateLimiter otherLimiter(b.database(), [&b] { return b.directory().nowMs(); });
				Notices otherNotices;
				OrgRequestService otherNode(b.context(), b.service(), w.accounts, otherNotices, otherLimiter,
											OrgRequestService::Limits());
				CPPUNIT_ASSERT_EQUAL(QIAN, otherNode.request(alice, OTHER, QIAN).targetUserId);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), otherNotices.sent.size());
				// Found for an org: not for another org's id.
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.service.search(alice, "组织 2", "赵").items.size());
				ValidationError elsewhere = expectThrow<ValidationError>(
					[&] { w.service.request(alice, PluginBackend::OTHER_ORG + 1, ZHAO); }, "another org");
				CPPUNIT_ASSERT(std::make_pair(elsewhere.field(), std::string(elsewhere.message())) == answers.front());
				// A search is good for 30 minutes, then asked again.
				b.directory().advance(30 * 60 * 1000);
				CPPUNIT_ASSERT(refusal(alice, ZHAO, "a search 30 minutes old") == answers.front());
				// Who has left the org since the search: the same answer.
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.service.search(alice, "组织 2", "赵").items.size());
				b.directory().removeMember(OTHER, ZHAO);
				CPPUNIT_ASSERT(refusal(alice, ZHAO, "left since the search") == answers.front());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_org_requests"));
				// Searches past their time are pruned as new ones are kept.
				b.directory().advance(30 * 60 * 1000);
				w.service.search(alice, "组织 2", "钱");
				Poco::Data::Session s = b.database().session();
				Poco::Int64 stale = -1, kept = -1;
				Poco::Int64 at = b.directory().nowMs();
				s << "SELECT COUNT(*) FROM ec_org_search_results WHERE expires_at <= ?", Poco::Data::Keywords::use(at),
					Poco::Data::Keywords::into(stale), Poco::Data::Keywords::now;
				s << "SELECT COUNT(*) FROM ec_org_search_results", Poco::Data::Keywords::into(kept),
					Poco::Data::Keywords::now;
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), stale);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), kept);
			});
	}

	void testRequestsAreRateLimited()
	{
		// Issue 14: every request counts, refused ones too (each answer says
		// something about someone), per member and window.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				OrgRequestService::Limits limits = World::roomy();
				limits.requestsPerMember = 3;
				World w(b, limits);
				Actor alice = World::in(ALICE);
				expectThrow<ValidationError>([&] { w.service.request(alice, OTHER, 999); }, "nobody");
				w.ask(alice, OTHER, ZHAO);
				expectThrow<OrgRequestPendingException>([&] { w.service.request(alice, OTHER, ZHAO); }, "pending");
				w.service.search(alice, "组织 2", "钱二");
				RateLimitedException e = expectThrow<RateLimitedException>(
					[&] { w.service.request(alice, OTHER, QIAN); }, "a fourth request");
				CPPUNIT_ASSERT_EQUAL(std::string("rate_limited"), e.code());
				CPPUNIT_ASSERT(e.retryAfterSeconds() >= 1 && e.retryAfterSeconds() <= 3600);
				expectThrow<RateLimitedException>([&] { w.service.request(alice, OTHER, 999); },
												  "nobody, over the limit");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_org_requests"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notices.sent.size());
				// The own org is refused before counting (it tells nothing).
				expectThrow<ValidationError>([&] { w.service.request(alice, PluginBackend::ORG, BOB); }, "own org");
				w.ask(World::in(BOB), OTHER, QIAN); // Bob has his own budget
				b.directory().advance(limits.requestWindowMs);
				w.ask(alice, OTHER, QIAN);
			});
	}

	void testSearchResultsAreReadAndPrunedOnIndexes()
	{
		// The statements of OrgRequestStore::wasFound (the primary key) and
		// pruneFound (the expiry index): neither reads the whole table.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				for (int i = 0; i < 200; ++i)
					b.execute("INSERT INTO ec_org_search_results (org_id, requester_id, target_org_id, target_user_id, "
							  "expires_at) VALUES (1, " +
							  std::to_string(i % 20 + 1) + ", 2, " + std::to_string(100 + i) + ", " +
							  std::to_string(1000 + i * 10) + ")");
				b.execute(b.database().dialect() == Database::Dialect::SQLite ? "ANALYZE"
																			  : "ANALYZE TABLE ec_org_search_results");
				std::string found = planOf(b, "SELECT COUNT(*) FROM ec_org_search_results WHERE org_id = 1 AND "
											  "requester_id = 6 AND target_org_id = 2 AND target_user_id = 105 AND "
											  "expires_at > 1000");
				CPPUNIT_ASSERT_MESSAGE(found,
									   found.find("PRIMARY") != std::string::npos ||
										   found.find("sqlite_autoindex_ec_org_search_results") != std::string::npos);
				CPPUNIT_ASSERT_MESSAGE(found, found.find("SCAN") == std::string::npos &&
												  found.find("type=ALL") == std::string::npos);
				std::string pruned = planOf(b, "DELETE FROM ec_org_search_results WHERE expires_at <= 1030");
				CPPUNIT_ASSERT_MESSAGE(pruned, pruned.find("ix_ec_org_search_results_expiry") != std::string::npos);
				CPPUNIT_ASSERT_MESSAGE(pruned, pruned.find("SCAN") == std::string::npos &&
												   pruned.find("type=ALL") == std::string::npos);
			});
	}

	void testAcceptMakesTheLinkedContactAndTheMembership()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				OrgRequest r = w.ask(World::in(ALICE), OTHER, ZHAO);
				// Only Zhao answers; others do not see it.
				expectThrow<OrgRequestNotFoundException>([&] { w.service.accept(World::in(QIAN, OTHER), r.id, ""); },
														 "someone else accepts");
				expectThrow<OrgRequestNotFoundException>([&] { w.service.accept(World::in(ALICE), r.id, ""); },
														 "the requester accepts");
				expectThrow<OrgRequestNotFoundException>([&] { w.service.cancel(World::in(BOB), r.id); },
														 "another member cancels");
				OrgRequest accepted = w.service.accept(World::in(ZHAO, OTHER), r.id, "10.2.0.2");
				CPPUNIT_ASSERT(accepted.status == OrgRequest::Status::Accepted);
				CPPUNIT_ASSERT(accepted.contactId);
				CPPUNIT_ASSERT(w.accounts.external.count({PluginBackend::ORG, ZHAO}));
				CPPUNIT_ASSERT_EQUAL(-5, w.accounts.levels.back()); // the org's default level
				std::optional<ContactView> view = b.service().get(World::in(ALICE), *accepted.contactId);
				CPPUNIT_ASSERT(view);
				CPPUNIT_ASSERT(view->contact.source == ContactSource::OtherOrg);
				CPPUNIT_ASSERT_EQUAL(std::string("赵一"), view->contact.name);
				CPPUNIT_ASSERT_EQUAL(std::string("组织 2"), *view->contact.company);
				CPPUNIT_ASSERT_EQUAL(std::string("采购经理"), *view->contact.title);
				CPPUNIT_ASSERT_EQUAL(std::string("zhao.yi@example.com"), *view->contact.email);
				CPPUNIT_ASSERT_EQUAL(ALICE, view->contact.addedBy);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_links"));
				// Answered once; the requester is told; the notice is resolved.
				OrgRequestSettledException again = expectThrow<OrgRequestSettledException>(
					[&] { w.service.decline(World::in(ZHAO, OTHER), r.id); }, "decline after accept");
				CPPUNIT_ASSERT(again.status == OrgRequest::Status::Accepted);
				const Notifier::Notice& told = w.notices.sent.back();
				CPPUNIT_ASSERT_EQUAL(OrgRequestService::NOTICE_OUTCOME, told.type);
				CPPUNIT_ASSERT((told.userIds == std::vector<Poco::Int64>{ALICE}));
				CPPUNIT_ASSERT(told.title.zhCN.find("已通过") != std::string::npos);
				CPPUNIT_ASSERT_EQUAL("org-request:" + std::to_string(r.id), w.notices.resolved.back().first);
				// Both sides list it.
				CPPUNIT_ASSERT_EQUAL(r.id, w.service.outgoing(World::in(ALICE), std::nullopt, 10).items.at(0).id);
				CPPUNIT_ASSERT_EQUAL(r.id, w.service.incoming(World::in(ZHAO, OTHER), std::nullopt, 10).items.at(0).id);
				CPPUNIT_ASSERT(w.service.outgoing(World::in(BOB), std::nullopt, 10).items.empty());
			});
	}

	void testDeclineCancelAndExpiryMakeNoMembership()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				OrgRequest declined = w.ask(World::in(ALICE), OTHER, ZHAO);
				w.service.decline(World::in(ZHAO, OTHER), declined.id);
				CPPUNIT_ASSERT(w.notices.sent.back().title.zhCN.find("拒绝") != std::string::npos);
				OrgRequest cancelled = w.ask(World::in(ALICE), OTHER, ZHAO); // may ask again
				w.service.cancel(World::in(ALICE), cancelled.id);
				OrgRequestSettledException late = expectThrow<OrgRequestSettledException>(
					[&] { w.service.accept(World::in(ZHAO, OTHER), cancelled.id, ""); }, "accept a cancelled one");
				CPPUNIT_ASSERT(late.status == OrgRequest::Status::Cancelled);
				OrgRequest expiring = w.ask(World::in(BOB), OTHER, QIAN);
				b.directory().advance(OrgRequest::TTL_MS);
				OrgRequestSettledException expired = expectThrow<OrgRequestSettledException>(
					[&] { w.service.accept(World::in(QIAN, OTHER), expiring.id, ""); }, "accept an expired one");
				CPPUNIT_ASSERT(expired.status == OrgRequest::Status::Expired);
				CPPUNIT_ASSERT_EQUAL(std::string("expired"), std::string(OrgRequest::statusName(
																 w.service.outgoing(World::in(BOB), std::nullopt, 10)
																	 .items.at(0)
																	 .statusAt(b.directory().nowMs()))));
				// An expired request does not block a new one.
				w.ask(World::in(BOB), OTHER, QIAN);
				CPPUNIT_ASSERT(w.accounts.external.empty());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
			});
	}

	void testEveryChangeIsAuditedInTheRequestersOrg()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				auto idOf = [](const OrgRequest& r) { return "\"id\":" + std::to_string(r.id) + ","; };
				auto rows = [&](const std::string& action) { return auditRows(b, action); };
				// Send: by the requester, in their org, about no contact.
				OrgRequest declined = w.ask(World::in(ALICE), OTHER, ZHAO, "10.3.0.1");
				std::vector<AuditRow> sent = rows(OrgRequestService::AUDIT_SEND);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), sent.size());
				CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, sent[0].orgId);
				CPPUNIT_ASSERT(!sent[0].contactId);
				CPPUNIT_ASSERT_EQUAL(ALICE, sent[0].actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("10.3.0.1"), sent[0].remoteAddr);
				CPPUNIT_ASSERT(!sent[0].beforeJson);
				CPPUNIT_ASSERT(sent[0].mentions(idOf(declined)));
				CPPUNIT_ASSERT(sent[0].mentions("\"status\":\"pending\""));
				CPPUNIT_ASSERT(sent[0].mentions("\"targetUserId\":" + std::to_string(ZHAO)));
				// Refused: another member cancels, someone else declines; no row.
				expectThrow<OrgRequestNotFoundException>([&] { w.service.cancel(World::in(BOB), declined.id); },
														 "Bob cancels");
				expectThrow<OrgRequestNotFoundException>(
					[&] { w.service.decline(World::in(QIAN, OTHER), declined.id); }, "Qian declines");
				expectThrow<OrgRequestPendingException>([&] { w.ask(World::in(ALICE), OTHER, ZHAO); },
														"a second pending request");
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows(OrgRequestService::AUDIT_SEND).size());
				CPPUNIT_ASSERT(rows(OrgRequestService::AUDIT_CANCEL).empty());
				CPPUNIT_ASSERT(rows(OrgRequestService::AUDIT_DECLINE).empty());

				// Decline: by the person (of the other org), in the requester's org.
				w.service.decline(World::in(ZHAO, OTHER), declined.id, "10.3.0.2");
				std::vector<AuditRow> declines = rows(OrgRequestService::AUDIT_DECLINE);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), declines.size());
				CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, declines[0].orgId);
				CPPUNIT_ASSERT(!declines[0].contactId);
				CPPUNIT_ASSERT_EQUAL(ZHAO, declines[0].actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("10.3.0.2"), declines[0].remoteAddr);
				CPPUNIT_ASSERT_EQUAL("{" + idOf(declined) + "\"status\":\"pending\"}", *declines[0].beforeJson);
				CPPUNIT_ASSERT(declines[0].afterJson->find("\"status\":\"declined\"") != std::string::npos);
				expectThrow<OrgRequestSettledException>([&] { w.service.decline(World::in(ZHAO, OTHER), declined.id); },
														"declined twice");
				expectThrow<OrgRequestSettledException>([&] { w.service.cancel(World::in(ALICE), declined.id); },
														"cancel a declined one");

				// Cancel: by the requester; declining it afterwards writes nothing.
				OrgRequest cancelled = w.ask(World::in(ALICE), OTHER, ZHAO, "10.3.0.3");
				w.service.cancel(World::in(ALICE), cancelled.id, "10.3.0.4");
				expectThrow<OrgRequestSettledException>(
					[&] { w.service.decline(World::in(ZHAO, OTHER), cancelled.id); }, "decline a cancelled one");
				std::vector<AuditRow> cancels = rows(OrgRequestService::AUDIT_CANCEL);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), cancels.size());
				CPPUNIT_ASSERT_EQUAL(ALICE, cancels[0].actorId);
				CPPUNIT_ASSERT(!cancels[0].contactId);
				CPPUNIT_ASSERT(cancels[0].mentions(idOf(cancelled)));
				CPPUNIT_ASSERT(cancels[0].afterJson->find("\"status\":\"cancelled\"") != std::string::npos);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows(OrgRequestService::AUDIT_DECLINE).size());

				// Accept: the contact's row is the acceptance's row (by the person,
				// in the requester's org); no second orgrequest row is written.
				Poco::Int64 before = b.count("ec_audit");
				OrgRequest accepted =
					w.service.accept(World::in(ZHAO, OTHER), w.ask(World::in(ALICE), OTHER, ZHAO).id, "10.3.0.5");
				CPPUNIT_ASSERT_EQUAL(before + 2, b.count("ec_audit")); // the send and the acceptance
				std::vector<AuditRow> acceptance = rows(OrgRequestService::AUDIT_ACCEPTED);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), acceptance.size());
				CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, acceptance[0].orgId);
				CPPUNIT_ASSERT_EQUAL(*accepted.contactId, *acceptance[0].contactId);
				CPPUNIT_ASSERT_EQUAL(ZHAO, acceptance[0].actorId);
				CPPUNIT_ASSERT_EQUAL(std::string("10.3.0.5"), acceptance[0].remoteAddr);

				// Expiry: written once, by the system, when a new request stores it.
				OrgRequest expiring = w.ask(World::in(BOB), OTHER, QIAN);
				b.directory().advance(OrgRequest::TTL_MS);
				expectThrow<OrgRequestSettledException>(
					[&] { w.service.accept(World::in(QIAN, OTHER), expiring.id, ""); }, "accept an expired one");
				expectThrow<OrgRequestSettledException>([&] { w.service.cancel(World::in(BOB), expiring.id); },
														"cancel an expired one");
				CPPUNIT_ASSERT(rows(OrgRequestService::AUDIT_EXPIRE).empty());
				CPPUNIT_ASSERT(rows(OrgRequestService::AUDIT_CANCEL).size() == 1);
				OrgRequest again = w.ask(World::in(BOB), OTHER, QIAN, "10.3.0.6");
				std::vector<AuditRow> expired = rows(OrgRequestService::AUDIT_EXPIRE);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), expired.size());
				CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, expired[0].orgId);
				CPPUNIT_ASSERT(!expired[0].contactId);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), expired[0].actorId);
				CPPUNIT_ASSERT_EQUAL("{" + idOf(expiring) + "\"status\":\"pending\"}", *expired[0].beforeJson);
				CPPUNIT_ASSERT(expired[0].afterJson->find("\"status\":\"expired\"") != std::string::npos);
				CPPUNIT_ASSERT(expired[0].afterJson->find("\"decidedAt\":" + std::to_string(expiring.expiresAt)) !=
							   std::string::npos);
				CPPUNIT_ASSERT(rows(OrgRequestService::AUDIT_SEND).back().mentions(idOf(again)));
				// Nothing more to expire: a refused request writes no row.
				expectThrow<OrgRequestPendingException>([&] { w.ask(World::in(BOB), OTHER, QIAN); }, "pending again");
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows(OrgRequestService::AUDIT_EXPIRE).size());
				CPPUNIT_ASSERT_EQUAL(std::size_t(5), rows(OrgRequestService::AUDIT_SEND).size());
			});
	}

	void testAcceptRacingCancelEndsInOneState()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				for (int round = 0; round < 30; ++round)
				{
					Poco::Int64 target = 100 + round;
					b.directory().setProfile(target, {"人" + std::to_string(round) + "号", "", "", ""});
					b.directory().addMember(OTHER, target);
					OrgRequest r = w.ask(World::in(ALICE), OTHER, target);
					std::atomic<bool> go{false};
					std::atomic<int> accepted{0}, cancelled{0}, refused{0};
					std::thread a(
						[&]
						{
							while (!go)
								std::this_thread::yield();
							try
							{
								w.service.accept(World::in(target, OTHER), r.id, "");
								++accepted;
							}
							catch (const OrgRequestSettledException&)
							{
								++refused;
							}
						});
					std::thread c(
						[&]
						{
							while (!go)
								std::this_thread::yield();
							try
							{
								w.service.cancel(World::in(ALICE), r.id);
								++cancelled;
							}
							catch (const OrgRequestSettledException&)
							{
								++refused;
							}
						});
					go = true;
					a.join();
					c.join();
					CPPUNIT_ASSERT_EQUAL_MESSAGE("round " + std::to_string(round), 1, accepted + cancelled);
					CPPUNIT_ASSERT_EQUAL(1, refused.load());
					bool member = w.accounts.external.count({PluginBackend::ORG, target}) > 0;
					CPPUNIT_ASSERT_EQUAL_MESSAGE("round " + std::to_string(round), accepted.load() == 1, member);
					Poco::Data::Session s = b.database().session();
					Poco::Int64 contacts = 0;
					s << "SELECT COUNT(*) FROM ec_contact_links WHERE user_id = ?", Poco::Data::Keywords::use(target),
						Poco::Data::Keywords::into(contacts), Poco::Data::Keywords::now;
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(accepted.load()), contacts);
				}
			});
	}

	void testAHostFailureLeavesNoHalfState()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				OrgRequest r = w.ask(World::in(ALICE), OTHER, ZHAO);
				w.accounts.fail = true;
				expectThrow<std::runtime_error>([&] { w.service.accept(World::in(ZHAO, OTHER), r.id, ""); },
												"the host fails");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_links"));
				CPPUNIT_ASSERT(w.service.outgoing(World::in(ALICE), std::nullopt, 1).items.at(0).status ==
							   OrgRequest::Status::Pending);
				CPPUNIT_ASSERT(w.service.search(World::in(ALICE), "组织 2", "赵").items.size() == 1);
				w.accounts.fail = false;
				OrgRequest accepted = w.service.accept(World::in(ZHAO, OTHER), r.id, "");
				CPPUNIT_ASSERT(accepted.contactId);
				CPPUNIT_ASSERT(w.accounts.external.count({PluginBackend::ORG, ZHAO}));
			});
	}

	void testDeletingTheContactEndsTheMembership()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				OrgRequest r = w.ask(World::in(ALICE), OTHER, ZHAO);
				OrgRequest accepted = w.service.accept(World::in(ZHAO, OTHER), r.id, "");
				b.service().remove(World::in(ALICE), *accepted.contactId, "");
				w.service.contactDeleted(PluginBackend::ORG, *accepted.contactId);
				CPPUNIT_ASSERT(w.accounts.external.empty());
				CPPUNIT_ASSERT_EQUAL(1, w.accounts.removals);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_links"));
				// A contact without a link changes nothing at the host.
				Poco::Int64 plain = b.create(ALICE, "普通联系人").contact.id;
				w.service.contactDeleted(PluginBackend::ORG, plain);
				CPPUNIT_ASSERT_EQUAL(1, w.accounts.removals);
				// The person may be asked again.
				w.ask(World::in(ALICE), OTHER, ZHAO);
			});
	}

	void testTheContactFollowsTheProfileAndALeaverIsUnlinked()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				OrgRequest accepted =
					w.service.accept(World::in(ZHAO, OTHER), w.ask(World::in(ALICE), OTHER, ZHAO).id, "");
				Poco::Int64 id = *accepted.contactId;
				Poco::Int64 version = b.service().get(World::in(ALICE), id)->contact.version;
				CPPUNIT_ASSERT_EQUAL(std::size_t(1),
									 w.service.profileChanged(ZHAO, {"赵一（远山）", "采购总监", "", "13900000000"}));
				ContactView view = *b.service().get(World::in(ALICE), id);
				CPPUNIT_ASSERT_EQUAL(std::string("赵一（远山）"), view.contact.name);
				CPPUNIT_ASSERT_EQUAL(std::string("采购总监"), *view.contact.title);
				CPPUNIT_ASSERT(!view.contact.email);
				CPPUNIT_ASSERT_EQUAL(std::string("13900000000"), *view.contact.mobile);
				CPPUNIT_ASSERT_EQUAL(version + 1, view.contact.version);
				CPPUNIT_ASSERT_EQUAL(std::string("组织 2"), *view.contact.company); // not part of the profile
				// The same profile again changes nothing; bad values are left out.
				CPPUNIT_ASSERT_EQUAL(std::size_t(0),
									 w.service.profileChanged(ZHAO, {"赵一（远山）", "采购总监", "", "13900000000"}));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.service.profileChanged(ZHAO, {"", "采购总监", "bad", "x"}));
				view = *b.service().get(World::in(ALICE), id);
				CPPUNIT_ASSERT_EQUAL(std::string("赵一（远山）"), view.contact.name);
				CPPUNIT_ASSERT(!view.contact.mobile);
				// Somebody without a linked contact: nothing.
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), w.service.profileChanged(QIAN, {"钱", "", "", ""}));
				// The person leaves the org: the contact stays, unlinked.
				w.service.personLeft(PluginBackend::ORG, ZHAO);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_links"));
				CPPUNIT_ASSERT(b.service().get(World::in(ALICE), id));
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), w.service.profileChanged(ZHAO, {"赵", "", "", ""}));
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(OrgRequestServiceTest);
