// Account applications (R3) on SQLite and MariaDB: who may apply and
// decide, one pending application per contact, one decision (two approvers
// at once on real threads, 200 rounds), the account made through the host
// once, rejection with a reason and a new application, a host failure that
// undoes the approval, and the notifications of approvers and applicant.
#include "PluginBackend.h"
#include "QueryPlans.h"

#include "domain/AccountExceptions.h"
#include "domain/ValidationError.h"
#include "service/ApplicationNotices.h"
#include "service/ApplicationService.h"
#include "service/GroupMaintainerService.h"
#include "store/ContactStore.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 ALICE = 1, BOB = 2, CAROL = 3, DAVE = 4, ERIN = 5, FRANK = 6;

class FakeAccounts : public AccountGateway
{
public:
	Created createPending(Poco::Int64 orgId, const std::string& displayName, const std::string& loginHint,
						  int securityLevel) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (fail) throw std::runtime_error("the host is unavailable");
		calls.push_back({orgId, displayName, loginHint, securityLevel});
		return {1000 + static_cast<Poco::Int64>(calls.size()),
				loginHint.empty() ? "ext-" + std::to_string(calls.size()) : loginHint};
	}

	Link reissueLink(Poco::Int64 userId) override
	{
		return {"/#/activate/" + std::to_string(userId), "", 1};
	}

	std::string status(Poco::Int64) override
	{
		return "pending";
	}

	void disable(Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		disabled.push_back(userId);
	}

	void enable(Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		enabled.push_back(userId);
	}

	void addExternalMembership(Poco::Int64 orgId, Poco::Int64 userId, int) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		memberships.insert({orgId, userId});
	}

	void removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		memberships.erase({orgId, userId});
	}

	void setSecurityLevel(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		levels[{orgId, userId}] = securityLevel;
	}

	std::map<std::pair<Poco::Int64, Poco::Int64>, int> levels;

	std::vector<Poco::Int64> disabled;
	std::vector<Poco::Int64> enabled;
	std::set<std::pair<Poco::Int64, Poco::Int64>> memberships;

	struct Call
	{
		Poco::Int64 orgId;
		std::string displayName;
		std::string loginHint;
		int securityLevel;
	};
	std::vector<Call> calls;
	bool fail = false;

private:
	std::mutex _mutex;
};

class RecordingNotifier : public Notifier
{
public:
	void notify(const Notice& notice) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		notices.push_back(notice);
	}
	void resolve(const std::string& groupKey, const std::string& outcome) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		resolved.emplace_back(groupKey, outcome);
	}
	std::vector<Notice> notices;
	std::vector<std::pair<std::string, std::string>> resolved;

private:
	std::mutex _mutex;
};

struct World
/// Alice admin, Bob adds contacts, Carol sees one shared, Dave maintains
/// the group "Acme", Erin holds the maintain permission, Frank is a
/// member with no relation.
{
	explicit World(PluginBackend& backend) :
		b(backend), accountService(backend.context(), accounts),
		applications(backend.context(), accountService, notifier)
	{
		b.directory().addUser(DAVE, "Dave");
		b.directory().addUser(ERIN, "Erin");
		b.directory().addUser(FRANK, "Frank");
		for (Poco::Int64 id : {DAVE, ERIN, FRANK})
			b.directory().addMember(PluginBackend::ORG, id);
		b.directory().makeAdmin(PluginBackend::ORG, ALICE);
		b.directory().grant(ERIN, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
		GroupMaintainerService maintainers(b.context());
		GroupMaintainers change;
		change.group = "Acme";
		change.maintainers = {DAVE};
		maintainers.set(admin(), change, "");
	}

	static Actor admin()
	{
		return PluginBackend::member(ALICE, PluginBackend::ORG, true);
	}

	Poco::Int64 contact(const std::string& name)
	{
		ContactFields fields = PluginBackend::draft(name, "Acme");
		fields.email = "li.na@example.com";
		return b.service().create(PluginBackend::member(BOB), fields, "", true).contact.id;
	}

	Poco::Int64 count(const std::string& sql, Poco::Int64 id)
	{
		Poco::Data::Session s = b.database().session();
		Poco::Int64 n = 0;
		s << sql, use(id), into(n), now;
		return n;
	}

	PluginBackend& b;
	FakeAccounts accounts;
	RecordingNotifier notifier;
	AccountService accountService;
	ApplicationService applications;
};

} // namespace

class ApplicationServiceTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ApplicationServiceTest);
	CPPUNIT_TEST(testApplyNotifiesTheApproversOnce);
	CPPUNIT_TEST(testBadRemarksAndOutsidersWriteNothing);
	CPPUNIT_TEST(testApprovalMakesTheAccountOnce);
	CPPUNIT_TEST(testRejectionWithAReasonThenANewApplication);
	CPPUNIT_TEST(testOnlyApproversDecide);
	CPPUNIT_TEST(testAHostFailureUndoesTheApproval);
	CPPUNIT_TEST(testTwoApproversAtOnceExactlyOneDecision);
	CPPUNIT_TEST(testTheLogIsReadAlongAnIndex);
	CPPUNIT_TEST(testAnApproverWhoAddedTheContactDecidesAndManages);
	CPPUNIT_TEST_SUITE_END();

public:
	void testApplyNotifiesTheApproversOnce()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.contact("李娜");
				auto r = w.applications.apply(PluginBackend::member(BOB), id, "  请开通，方便对接 ", "10.0.0.2");
				CPPUNIT_ASSERT(r.notifyError.empty());
				CPPUNIT_ASSERT_EQUAL(std::string("请开通，方便对接"), r.application.remark);
				CPPUNIT_ASSERT(r.application.status == AccountApplication::Status::Pending);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
				const Notifier::Notice& n = w.notifier.notices[0];
				CPPUNIT_ASSERT((n.userIds == std::vector<Poco::Int64>{ALICE, DAVE, ERIN}));
				CPPUNIT_ASSERT_EQUAL(ApplicationNotices::NOTICE_APPLICATION, n.type);
				CPPUNIT_ASSERT_EQUAL("application:" + std::to_string(r.application.id), n.groupKey);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), n.actions.size());
				CPPUNIT_ASSERT_EQUAL("/applications/" + std::to_string(r.application.id) + "/approve",
									 n.actions[0].path);
				CPPUNIT_ASSERT_EQUAL("/applications/" + std::to_string(r.application.id) + "/reject",
									 n.actions[1].path);
				CPPUNIT_ASSERT(n.body.zhCN.find("李娜") != std::string::npos);
				CPPUNIT_ASSERT(n.body.zhCN.find("请开通") != std::string::npos);

				// One pending application per contact; the first is named.
				try
				{
					w.applications.apply(PluginBackend::member(ALICE, PluginBackend::ORG, true), id, "", "");
					CPPUNIT_FAIL("a second pending application was accepted");
				}
				catch (const ApplicationPendingException& e)
				{
					CPPUNIT_ASSERT_EQUAL(r.application.id, e.pendingId);
				}
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1),
									 w.count("SELECT COUNT(*) FROM ec_account_applications WHERE contact_id = ?", id));
				CPPUNIT_ASSERT_EQUAL(
					Poco::Int64(1),
					w.count("SELECT COUNT(*) FROM ec_audit WHERE action = 'account.apply' AND contact_id = ?", id));
			});
	}

	void testBadRemarksAndOutsidersWriteNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.contact("王五");
				b.share(id, CAROL);
				for (const std::string& bad : {std::string(501, 'x'), std::string("bell\x07"), std::string("\xff\xfe")})
				{
					try
					{
						w.applications.apply(PluginBackend::member(BOB), id, bad, "");
						CPPUNIT_FAIL("a bad remark was accepted");
					}
					catch (const ValidationError& e)
					{
						CPPUNIT_ASSERT_EQUAL(std::string("remark"), e.field());
					}
				}
				CPPUNIT_ASSERT_NO_THROW(
					w.applications.apply(PluginBackend::member(BOB), id, std::string(500, 'x'), "").application.id);
				Poco::Int64 other = w.contact("赵六");
				CPPUNIT_ASSERT_THROW(w.applications.apply(PluginBackend::member(CAROL), id, "", ""),
									 AccessDeniedException);
				b.share(other, CAROL);
				CPPUNIT_ASSERT_THROW(w.applications.apply(PluginBackend::member(CAROL), other, "", ""),
									 AccessDeniedException);
				CPPUNIT_ASSERT_THROW(w.applications.apply(PluginBackend::member(FRANK), other, "", ""),
									 ContactNotFoundException);
				CPPUNIT_ASSERT_THROW(w.applications.apply(PluginBackend::external(BOB), other, "", ""),
									 ContactNotFoundException);
				CPPUNIT_ASSERT_THROW(w.applications.apply(PluginBackend::member(BOB), 999999, "", ""),
									 ContactNotFoundException);
				CPPUNIT_ASSERT_EQUAL(
					Poco::Int64(0),
					w.count("SELECT COUNT(*) FROM ec_account_applications WHERE contact_id = ?", other));
			});
	}

	void testApprovalMakesTheAccountOnce()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.contact("李娜");
				Poco::Int64 app = w.applications.apply(PluginBackend::member(BOB), id, "", "").application.id;
				auto r = w.applications.approve(PluginBackend::member(DAVE), app, "10.0.0.4");
				CPPUNIT_ASSERT(r.application.status == AccountApplication::Status::Approved);
				CPPUNIT_ASSERT_EQUAL(DAVE, r.application.decidedBy.value_or(0));
				CPPUNIT_ASSERT(r.account.has_value());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.accounts.calls.size());
				CPPUNIT_ASSERT_EQUAL(std::string("李娜"), w.accounts.calls[0].displayName);
				CPPUNIT_ASSERT_EQUAL(std::string("li.na"), w.accounts.calls[0].loginHint);
				CPPUNIT_ASSERT_EQUAL(-5, w.accounts.calls[0].securityLevel); // the org default the contact got
				{
					Poco::Data::Session s = b.database().session();
					auto account = w.accountService.store().accountOf(s, id);
					CPPUNIT_ASSERT(account && account->status == "pending" && account->login == std::string("li.na"));
					CPPUNIT_ASSERT_EQUAL(r.account->userId, account->userId.value_or(0));
				}
				// Every approver's notice is marked handled; the applicant is told.
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.resolved.size());
				CPPUNIT_ASSERT_EQUAL("application:" + std::to_string(app), w.notifier.resolved[0].first);
				const Notifier::Notice& told = w.notifier.notices.back();
				CPPUNIT_ASSERT((told.userIds == std::vector<Poco::Int64>{BOB}));
				CPPUNIT_ASSERT_EQUAL(ApplicationNotices::NOTICE_DECISION, told.type);
				CPPUNIT_ASSERT(told.body.zhCN.find("Dave") != std::string::npos);
				CPPUNIT_ASSERT(told.body.zhCN.find("li.na") != std::string::npos);

				// The second approver is told who decided; nothing else happens.
				try
				{
					w.applications.reject(PluginBackend::member(ERIN), app, "太晚了", "");
					CPPUNIT_FAIL("a second decision was accepted");
				}
				catch (const ApplicationDecidedException& e)
				{
					CPPUNIT_ASSERT_EQUAL(DAVE, e.decidedBy);
					CPPUNIT_ASSERT(e.status == AccountApplication::Status::Approved);
				}
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.accounts.calls.size());
				CPPUNIT_ASSERT_THROW(w.applications.apply(PluginBackend::member(BOB), id, "", ""),
									 AccountExistsException);
				CPPUNIT_ASSERT_EQUAL(
					Poco::Int64(1),
					w.count("SELECT COUNT(*) FROM ec_audit WHERE action = 'account.approve' AND contact_id = ?", id));
			});
	}

	void testRejectionWithAReasonThenANewApplication()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.contact("钱七");
				Poco::Int64 app = w.applications.apply(PluginBackend::member(BOB), id, "", "").application.id;
				try
				{
					w.applications.reject(PluginBackend::member(ERIN), app, std::string(501, 'y'), "");
					CPPUNIT_FAIL("a long reason was accepted");
				}
				catch (const ValidationError& e)
				{
					CPPUNIT_ASSERT_EQUAL(std::string("reason"), e.field());
				}
				auto r = w.applications.reject(PluginBackend::member(ERIN), app, " 信息不全 ", "");
				CPPUNIT_ASSERT(r.application.status == AccountApplication::Status::Rejected);
				CPPUNIT_ASSERT_EQUAL(std::string("信息不全"), r.application.comment.value_or(""));
				CPPUNIT_ASSERT(!r.account);
				CPPUNIT_ASSERT(w.accounts.calls.empty());
				CPPUNIT_ASSERT(w.notifier.notices.back().body.zhCN.find("信息不全") != std::string::npos);
				// A reason is optional from the notification's button.
				Poco::Int64 again =
					w.applications.apply(PluginBackend::member(BOB), id, "补充了信息", "").application.id;
				CPPUNIT_ASSERT(again != app);
				auto bare =
					w.applications.reject(PluginBackend::member(ALICE, PluginBackend::ORG, true), again, "", "");
				CPPUNIT_ASSERT(!bare.application.comment);
				CPPUNIT_ASSERT(w.notifier.notices.back().body.zhCN.find("未填写") != std::string::npos);
			});
	}

	void testOnlyApproversDecide()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.contact("孙八");
				b.share(id, CAROL);
				Poco::Int64 app = w.applications.apply(PluginBackend::member(BOB), id, "", "").application.id;
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::member(BOB), app, ""),
									 AccessDeniedException);
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::member(CAROL), app, ""),
									 AccessDeniedException);
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::member(FRANK), app, ""),
									 ContactNotFoundException);
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::external(ERIN), app, ""),
									 ContactNotFoundException);
				CPPUNIT_ASSERT_THROW(
					w.applications.approve(PluginBackend::member(ERIN, PluginBackend::OTHER_ORG), app, ""),
					ContactNotFoundException);
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::member(ERIN), app + 1000, ""),
									 ContactNotFoundException);
				// A maintainer of another group is no approver of this one.
				ContactFields elsewhere = PluginBackend::draft("周九", "Beta");
				Poco::Int64 beta = b.service().create(PluginBackend::member(BOB), elsewhere, "").contact.id;
				Poco::Int64 betaApp = w.applications.apply(PluginBackend::member(BOB), beta, "", "").application.id;
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::member(DAVE), betaApp, ""),
									 ContactNotFoundException);
				CPPUNIT_ASSERT(w.accounts.calls.empty());
				// A deleted contact's application cannot be decided.
				b.service().remove(PluginBackend::member(BOB), id, "");
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::member(ERIN), app, ""),
									 ContactNotFoundException);
			});
	}

	void testAHostFailureUndoesTheApproval()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.contact("吴十");
				Poco::Int64 app = w.applications.apply(PluginBackend::member(BOB), id, "", "").application.id;
				w.accounts.fail = true;
				CPPUNIT_ASSERT_THROW(w.applications.approve(PluginBackend::member(ERIN), app, ""), std::runtime_error);
				{
					Poco::Data::Session s = b.database().session();
					CPPUNIT_ASSERT(!w.accountService.store().accountOf(s, id));
					CPPUNIT_ASSERT_EQUAL(app, w.accountService.store().pendingOf(s, id).value_or(0));
				}
				CPPUNIT_ASSERT_EQUAL(
					Poco::Int64(1),
					w.count("SELECT COUNT(*) FROM ec_audit WHERE action = 'account.create_failed' AND contact_id = ?",
							id));
				w.accounts.fail = false;
				auto r = w.applications.approve(PluginBackend::member(ERIN), app, "");
				CPPUNIT_ASSERT(r.account.has_value());
			});
	}

	void testTwoApproversAtOnceExactlyOneDecision()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const int rounds = 200;
				int approvals = 0;
				for (int round = 0; round < rounds; ++round)
				{
					Poco::Int64 id = w.contact("并发" + std::to_string(round));
					Poco::Int64 app = w.applications.apply(PluginBackend::member(BOB), id, "", "").application.id;
					std::atomic<int> won{0};
					std::atomic<Poco::Int64> loserSaw{-1};
					std::atomic<Poco::Int64> winner{0};
					auto act = [&](Poco::Int64 who, bool approve)
					{
						try
						{
							if (approve)
								w.applications.approve(PluginBackend::member(who), app, "");
							else
								w.applications.reject(PluginBackend::member(who), app, "不同意", "");
							++won;
							winner = who;
						}
						catch (const ApplicationDecidedException& e)
						{
							loserSaw = e.decidedBy;
						}
					};
					// Odd rounds: both approve; even rounds: one approves, one rejects.
					std::thread first(act, DAVE, true);
					std::thread second(act, ERIN, round % 2 == 1);
					first.join();
					second.join();
					CPPUNIT_ASSERT_EQUAL_MESSAGE("round " + std::to_string(round), 1, won.load());
					CPPUNIT_ASSERT_EQUAL(winner.load(), loserSaw.load());
					Poco::Int64 accounts = w.count("SELECT COUNT(*) FROM ec_contact_accounts WHERE contact_id = ?", id);
					Poco::Int64 decided = w.count("SELECT COUNT(*) FROM ec_audit WHERE contact_id = ? AND action IN "
												  "('account.approve', 'account.reject')",
												  id);
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), decided);
					CPPUNIT_ASSERT(accounts <= 1);
					approvals += static_cast<int>(accounts);
				}
				CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(approvals), w.accounts.calls.size());
				CPPUNIT_ASSERT(approvals >= rounds / 2); // every odd round approves
			});
	}

	void testTheLogIsReadAlongAnIndex()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				ApplicationFilter none, pending, searched;
				pending.status = AccountApplication::Status::Pending;
				searched.status = AccountApplication::Status::Rejected;
				searched.keyword = "li";
				searched.applicantId = BOB;
				for (const auto& [filter, index] : std::vector<std::pair<ApplicationFilter, std::string>>{
						 {none, "ix_ec_account_applications_org"},
						 {pending, "ix_ec_account_applications_status"},
						 {searched, "ix_ec_account_applications_status"}})
				{
					Poco::Data::Session s = b.database().session();
					std::vector<std::string> plan = QueryPlans::applicationLog(
						s, b.database().dialect(), w.accountService.store(), PluginBackend::ORG, filter);
					std::string all;
					for (const std::string& line : plan)
						all += line + "\n";
					CPPUNIT_ASSERT_MESSAGE(all, all.find(index) != std::string::npos);
					CPPUNIT_ASSERT_MESSAGE(all, all.find("TEMP B-TREE") == std::string::npos); // SQLite sorts nothing
					CPPUNIT_ASSERT_MESSAGE(all, all.find("filesort") == std::string::npos);    // nor does MariaDB
					CPPUNIT_ASSERT_MESSAGE(all, all.find("SCAN c") == std::string::npos &&
													all.find("table=c type=ALL") == std::string::npos);
				}
			});
	}

	void testAnApproverWhoAddedTheContactDecidesAndManages()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				// Erin holds the maintain permission, Dave maintains Acme: each adds a contact.
				for (Poco::Int64 adder : {ERIN, DAVE})
				{
					ContactFields fields = PluginBackend::draft("自加" + std::to_string(adder), "Acme");
					Poco::Int64 id = b.service().create(PluginBackend::member(adder), fields, "", true).contact.id;
					Actor self = PluginBackend::member(adder);
					Poco::Int64 app = w.applications.apply(self, id, "", "").application.id;
					AccountService::AccountView view = w.accountService.accountView(self, id);
					CPPUNIT_ASSERT(view.mayDecide);
					CPPUNIT_ASSERT_EQUAL(adder == ERIN, view.mayManage);
					CPPUNIT_ASSERT(w.applications.approve(self, app, "").account.has_value());
					if (adder == ERIN)
						CPPUNIT_ASSERT_EQUAL(std::string("disabled"),
											 [&]
											 {
												 w.accountService.changeAccount(
													 self, id, AccountService::AccountChange::Disable, "");
												 Poco::Data::Session s = b.database().session();
												 return w.accountService.store().accountOf(s, id)->status;
											 }());
					else
						CPPUNIT_ASSERT_THROW(
							w.accountService.changeAccount(self, id, AccountService::AccountChange::Disable, ""),
							AccessDeniedException);
				}
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApplicationServiceTest);
