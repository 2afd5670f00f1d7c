// Hand-over when a member leaves the org (R9), on SQLite and MariaDB: the
// leaver's contacts pass to their group's maintainer, else to a
// maintain-holder, else to an admin; history rows, notifications, share
// lists and maintainer lists follow; batches, a re-run, an edit racing the
// hand-over, and a bad hook payload; the preview (member.will_leave_org)
// tells what the hand-over then does, also with a successor the admin chose.
#include "PluginBackend.h"

#include "domain/Exceptions.h"
#include "host/MemberHooks.h"
#include "service/EditConflict.h"
#include "service/GroupMaintainerService.h"
#include "service/HandOverService.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <hostsdk/Error.h>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 ALICE = 1, BOB = 2, CAROL = 3, DAVE = 4, ERIN = 5, FRANK = 6; // Frank: no member
const std::string MAINTAIN = "external_contacts.maintain";

class RecordingNotifier : public Notifier
{
public:
	void notify(const Notice& notice) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (fail) throw std::runtime_error("the notification centre is down");
		notices.push_back(notice);
	}

	void resolve(const std::string& groupKey, const std::string&) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		resolved.push_back(groupKey);
	}

	bool fail = false;
	std::vector<Notice> notices;
	std::vector<std::string> resolved;

private:
	std::mutex _mutex;
};

struct World
/// Alice (admin), Bob (leaves), Carol, Dave, Erin: members of ORG.
{
	explicit World(PluginBackend& backend) : b(backend), handOver(backend.context(), notifier)
	{
		b.directory().addUser(DAVE, "Dave");
		b.directory().addUser(ERIN, "Erin");
		b.directory().addMember(PluginBackend::ORG, DAVE);
		b.directory().addMember(PluginBackend::ORG, ERIN);
		b.directory().makeAdmin(PluginBackend::ORG, ALICE);
	}

	void setMaintainers(const std::string& group, const std::vector<Poco::Int64>& ids)
	{
		GroupMaintainerService maintainers(b.context());
		GroupMaintainers change;
		change.group = group;
		change.maintainers = ids;
		maintainers.set(PluginBackend::member(ALICE, PluginBackend::ORG, true), change, "10.0.0.1");
	}

	Poco::Int64 adderOf(Poco::Int64 id)
	{
		Poco::Data::Session s = b.database().session();
		Poco::Int64 adder = 0;
		s << "SELECT added_by FROM ec_contacts WHERE id = ?", use(id), into(adder), now;
		return adder;
	}

	Poco::Int64 versionOf(Poco::Int64 id)
	{
		Poco::Data::Session s = b.database().session();
		Poco::Int64 version = 0;
		s << "SELECT version FROM ec_contacts WHERE id = ?", use(id), into(version), now;
		return version;
	}

	std::vector<Poco::Int64> visibleOf(Poco::Int64 id)
	{
		Poco::Data::Session s = b.database().session();
		std::vector<Poco::Int64> ids;
		s << "SELECT member_id FROM ec_contact_visible_members WHERE contact_id = ? ORDER BY member_id", use(id),
			into(ids), now;
		return ids;
	}

	Poco::Int64 auditCount(const std::string& action)
	{
		Poco::Data::Session s = b.database().session();
		Poco::Int64 n = 0;
		s << "SELECT COUNT(*) FROM ec_audit WHERE action = ?", useRef(action), into(n), now;
		return n;
	}

	HandOverService::Result leave(Poco::Int64 who)
	{
		b.directory().removeMember(PluginBackend::ORG, who);
		return handOver.memberLeft(PluginBackend::ORG, who, ALICE, "");
	}

	std::vector<Poco::Int64> mine(Poco::Int64 who)
	{
		ListRequest request;
		request.limit = 100;
		std::vector<Poco::Int64> ids;
		for (const ContactView& v : b.service().list(PluginBackend::member(who), request).items)
			ids.push_back(v.contact.id);
		return ids;
	}

	PluginBackend& b;
	RecordingNotifier notifier;
	HandOverService handOver;
};

bool contains(const std::vector<Poco::Int64>& ids, Poco::Int64 id)
{
	return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace

class HandOverTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(HandOverTest);
	CPPUNIT_TEST(testContactsPassToMaintainersElseToAMaintainHolder);
	CPPUNIT_TEST(testAnAdminTakesThemWhenNobodyHoldsMaintain);
	CPPUNIT_TEST(testWithoutAdminOrHolderOnlyMaintainedGroupsMove);
	CPPUNIT_TEST(testManyContactsMoveInBatches);
	CPPUNIT_TEST(testAnEditRacingTheHandOverIsNeverLost);
	CPPUNIT_TEST(testAFailedNotificationKeepsTheMoves);
	CPPUNIT_TEST(testTheHookRefusesABadPayloadAndWritesNothing);
	CPPUNIT_TEST(testThePreviewIsWhatTheHandOverDoes);
	CPPUNIT_TEST(testAChosenSuccessorReceivesEveryContact);
	CPPUNIT_TEST(testTheWillLeaveHookPreviewsAndRefusesBadSuccessors);
	CPPUNIT_TEST_SUITE_END();

public:
	void testContactsPassToMaintainersElseToAMaintainHolder()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				b.directory().grant(ERIN, PluginBackend::ORG, MAINTAIN); // Alice (admin) has a lower id
				w.setMaintainers("Acme", {DAVE, CAROL});
				w.setMaintainers("", {BOB});            // Bob's own group: he cannot take it
				w.setMaintainers("Gamma", {BOB, DAVE}); // Bob stops maintaining it
				Poco::Int64 acme1 = b.create(BOB, "甲一", "Acme").contact.id;
				Poco::Int64 acme2 = b.create(BOB, "甲二", "Acme").contact.id;
				Poco::Int64 beta = b.create(BOB, "乙", "Beta").contact.id;
				Poco::Int64 loose = b.create(BOB, "丙").contact.id;
				Poco::Int64 gone = b.create(BOB, "丁", "Acme").contact.id;
				b.service().remove(PluginBackend::member(BOB), gone, "");
				Poco::Int64 carols = b.create(CAROL, "戊", "Acme").contact.id;
				b.share(carols, BOB);
				b.share(carols, DAVE);
				Poco::Int64 before = w.versionOf(acme1);

				HandOverService::Result r = w.leave(BOB);
				CPPUNIT_ASSERT_EQUAL(std::size_t(4), r.handedOver);
				CPPUNIT_ASSERT((r.received == std::map<Poco::Int64, std::size_t>{{CAROL, 2}, {ERIN, 2}}));
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), r.kept);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.unshared);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.groupsLeft);
				CPPUNIT_ASSERT(r.notifyError.empty());

				CPPUNIT_ASSERT_EQUAL(CAROL, w.adderOf(acme1));
				CPPUNIT_ASSERT_EQUAL(CAROL, w.adderOf(acme2));
				CPPUNIT_ASSERT_EQUAL(ERIN, w.adderOf(beta));
				CPPUNIT_ASSERT_EQUAL(ERIN, w.adderOf(loose));
				CPPUNIT_ASSERT_EQUAL(BOB, w.adderOf(gone)); // deleted contacts keep their history as it was
				CPPUNIT_ASSERT_EQUAL(before + 1, w.versionOf(acme1));
				CPPUNIT_ASSERT(w.visibleOf(acme1) == std::vector<Poco::Int64>{CAROL});
				CPPUNIT_ASSERT(w.visibleOf(beta) == std::vector<Poco::Int64>{ERIN});

				// The new holders find them under 我的; an editor holding an
				// old version is told, not overwritten.
				std::vector<Poco::Int64> carolSees = w.mine(CAROL);
				CPPUNIT_ASSERT(contains(carolSees, acme1) && contains(carolSees, acme2) && !contains(carolSees, beta));
				CPPUNIT_ASSERT(contains(w.mine(ERIN), loose));
				ContactEdit edit;
				edit.version = before;
				edit.values.title = "经理";
				edit.given = {"title"};
				CPPUNIT_ASSERT_THROW(b.service().update(PluginBackend::member(CAROL), acme1, edit, ""), EditConflict);

				// History: who moved them, from whom to whom.
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), w.auditCount(HandOverService::AUDIT_HAND_OVER));
				{
					Poco::Data::Session s = b.database().session();
					Poco::Int64 actor = 0;
					std::string beforeJson, afterJson;
					s << "SELECT actor_id, before_json, after_json FROM ec_audit WHERE contact_id = ? AND action = ?",
						use(acme1), useRef(HandOverService::AUDIT_HAND_OVER), into(actor), into(beforeJson),
						into(afterJson), now;
					CPPUNIT_ASSERT_EQUAL(ALICE, actor);
					CPPUNIT_ASSERT_EQUAL(std::string(R"({"addedBy":2,"visibleMembers":[2]})"), beforeJson);
					CPPUNIT_ASSERT_EQUAL(std::string(R"({"addedBy":3,"visibleMembers":[3]})"), afterJson);
				}

				// Bob is off Carol's share list and off the maintainer lists.
				CPPUNIT_ASSERT(b.service().get(PluginBackend::member(DAVE), carols).has_value());
				{
					Poco::Data::Session s = b.database().session();
					Poco::Int64 shares = 0, maintained = 0;
					s << "SELECT COUNT(*) FROM ec_contact_shares WHERE member_id = ?", bind(BOB), into(shares), now;
					s << "SELECT COUNT(*) FROM ec_group_maintainers WHERE member_id = ?", bind(BOB), into(maintained),
						now;
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), shares);
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), maintained);
					std::vector<Poco::Int64> gamma;
					s << "SELECT member_id FROM ec_group_maintainers WHERE group_name = 'Gamma'", into(gamma), now;
					CPPUNIT_ASSERT(gamma == std::vector<Poco::Int64>{DAVE});
				}
				{
					Poco::Data::Session s = b.database().session();
					Poco::Int64 n = 0;
					s << "SELECT COUNT(*) FROM ec_audit WHERE action = 'contact.shares' AND contact_id = ?",
						use(carols), into(n), now;
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), n);
				}

				// One notice per new holder, naming the leaver and the count.
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), w.notifier.notices.size());
				for (const Notifier::Notice& n : w.notifier.notices)
				{
					CPPUNIT_ASSERT_EQUAL(std::size_t(1), n.userIds.size());
					CPPUNIT_ASSERT(n.userIds[0] == CAROL || n.userIds[0] == ERIN);
					CPPUNIT_ASSERT_EQUAL(HandOverService::NOTICE_TYPE, n.type);
					CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, n.orgId);
					CPPUNIT_ASSERT(n.body.zhCN.find("Bob") != std::string::npos);
					CPPUNIT_ASSERT(n.body.zhCN.find(" 2 ") != std::string::npos);
					CPPUNIT_ASSERT(n.body.en.find("2 external contacts") != std::string::npos);
				}

				// Running it again finds nothing left to move.
				HandOverService::Result again = w.handOver.memberLeft(PluginBackend::ORG, BOB, ALICE, "");
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), again.handedOver);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), w.notifier.notices.size());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), w.auditCount(HandOverService::AUDIT_HAND_OVER));
			});
	}

	void testAnAdminTakesThemWhenNobodyHoldsMaintain()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				w.setMaintainers("Acme", {BOB}); // only the leaver maintains it
				Poco::Int64 id = b.create(BOB, "甲", "Acme").contact.id;
				HandOverService::Result r = w.leave(BOB);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.handedOver);
				CPPUNIT_ASSERT_EQUAL(ALICE, w.adderOf(id));
			});
	}

	void testWithoutAdminOrHolderOnlyMaintainedGroupsMove()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				w.setMaintainers("Acme", {CAROL});
				w.setMaintainers("Gone", {DAVE});
				b.directory().removeMember(PluginBackend::ORG, ALICE); // the org's only admin
				b.directory().removeMember(PluginBackend::ORG, DAVE);  // a maintainer who left earlier
				Poco::Int64 acme = b.create(BOB, "甲", "Acme").contact.id;
				Poco::Int64 beta = b.create(BOB, "乙", "Beta").contact.id;
				Poco::Int64 gone = b.create(BOB, "丙", "Gone").contact.id;
				HandOverService::Result r = w.leave(BOB);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.handedOver);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.kept);
				CPPUNIT_ASSERT_EQUAL(CAROL, w.adderOf(acme));
				CPPUNIT_ASSERT_EQUAL(BOB, w.adderOf(beta));
				CPPUNIT_ASSERT_EQUAL(BOB, w.adderOf(gone));
				// Once the org has an admin again, a re-run moves the rest.
				b.directory().makeAdmin(PluginBackend::ORG, ERIN);
				HandOverService::Result again = w.handOver.memberLeft(PluginBackend::ORG, BOB, ERIN, "");
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), again.handedOver);
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), again.kept);
				CPPUNIT_ASSERT_EQUAL(ERIN, w.adderOf(beta));
			});
	}

	void testManyContactsMoveInBatches()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				w.setMaintainers("Acme", {CAROL});
				const std::size_t total = 2 * HandOverService::BATCH + 37;
				for (std::size_t i = 0; i < total; ++i)
					b.create(BOB, "联系人" + std::to_string(i), i % 2 ? "Acme" : "Beta");
				HandOverService::Result r = w.leave(BOB);
				CPPUNIT_ASSERT_EQUAL(total, r.handedOver);
				CPPUNIT_ASSERT_EQUAL(total / 2, r.received[CAROL]);
				CPPUNIT_ASSERT_EQUAL(total - total / 2, r.received[ALICE]);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), w.auditCount(HandOverService::AUDIT_HAND_OVER));
				Poco::Data::Session s = b.database().session();
				Poco::Int64 left = -1;
				s << "SELECT COUNT(*) FROM ec_contacts WHERE added_by = ?", bind(BOB), into(left), now;
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), left);
			});
	}

	void testAnEditRacingTheHandOverIsNeverLost()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const int contacts = 60;
				std::vector<Poco::Int64> ids;
				for (int i = 0; i < contacts; ++i)
					ids.push_back(b.create(BOB, "竞" + std::to_string(i), "Acme").contact.id);
				b.directory().removeMember(PluginBackend::ORG, BOB);
				std::vector<char> edited(ids.size(), 0);
				std::thread editor(
					[&]
					{
						for (std::size_t i = 0; i < ids.size(); ++i)
						{
							ContactEdit edit;
							edit.version = 1;
							edit.values.title = "改" + std::to_string(i);
							edit.given = {"title"};
							try
							{
								b.service().update(PluginBackend::member(ALICE, PluginBackend::ORG, true), ids[i], edit,
												   "");
								edited[i] = 1;
							}
							catch (const EditConflict&)
							{
							}
						}
					});
				HandOverService::Result r = w.handOver.memberLeft(PluginBackend::ORG, BOB, ALICE, "");
				editor.join();
				CPPUNIT_ASSERT_EQUAL(std::size_t(contacts), r.handedOver);
				for (std::size_t i = 0; i < ids.size(); ++i)
				{
					CPPUNIT_ASSERT_EQUAL(ALICE, w.adderOf(ids[i]));
					std::optional<ContactView> v = b.service().get(PluginBackend::member(ALICE), ids[i]);
					CPPUNIT_ASSERT(v.has_value());
					// Either the edit won before the move (both show) or it was refused.
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(edited[i] ? 3 : 2), v->contact.version);
					CPPUNIT_ASSERT_EQUAL(edited[i] != 0, v->contact.title.has_value());
				}
			});
	}

	void testAFailedNotificationKeepsTheMoves()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = b.create(BOB, "甲", "Acme").contact.id;
				w.notifier.fail = true;
				HandOverService::Result r = w.leave(BOB);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.handedOver);
				CPPUNIT_ASSERT(r.notifyError.find("down") != std::string::npos);
				CPPUNIT_ASSERT_EQUAL(ALICE, w.adderOf(id));
			});
	}

	void testTheHookRefusesABadPayloadAndWritesNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				std::vector<std::string> logged;
				MemberHooks hooks(w.handOver, [&](int, const std::string& line) { logged.push_back(line); });
				Poco::Int64 id = b.create(BOB, "甲", "Acme").contact.id;
				b.directory().removeMember(PluginBackend::ORG, BOB);
				for (const char* bad : {"", "[]", "{", R"({"orgId":1})", R"({"orgId":"1","userId":2})",
										R"({"orgId":1,"userId":-2})", R"({"orgId":1,"userId":2,"byUserId":"x"})"})
				{
					try
					{
						hooks.memberLeft(bad);
						CPPUNIT_FAIL(std::string("accepted ") + bad);
					}
					catch (const HostSdk::Error& e)
					{
						CPPUNIT_ASSERT_EQUAL(static_cast<int>(HOSTSDK_E_INVALID), static_cast<int>(e.status()));
					}
				}
				CPPUNIT_ASSERT_EQUAL(BOB, w.adderOf(id));
				CPPUNIT_ASSERT(logged.empty());
				hooks.memberLeft(R"({"orgId":1,"userId":2,"byUserId":1})");
				CPPUNIT_ASSERT_EQUAL(ALICE, w.adderOf(id));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), logged.size());
				CPPUNIT_ASSERT(logged[0].find("1 contacts to 1 holders") != std::string::npos);
			});
	}

	void testThePreviewIsWhatTheHandOverDoes()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				// Bob holds maintain himself with the lowest id: while he is
				// still a member, the preview must skip him as the hand-over will.
				b.directory().grant(BOB, PluginBackend::ORG, MAINTAIN);
				b.directory().grant(ERIN, PluginBackend::ORG, MAINTAIN);
				w.setMaintainers("Acme", {BOB, CAROL});
				Poco::Int64 acme1 = b.create(BOB, "甲一", "Acme").contact.id;
				b.create(BOB, "甲二", "Acme");
				b.create(BOB, "乙", "Beta");
				b.create(BOB, "丙");
				Poco::Int64 gone = b.create(BOB, "丁", "Beta").contact.id;
				b.service().remove(PluginBackend::member(BOB), gone, "");

				HandOverService::Preview p = w.handOver.preview(PluginBackend::ORG, BOB);
				CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.groups.size());
				CPPUNIT_ASSERT_EQUAL(std::string("Acme"), p.groups[0].group);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.groups[0].count);
				CPPUNIT_ASSERT_EQUAL(CAROL, p.groups[0].receiverId);
				CPPUNIT_ASSERT_EQUAL(std::string("Beta"), p.groups[1].group);
				CPPUNIT_ASSERT_EQUAL(ERIN, p.groups[1].receiverId);
				CPPUNIT_ASSERT_EQUAL(std::string(""), p.groups[2].group); // 未分组, last
				CPPUNIT_ASSERT_EQUAL(ERIN, p.groups[2].receiverId);
				CPPUNIT_ASSERT((p.received == std::map<Poco::Int64, std::size_t>{{CAROL, 2}, {ERIN, 2}}));
				CPPUNIT_ASSERT_EQUAL(std::string("Erin"), p.names[ERIN]);
				// Nothing written, nobody told.
				CPPUNIT_ASSERT_EQUAL(BOB, w.adderOf(acme1));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), w.auditCount(HandOverService::AUDIT_HAND_OVER));
				CPPUNIT_ASSERT(w.notifier.notices.empty());

				HandOverService::Result r = w.leave(BOB);
				CPPUNIT_ASSERT(r.received == p.received);
				CPPUNIT_ASSERT_EQUAL(p.kept, r.kept);

				// Without admin or maintain-holder: the kept ones agree too.
				World w2(b);
				w2.setMaintainers("Acme", {CAROL});
				b.directory().removeMember(PluginBackend::ORG, ALICE);
				b.directory().removeMember(PluginBackend::ORG, ERIN);
				b.create(DAVE, "戊", "Acme");
				b.create(DAVE, "己", "Delta");
				HandOverService::Preview kept = w2.handOver.preview(PluginBackend::ORG, DAVE);
				CPPUNIT_ASSERT((kept.received == std::map<Poco::Int64, std::size_t>{{CAROL, 1}}));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), kept.kept);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), kept.groups[1].receiverId);
				HandOverService::Result r2 = w2.leave(DAVE);
				CPPUNIT_ASSERT(r2.received == kept.received);
				CPPUNIT_ASSERT_EQUAL(kept.kept, r2.kept);
			});
	}

	void testAChosenSuccessorReceivesEveryContact()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				b.directory().addUser(FRANK, "Frank");
				b.directory().grant(ERIN, PluginBackend::ORG, MAINTAIN);
				w.setMaintainers("Acme", {CAROL, BOB});
				Poco::Int64 acme = b.create(BOB, "甲", "Acme").contact.id;
				Poco::Int64 beta = b.create(BOB, "乙", "Beta").contact.id;
				Poco::Int64 loose = b.create(BOB, "丙").contact.id;
				Poco::Int64 carols = b.create(CAROL, "丁", "Acme").contact.id;
				b.share(carols, BOB);

				CPPUNIT_ASSERT(w.handOver.mayReceive(PluginBackend::ORG, BOB, DAVE));
				CPPUNIT_ASSERT(!w.handOver.mayReceive(PluginBackend::ORG, BOB, BOB));
				CPPUNIT_ASSERT(!w.handOver.mayReceive(PluginBackend::ORG, BOB, FRANK));
				HandOverService::Preview p = w.handOver.preview(PluginBackend::ORG, BOB, DAVE);
				for (const HandOverService::PreviewRow& row : p.groups)
					CPPUNIT_ASSERT_EQUAL(DAVE, row.receiverId);
				CPPUNIT_ASSERT((p.received == std::map<Poco::Int64, std::size_t>{{DAVE, 3}}));

				b.directory().removeMember(PluginBackend::ORG, BOB);
				HandOverService::Result r = w.handOver.memberLeft(PluginBackend::ORG, BOB, ALICE, "10.0.0.9", DAVE);
				CPPUNIT_ASSERT(r.received == p.received);
				CPPUNIT_ASSERT(!r.successorIgnored);
				for (Poco::Int64 id : {acme, beta, loose})
					CPPUNIT_ASSERT_EQUAL(DAVE, w.adderOf(id));
				CPPUNIT_ASSERT(w.visibleOf(acme) == std::vector<Poco::Int64>{DAVE});
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), w.auditCount(HandOverService::AUDIT_HAND_OVER));
				// Off share and maintainer lists as always; one notice, to the successor.
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.unshared);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.groupsLeft);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
				CPPUNIT_ASSERT(w.notifier.notices[0].userIds == std::vector<Poco::Int64>{DAVE});
				CPPUNIT_ASSERT(contains(w.mine(DAVE), loose));

				// A successor who is no member (any more) is ignored: the rule decides.
				Poco::Int64 carolsOwn = b.create(CAROL, "戊", "Beta").contact.id;
				b.directory().removeMember(PluginBackend::ORG, CAROL);
				HandOverService::Result ignored = w.handOver.memberLeft(PluginBackend::ORG, CAROL, ALICE, "", FRANK);
				CPPUNIT_ASSERT(ignored.successorIgnored);
				CPPUNIT_ASSERT_EQUAL(ERIN, w.adderOf(carolsOwn));
			});
	}

	void testTheWillLeaveHookPreviewsAndRefusesBadSuccessors()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				MemberHooks hooks(w.handOver, nullptr);
				w.setMaintainers("Acme", {CAROL});
				Poco::Int64 acme = b.create(BOB, "甲", "Acme").contact.id;
				b.create(BOB, "乙");

				std::string answer = hooks.willLeave(
					R"({"orgId":1,"userId":2,"byUserId":1,"successorId":null,"dryRun":true,"preview":[{"plugin":"other"}]})");
				Poco::JSON::Parser parser;
				Poco::JSON::Array::Ptr preview =
					parser.parse(answer).extract<Poco::JSON::Object::Ptr>()->getArray("preview");
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), preview->size()); // the other plugin's item stays
				Poco::JSON::Object::Ptr item = preview->getObject(1);
				CPPUNIT_ASSERT_EQUAL(std::string("external-contacts"), item->getValue<std::string>("plugin"));
				CPPUNIT_ASSERT_EQUAL(std::string("外部联系人"),
									 item->getObject("label")->getValue<std::string>("zh-CN"));
				CPPUNIT_ASSERT_EQUAL(2, item->getValue<int>("total"));
				CPPUNIT_ASSERT(!item->getValue<bool>("rowsTruncated"));
				Poco::JSON::Array::Ptr rows = item->getArray("rows");
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), rows->size());
				CPPUNIT_ASSERT_EQUAL(std::string("Acme"), rows->getObject(0)->getValue<std::string>("group"));
				CPPUNIT_ASSERT_EQUAL(CAROL, rows->getObject(0)->getValue<Poco::Int64>("receiverId"));
				CPPUNIT_ASSERT_EQUAL(std::string("Carol"), rows->getObject(0)->getValue<std::string>("receiverName"));
				CPPUNIT_ASSERT(rows->getObject(1)->isNull("group"));                                  // 未分组
				CPPUNIT_ASSERT_EQUAL(ALICE, rows->getObject(1)->getValue<Poco::Int64>("receiverId")); // the admin
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), item->getArray("receivers")->size());

				std::string chosen =
					hooks.willLeave(R"({"orgId":1,"userId":2,"successorId":4,"dryRun":true,"preview":[]})");
				Poco::JSON::Object::Ptr only =
					parser.parse(chosen).extract<Poco::JSON::Object::Ptr>()->getArray("preview")->getObject(0);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), only->getArray("receivers")->size());
				CPPUNIT_ASSERT_EQUAL(std::string("Dave"),
									 only->getArray("receivers")->getObject(0)->getValue<std::string>("receiverName"));
				// Not a dry run: nothing to add, nothing moved yet.
				CPPUNIT_ASSERT_EQUAL(std::string(""),
									 hooks.willLeave(R"({"orgId":1,"userId":2,"successorId":4,"dryRun":false})"));
				CPPUNIT_ASSERT_EQUAL(BOB, w.adderOf(acme));

				// The leaver or someone who is no member: refused, dry run or not.
				b.directory().addUser(FRANK, "Frank");
				for (const char* bad : {R"({"orgId":1,"userId":2,"successorId":6,"dryRun":true})",
										R"({"orgId":1,"userId":2,"successorId":2,"dryRun":false})"})
				{
					try
					{
						hooks.willLeave(bad);
						CPPUNIT_FAIL(std::string("accepted ") + bad);
					}
					catch (const HostSdk::Error& e)
					{
						CPPUNIT_ASSERT_EQUAL(static_cast<int>(HOSTSDK_E_DENIED), static_cast<int>(e.status()));
					}
				}
				for (const char* bad : {"[]", R"({"orgId":1})", R"({"orgId":1,"userId":2,"successorId":"4"})",
										R"({"orgId":1,"userId":2,"preview":{}})"})
				{
					try
					{
						hooks.willLeave(bad);
						CPPUNIT_FAIL(std::string("accepted ") + bad);
					}
					catch (const HostSdk::Error& e)
					{
						CPPUNIT_ASSERT_EQUAL(static_cast<int>(HOSTSDK_E_INVALID), static_cast<int>(e.status()));
					}
				}

				// member.has_left_org passes the successor on.
				b.directory().removeMember(PluginBackend::ORG, BOB);
				hooks.memberLeft(R"({"orgId":1,"userId":2,"byUserId":1,"successorId":4})");
				CPPUNIT_ASSERT_EQUAL(DAVE, w.adderOf(acme));
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(HandOverTest);
