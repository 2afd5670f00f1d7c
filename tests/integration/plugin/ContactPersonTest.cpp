// Who a contact's person is (ContactPersons) on SQLite and MariaDB, and
// what the host sees of it (issue 13): a new 安全级别 reaches the account
// and the linked person's external membership (undone when the host fails);
// a person added from another org sees the visible members in the
// requester's org; no second login is opened for them (apply, approve of an
// older application, assign: PersonHasAccountException). Then a table walks
// every kind of contact (plain, pending / active / disabled account, linked
// from another org, joined by invitation) through every action (edit,
// permissions, share, apply, assign, disable, delete, hand-over) and checks
// the host side after each against one stateful fake host.
#include "PluginBackend.h"

#include "domain/AccountExceptions.h"
#include "domain/Exceptions.h"
#include "service/ApplicationService.h"
#include "service/HandOverService.h"
#include "service/InvitationService.h"
#include "service/OrgRequestService.h"
#include "service/RateLimiter.h"
#include "service/SharingService.h"
#include "store/ContactStore.h"
#include <chrono>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 ALICE = 1, BOB = 2, CAROL = 3;
constexpr Poco::Int64 OTHER = PluginBackend::OTHER_ORG;

class FakeHost : public AccountGateway
/// The host's users and memberships as the plugin changes them: a user's
/// status, their external memberships with their 安全级别, and whether
/// their sessions were ended.
{
public:
	struct User
	{
		std::string status = "pending";
		bool sessionsEnded = false;
	};

	Created createPending(Poco::Int64 orgId, const std::string&, const std::string&, int securityLevel) override
	{
		if (whileCreating) whileCreating();
		std::lock_guard<std::mutex> lock(_mutex);
		if (failCreate) throw std::runtime_error("the host could not make the account");
		Poco::Int64 id = nextId++;
		users[id] = User();
		memberships[{orgId, id}] = securityLevel;
		++created;
		return {id, "ext-" + std::to_string(id)};
	}
	Link reissueLink(Poco::Int64 userId) override
	{
		return {"/#/activate/" + std::to_string(userId), "", 1};
	}
	std::string status(Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return users.count(userId) ? users[userId].status : "active";
	}
	void disable(Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		users[userId].status = "disabled";
		users[userId].sessionsEnded = true;
	}
	void enable(Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		users[userId].status = "active";
	}
	void setSecurityLevel(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		++levelCalls;
		if (failLevel) throw std::runtime_error("the host is unavailable");
		auto it = memberships.find({orgId, userId});
		if (it == memberships.end()) throw std::runtime_error("no such external user in this organization");
		it->second = securityLevel;
	}
	void addExternalMembership(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		memberships.emplace(std::make_pair(orgId, userId), securityLevel);
	}
	void removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId) override
	{
		std::lock_guard<std::mutex> lock(_mutex);
		memberships.erase({orgId, userId});
		users[userId].sessionsEnded = true;
	}

	void activate(Poco::Int64 userId)
	{
		std::lock_guard<std::mutex> lock(_mutex);
		users[userId].status = "active";
	}

	std::optional<int> levelOf(Poco::Int64 orgId, Poco::Int64 userId)
	{
		std::lock_guard<std::mutex> lock(_mutex);
		auto it = memberships.find({orgId, userId});
		if (it == memberships.end()) return std::nullopt;
		return it->second;
	}

	std::map<Poco::Int64, User> users;
	std::map<std::pair<Poco::Int64, Poco::Int64>, int> memberships;
	Poco::Int64 nextId = 5000;
	int created = 0;
	int levelCalls = 0;
	bool failLevel = false;
	bool failCreate = false;
	std::function<void()> whileCreating; /// runs in createPending before the account is made

private:
	std::mutex _mutex;
};

class QuietNotifier : public Notifier
{
public:
	void notify(const Notice&) override {}
	void resolve(const std::string&, const std::string&) override {}
};

enum class Kind
{
	Plain,
	PendingAccount,
	ActiveAccount,
	DisabledAccount,
	Linked,
	Invited
};

const char* nameOf(Kind kind)
{
	switch (kind)
	{
	case Kind::Plain:
		return "plain";
	case Kind::PendingAccount:
		return "pending account";
	case Kind::ActiveAccount:
		return "active account";
	case Kind::DisabledAccount:
		return "disabled account";
	case Kind::Linked:
		return "linked from another org";
	case Kind::Invited:
		return "joined by invitation";
	}
	return "?";
}

// The table walks many people of one adder: limits it does not reach.
OrgRequestService::Limits roomyLimits()
{
	OrgRequestService::Limits limits;
	limits.searchesPerMember = 1000;
	limits.requestsPerMember = 1000;
	return limits;
}

struct World
/// Org 1: Alice (admin), Bob and Carol, and one adder per contact made
/// (so a hand-over moves that contact only). Org 2: the people added from
/// another org (100, 101, …).
{
	explicit World(PluginBackend& backend) :
		b(backend), limiter(backend.database(), [&backend] { return backend.directory().nowMs(); }),
		accounts(backend.context(), host), applications(backend.context(), accounts, notifier),
		sharing(backend.context(), backend.service(), &accounts.persons()),
		orgRequests(backend.context(), backend.service(), host, notifier, limiter, roomyLimits()),
		handOver(backend.context(), notifier)
	{
		b.directory().makeAdmin(PluginBackend::ORG, ALICE);
		b.directory().addUser(CAROL, "Carol");
		b.directory().addMember(PluginBackend::ORG, CAROL);
	}

	static Actor admin()
	{
		return PluginBackend::member(ALICE, PluginBackend::ORG, true);
	}

	Poco::Int64 newAdder()
	{
		Poco::Int64 id = nextAdder++;
		b.directory().addUser(id, "Adder " + std::to_string(id));
		b.directory().addMember(PluginBackend::ORG, id);
		return id;
	}

	Poco::Int64 plain(Poco::Int64 adder, const std::string& name)
	{
		return b.service()
			.create(PluginBackend::member(adder), PluginBackend::draft(name, "Acme"), "", true)
			.contact.id;
	}

	// A contact of adder that is the person `person` of org 2, through an accepted request.
	Poco::Int64 linked(Poco::Int64 adder, Poco::Int64 person)
	{
		b.directory().setProfile(person, {"外部" + std::to_string(person), "", "", ""});
		b.directory().addMember(OTHER, person);
		// As a member does it: the search finds them, then the request.
		orgRequests.search(PluginBackend::member(adder), b.directory().orgName(OTHER), "外部" + std::to_string(person));
		OrgRequest request = orgRequests.request(PluginBackend::member(adder), OTHER, person);
		return orgRequests.accept(PluginBackend::member(person, OTHER), request.id, "").contactId.value();
	}

	Poco::Int64 invited(Poco::Int64 adder, const std::string& name)
	{
		Poco::Int64 now = b.directory().nowMs();
		return b.database().write(
			[&](Poco::Data::Session& s)
			{
				return b.service()
					.insertNew(s, PluginBackend::ORG, adder, PluginBackend::draft(name, "Acme"),
							   ContactSource::WechatInvite, 0, now, 0, InvitationService::AUDIT_JOIN, "")
					.id;
			});
	}

	Poco::Int64 make(Kind kind, Poco::Int64 adder, const std::string& name)
	{
		switch (kind)
		{
		case Kind::Plain:
			return plain(adder, name);
		case Kind::Invited:
			return invited(adder, name);
		case Kind::Linked:
			return linked(adder, nextPerson++);
		default:
			break;
		}
		Poco::Int64 id = plain(adder, name);
		Poco::Int64 user = applications.assign(admin(), id, "").userId;
		if (kind == Kind::ActiveAccount) host.activate(user);
		if (kind == Kind::DisabledAccount)
			accounts.changeAccount(admin(), id, AccountService::AccountChange::Disable, "");
		return id;
	}

	ContactPerson personOf(Poco::Int64 contactId)
	{
		return accounts.persons().of(contactId);
	}

	std::optional<Contact> contact(Poco::Int64 id)
	{
		Poco::Data::Session s = b.database().session();
		std::optional<Contact> found = ContactStore(b.database()).findById(s, PluginBackend::ORG, id);
		if (found) found->visibleMembers = ContactStore(b.database()).visibleMembers(s, id);
		return found;
	}

	ContactPermissions permissions(Poco::Int64 id, int level, std::vector<Poco::Int64> visible)
	{
		ContactPermissions p;
		p.version = contact(id)->version;
		p.securityLevel = level;
		p.visibleMembers = std::move(visible);
		return p;
	}

	void remove(Poco::Int64 id)
	{
		// As the DELETE route does it (ContactRoutes::deleteContact and Plugin.cpp's listener).
		b.service().remove(admin(), id, "");
		accounts.contactDeleted(admin(), id, "");
		orgRequests.contactDeleted(PluginBackend::ORG, id);
	}

	PluginBackend& b;
	FakeHost host;
	QuietNotifier notifier;
	RateLimiter limiter;
	AccountService accounts;
	ApplicationService applications;
	SharingService sharing;
	OrgRequestService orgRequests;
	HandOverService handOver;
	Poco::Int64 nextAdder = 200;
	Poco::Int64 nextPerson = 100;
};

} // namespace

class ContactPersonTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactPersonTest);
	CPPUNIT_TEST(testANewLevelReachesTheAccountAndTheLinkedPerson);
	CPPUNIT_TEST(testAHostThatCannotTakeTheLevelUndoesTheChange);
	CPPUNIT_TEST(testAPersonFromAnotherOrgSeesTheVisibleMembers);
	CPPUNIT_TEST(testAPersonFromAnotherOrgGetsNoSecondLogin);
	CPPUNIT_TEST(testALevelSetWhileTheAccountIsMadeReachesIt);
	CPPUNIT_TEST(testAContactDeletedWhileItsAccountIsMadeLeavesItDisabled);
	CPPUNIT_TEST(testALevelTheNewAccountCannotTakeIsUndone);
	CPPUNIT_TEST(testEveryKindThroughEveryAction);
	CPPUNIT_TEST_SUITE_END();

public:
	// Defect 1 (R6.3, R7.2).
	void testANewLevelReachesTheAccountAndTheLinkedPerson()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 withAccount = w.make(Kind::ActiveAccount, BOB, "李娜");
				Poco::Int64 linked = w.make(Kind::Linked, BOB, "");
				for (Poco::Int64 id : {withAccount, linked})
				{
					Poco::Int64 user = w.personOf(id).usersInOrg().at(0);
					w.sharing.setPermissions(World::admin(), id, w.permissions(id, -7, {ALICE, BOB}), "");
					CPPUNIT_ASSERT_EQUAL(-7, w.contact(id)->securityLevel);
					CPPUNIT_ASSERT_EQUAL(-7, w.host.levelOf(PluginBackend::ORG, user).value_or(1));
				}
			});
	}

	void testAHostThatCannotTakeTheLevelUndoesTheChange()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.make(Kind::PendingAccount, BOB, "李娜");
				Contact before = *w.contact(id);
				w.host.failLevel = true;
				CPPUNIT_ASSERT_THROW(
					w.sharing.setPermissions(World::admin(), id, w.permissions(id, -7, {ALICE, BOB, CAROL}), ""),
					std::runtime_error);
				Contact after = *w.contact(id);
				CPPUNIT_ASSERT_EQUAL(before.securityLevel, after.securityLevel);
				CPPUNIT_ASSERT(before.visibleMembers == after.visibleMembers);
				CPPUNIT_ASSERT(after.version > before.version); // others see that something happened
				// A change that does not touch the level needs no host.
				w.sharing.setPermissions(World::admin(), id, w.permissions(id, before.securityLevel, {ALICE}), "");
				CPPUNIT_ASSERT(w.contact(id)->visibleMembers == std::vector<Poco::Int64>{ALICE});
			});
	}

	// Defect 2 (R5.4, R7.2).
	void testAPersonFromAnotherOrgSeesTheVisibleMembers()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.make(Kind::Linked, BOB, "");
				Poco::Int64 person = *w.personOf(id).linkedUserId;
				CPPUNIT_ASSERT(w.accounts.visibleTo(PluginBackend::ORG, person) == std::set<Poco::Int64>{BOB});
				w.sharing.setPermissions(World::admin(), id, w.permissions(id, 0, {ALICE, CAROL}), "");
				CPPUNIT_ASSERT(w.accounts.visibleTo(PluginBackend::ORG, person) ==
							   (std::set<Poco::Int64>{ALICE, CAROL}));
				CPPUNIT_ASSERT(w.accounts.visibleTo(OTHER, person).empty()); // their own org: not ours to filter
				w.remove(id);
				CPPUNIT_ASSERT(w.accounts.visibleTo(PluginBackend::ORG, person).empty());
			});
	}

	// Defect 3.
	void testAPersonFromAnotherOrgGetsNoSecondLogin()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 id = w.make(Kind::Linked, BOB, "");
				CPPUNIT_ASSERT_THROW(w.applications.apply(PluginBackend::member(BOB), id, "", ""),
									 PersonHasAccountException);
				CPPUNIT_ASSERT_THROW(w.applications.assign(World::admin(), id, ""), PersonHasAccountException);
				AccountService::AccountView view = w.accounts.accountView(World::admin(), id);
				CPPUNIT_ASSERT(view.personHasAccount);
				CPPUNIT_ASSERT(!view.mayApply);
				CPPUNIT_ASSERT(!view.account);

				// An application stored before the contact was linked (old data): approving it
				// makes no login either, and it stays pending for a rejection.
				Poco::Int64 older = w.plain(BOB, "王五");
				Poco::Int64 application =
					w.applications.apply(PluginBackend::member(BOB), older, "", "").application.id;
				b.database().write(
					[&](Poco::Data::Session& s)
					{
						Poco::Int64 person = 150;
						OrgRequestStore(b.database()).link(s, PluginBackend::ORG, older, person, b.directory().nowMs());
					});
				CPPUNIT_ASSERT_THROW(w.applications.approve(World::admin(), application, ""),
									 PersonHasAccountException);
				CPPUNIT_ASSERT_THROW(w.applications.assign(World::admin(), older, ""), PersonHasAccountException);
				CPPUNIT_ASSERT_EQUAL(0, w.host.created);
				CPPUNIT_ASSERT(!w.accounts.accountView(World::admin(), older).account);
				CPPUNIT_ASSERT_EQUAL(AccountApplication::Status::Rejected,
									 w.applications.reject(World::admin(), application, "", "").application.status);
			});
	}

	// A 安全级别 set while the host makes the account (the row says
	// 'creating', no user yet) reaches the account once it exists.
	void testALevelSetWhileTheAccountIsMadeReachesIt()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				Poco::Int64 assigned = w.plain(BOB, "李娜");
				w.sharing.setPermissions(World::admin(), assigned, w.permissions(assigned, -3, {ALICE, BOB}), "");
				changeLevelWhileCreating(w, assigned, -6, [&] { w.applications.assign(World::admin(), assigned, ""); });
				CPPUNIT_ASSERT_EQUAL(-6, w.contact(assigned)->securityLevel);
				CPPUNIT_ASSERT_EQUAL(-6, w.host.levelOf(PluginBackend::ORG, userOf(w, assigned)).value_or(1));

				Poco::Int64 approved = w.plain(BOB, "王五");
				w.sharing.setPermissions(World::admin(), approved, w.permissions(approved, -3, {ALICE, BOB}), "");
				Poco::Int64 application =
					w.applications.apply(PluginBackend::member(BOB), approved, "", "").application.id;
				changeLevelWhileCreating(w, approved, -9,
										 [&] { w.applications.approve(World::admin(), application, ""); });
				CPPUNIT_ASSERT_EQUAL(-9, w.host.levelOf(PluginBackend::ORG, userOf(w, approved)).value_or(1));

				// Nothing changed meanwhile: the account is made at the level, nothing more is sent.
				Poco::Int64 quiet = w.plain(BOB, "赵六");
				w.sharing.setPermissions(World::admin(), quiet, w.permissions(quiet, -4, {ALICE, BOB}), "");
				int calls = w.host.levelCalls;
				w.applications.assign(World::admin(), quiet, "");
				CPPUNIT_ASSERT_EQUAL(-4, w.host.levelOf(PluginBackend::ORG, userOf(w, quiet)).value_or(1));
				CPPUNIT_ASSERT_EQUAL(calls, w.host.levelCalls);
			});
	}

	void testAContactDeletedWhileItsAccountIsMadeLeavesItDisabled()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				// The contact is deleted while the host makes its account (the row says
				// 'creating', no user yet, so the deletion had nothing to disable): once
				// the host answers, the new account is disabled as deletion does (R6.6).
				Poco::Int64 id = w.plain(BOB, "李娜");
				w.sharing.setPermissions(World::admin(), id, w.permissions(id, -3, {ALICE, BOB}), "");
				changeLevelWhileCreating(
					w, id, -3, [&] { w.applications.assign(World::admin(), id, ""); }, [&] { w.remove(id); });
				CPPUNIT_ASSERT(!w.contact(id));
				Poco::Int64 user = userOf(w, id);
				CPPUNIT_ASSERT_EQUAL(std::string("disabled"), w.host.status(user));
				CPPUNIT_ASSERT_EQUAL(std::string("disabled"), w.personOf(id).account->status);
				CPPUNIT_ASSERT(w.host.users[user].sessionsEnded);
			});
	}

	void testALevelTheNewAccountCannotTakeIsUndone()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				// The host makes the account but refuses the new level: the stored level goes
				// back to the one the account has (one more contact.permissions row, the way
				// back), and the account stays.
				Poco::Int64 id = w.plain(BOB, "李娜");
				w.sharing.setPermissions(World::admin(), id, w.permissions(id, -3, {ALICE, BOB}), "");
				Poco::Int64 rows = permissionRows(w, id);
				changeLevelWhileCreating(
					w, id, -6, [&] { w.applications.assign(World::admin(), id, ""); },
					[&] { w.host.failLevel = true; });
				w.host.failLevel = false;
				CPPUNIT_ASSERT_EQUAL(-3, w.contact(id)->securityLevel);
				CPPUNIT_ASSERT_EQUAL(-3, w.host.levelOf(PluginBackend::ORG, userOf(w, id)).value_or(1));
				CPPUNIT_ASSERT_EQUAL(rows + 2, permissionRows(w, id));
				CPPUNIT_ASSERT_EQUAL(std::string("pending"), w.personOf(id).account->status);

				// The host cannot make the account: there is nothing to follow, the new
				// level stays and the next account is made with it.
				Poco::Int64 failed = w.plain(BOB, "王五");
				w.sharing.setPermissions(World::admin(), failed, w.permissions(failed, -3, {ALICE, BOB}), "");
				int calls = w.host.levelCalls;
				CPPUNIT_ASSERT_THROW(changeLevelWhileCreating(
										 w, failed, -6, [&] { w.applications.assign(World::admin(), failed, ""); },
										 [&] { w.host.failCreate = true; }),
									 std::runtime_error);
				w.host.failCreate = false;
				CPPUNIT_ASSERT_EQUAL(-6, w.contact(failed)->securityLevel);
				CPPUNIT_ASSERT(!w.personOf(failed).account);
				CPPUNIT_ASSERT_EQUAL(calls, w.host.levelCalls);
				w.applications.assign(World::admin(), failed, "");
				CPPUNIT_ASSERT_EQUAL(-6, w.host.levelOf(PluginBackend::ORG, userOf(w, failed)).value_or(1));
			});
	}

	enum class Action
	{
		Edit,
		Permissions,
		Share,
		Apply,
		Assign,
		Disable,
		Delete,
		HandOver
	};

	void testEveryKindThroughEveryAction()
	{
		const std::vector<std::pair<Action, const char*>> actions = {
			{Action::Edit, "edit"},     {Action::Permissions, "permissions"}, {Action::Share, "share"},
			{Action::Apply, "apply"},   {Action::Assign, "assign"},           {Action::Disable, "disable"},
			{Action::Delete, "delete"}, {Action::HandOver, "hand-over"}};
		const std::vector<Kind> kinds = {Kind::Plain,           Kind::PendingAccount, Kind::ActiveAccount,
										 Kind::DisabledAccount, Kind::Linked,         Kind::Invited};
		// What each action answers, per kind: "" (done) or the exception expected.
		auto expected = [](Kind kind, Action action) -> std::string
		{
			bool account = kind == Kind::PendingAccount || kind == Kind::ActiveAccount || kind == Kind::DisabledAccount;
			switch (action)
			{
			case Action::Apply:
			case Action::Assign:
				if (kind == Kind::Linked) return "person_has_account";
				return account ? "account_exists" : "";
			case Action::Disable:
				return account ? "" : "no_account";
			default:
				return "";
			}
		};
		PluginBackend::forEach(
			[&](PluginBackend& b)
			{
				World w(b);
				for (Kind kind : kinds)
					for (const auto& [action, actionName] : actions)
					{
						std::string cell = std::string(nameOf(kind)) + " / " + actionName + " on " + b.name();
						Poco::Int64 adder = w.newAdder();
						Poco::Int64 id = w.make(kind, adder, "人" + std::to_string(adder));
						// Every contact starts visible to Alice and its adder, at level -3.
						w.sharing.setPermissions(World::admin(), id, w.permissions(id, -3, {ALICE, adder}), cell);
						ContactPerson person = w.personOf(id);
						std::map<Poco::Int64, std::string> statusBefore;
						for (Poco::Int64 user : person.usersInOrg())
							statusBefore[user] = w.host.status(user);
						int createdBefore = w.host.created;

						std::string outcome;
						try
						{
							run(w, action, id, adder);
						}
						catch (const PersonHasAccountException&)
						{
							outcome = "person_has_account";
						}
						catch (const AccountExistsException&)
						{
							outcome = "account_exists";
						}
						catch (const NoAccountException&)
						{
							outcome = "no_account";
						}
						CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, expected(kind, action), outcome);

						std::optional<Contact> contact = w.contact(id);
						ContactPerson now = w.personOf(id);
						bool assigned = action == Action::Assign && outcome.empty();
						CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, assigned ? createdBefore + 1 : createdBefore,
													 w.host.created);
						if (action == Action::Delete)
						{
							CPPUNIT_ASSERT_MESSAGE(cell, !contact);
							for (Poco::Int64 user : person.usersInOrg())
							{
								CPPUNIT_ASSERT_MESSAGE(cell, w.host.users[user].sessionsEnded);
								CPPUNIT_ASSERT_MESSAGE(cell, w.accounts.visibleTo(PluginBackend::ORG, user).empty());
								if (kind == Kind::Linked) // the external membership ends; their own login stays
									CPPUNIT_ASSERT_MESSAGE(cell, !w.host.levelOf(PluginBackend::ORG, user));
								else // the account is disabled
									CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, std::string("disabled"), w.host.status(user));
							}
							CPPUNIT_ASSERT_MESSAGE(cell, !now.linkedUserId);
							continue;
						}
						CPPUNIT_ASSERT_MESSAGE(cell, contact.has_value());
						int level = action == Action::Permissions ? -8 : -3;
						CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, level, contact->securityLevel);
						// Whoever the person is at the host, their membership follows the contact.
						std::set<Poco::Int64> visible(contact->visibleMembers.begin(), contact->visibleMembers.end());
						for (Poco::Int64 user : now.usersInOrg())
						{
							CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, level,
														 w.host.levelOf(PluginBackend::ORG, user).value_or(1));
							CPPUNIT_ASSERT_MESSAGE(cell, w.accounts.visibleTo(PluginBackend::ORG, user) == visible);
							// Only disabling an account ends sessions; a linked person keeps theirs.
							bool disabled = now.account && (kind == Kind::DisabledAccount || action == Action::Disable);
							std::string status = statusBefore.count(user) ? statusBefore[user] : "pending";
							if (now.account)
								CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, disabled ? std::string("disabled") : status,
															 w.host.status(user));
							CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, disabled, w.host.users[user].sessionsEnded);
						}
						CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, kind == Kind::Linked, now.hasOwnLogin());
						CPPUNIT_ASSERT_EQUAL_MESSAGE(
							cell, kind == Kind::Linked ? std::size_t(1) : (now.account ? std::size_t(1) : 0),
							now.usersInOrg().size());
						if (action == Action::Permissions)
							CPPUNIT_ASSERT_MESSAGE(cell, visible == (std::set<Poco::Int64>{ALICE, CAROL, adder}));
						if (action == Action::HandOver)
						{
							CPPUNIT_ASSERT_EQUAL_MESSAGE(cell, ALICE, contact->addedBy);
							CPPUNIT_ASSERT_MESSAGE(cell, !visible.count(adder));
						}
					}
			});
	}

private:
	// Runs make() (assign or approve) on a thread of its own. While the host
	// makes the account, with the contact's row 'creating', this thread sets
	// the contact's level to `level` and runs meanwhile(); then the host
	// answers. Rethrows what make() threw.
	static void changeLevelWhileCreating(World& w, Poco::Int64 id, int level, const std::function<void()>& make,
										 const std::function<void()>& meanwhile = {})
	{
		std::promise<void> entered, answer;
		std::future<void> inHost = entered.get_future();
		std::shared_future<void> answered = answer.get_future().share();
		w.host.whileCreating = [&]
		{
			entered.set_value();
			answered.wait();
		};
		std::exception_ptr thrown;
		std::thread maker(
			[&]
			{
				try
				{
					make();
				}
				catch (...)
				{
					thrown = std::current_exception();
				}
			});
		std::exception_ptr failed;
		try
		{
			if (inHost.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
				throw std::logic_error("the host was never asked for the account");
			std::optional<ApplicationStore::Account> row;
			{
				Poco::Data::Session s = w.b.database().session();
				row = ApplicationStore(w.b.database()).accountOf(s, id);
			}
			CPPUNIT_ASSERT(row && row->status == "creating" && !row->userId);
			w.sharing.setPermissions(World::admin(), id, w.permissions(id, level, {ALICE, BOB}), "");
			if (meanwhile) meanwhile();
		}
		catch (...)
		{
			failed = std::current_exception();
		}
		answer.set_value();
		maker.join();
		w.host.whileCreating = nullptr;
		if (failed) std::rethrow_exception(failed);
		if (thrown) std::rethrow_exception(thrown);
	}

	static Poco::Int64 userOf(World& w, Poco::Int64 id)
	{
		std::optional<ContactPerson::Account> account = w.personOf(id).account;
		CPPUNIT_ASSERT(account && account->userId);
		return *account->userId;
	}

	static Poco::Int64 permissionRows(World& w, Poco::Int64 id)
	{
		Poco::Data::Session s = w.b.database().session();
		Poco::Int64 n = 0;
		s << "SELECT COUNT(*) FROM ec_audit WHERE contact_id = ? AND action = 'contact.permissions'", use(id), into(n),
			now;
		return n;
	}

	static void run(World& w, Action action, Poco::Int64 id, Poco::Int64 adder)
	{
		Actor admin = World::admin();
		switch (action)
		{
		case Action::Edit:
		{
			ContactEdit edit;
			edit.version = w.contact(id)->version;
			edit.values.title = "采购总监";
			edit.given = {"title"};
			w.b.service().update(admin, id, edit, "");
			return;
		}
		case Action::Permissions:
			w.sharing.setPermissions(admin, id, w.permissions(id, -8, {ALICE, CAROL, adder}), "");
			return;
		case Action::Share:
			w.sharing.setShares(admin, id, {CAROL}, "");
			return;
		case Action::Apply:
			w.applications.apply(PluginBackend::member(adder), id, "", "");
			return;
		case Action::Assign:
			w.applications.assign(admin, id, "");
			return;
		case Action::Disable:
			w.accounts.changeAccount(admin, id, AccountService::AccountChange::Disable, "");
			return;
		case Action::Delete:
			w.remove(id);
			return;
		case Action::HandOver:
			w.b.directory().removeMember(PluginBackend::ORG, adder);
			w.handOver.memberLeft(PluginBackend::ORG, adder, ALICE, "");
			return;
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactPersonTest);
