// 在职继承 (issue 13), on SQLite and MariaDB: an admin or a maintain-holder
// gives a chosen set, or all, of one member's contacts to another while
// both stay; batches with their progress in the job's row, contact.transfer
// history rows, one notice to the receiver; validation naming the field;
// a crash after batch k resumed by another node from k; two nodes claiming
// on real threads (only one runs); the worker thread; 100,000 contacts.
#include "AuditRows.h"
#include "PluginBackend.h"

#include "domain/Exceptions.h"
#include "domain/ValidationError.h"
#include "service/TransferService.h"
#include "service/TransferWorker.h"
#include <Poco/Data/Statement.h>
#include <atomic>
#include <chrono>
#include <cppunit/extensions/HelperMacros.h>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 ALICE = 1, BOB = 2, CAROL = 3, DAVE = 4, ERIN = 5; // Alice admin, Erin maintain-holder
const std::string MAINTAIN = "external_contacts.maintain";

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

struct Crash : std::runtime_error
{
	Crash() : std::runtime_error("the process died") {}
};

struct World
/// Alice (admin), Bob (gives), Carol (receives), Dave (a plain member),
/// Erin (holds external_contacts.maintain): members of ORG.
{
	explicit World(PluginBackend& backend) : b(backend), transfers(backend.context(), notifier, "node-a")
	{
		b.directory().addUser(DAVE, "Dave");
		b.directory().addUser(ERIN, "Erin");
		b.directory().addMember(PluginBackend::ORG, DAVE);
		b.directory().addMember(PluginBackend::ORG, ERIN);
		b.directory().makeAdmin(PluginBackend::ORG, ALICE);
		b.directory().grant(ERIN, PluginBackend::ORG, MAINTAIN);
	}

	static Actor admin()
	{
		return PluginBackend::member(ALICE, PluginBackend::ORG, true);
	}

	TransferService::Item startAll(Poco::Int64 from = BOB, Poco::Int64 to = CAROL)
	{
		TransferService::Request r;
		r.fromUserId = from;
		r.toUserId = to;
		r.all = true;
		return transfers.start(admin(), r, "10.0.0.9");
	}

	TransferService::Item startSome(const std::vector<Poco::Int64>& ids, Poco::Int64 from = BOB, Poco::Int64 to = CAROL)
	{
		TransferService::Request r;
		r.fromUserId = from;
		r.toUserId = to;
		r.contactIds = ids;
		return transfers.start(admin(), r, "10.0.0.9");
	}

	Transfer row(Poco::Int64 id)
	{
		return transfers.get(admin(), id).value().transfer;
	}

	Poco::Int64 scalar(const std::string& sql)
	{
		Poco::Data::Session s = b.database().session();
		Poco::Int64 n = -1;
		s << sql, into(n), now;
		return n;
	}

	Poco::Int64 heldBy(Poco::Int64 who)
	{
		return scalar("SELECT COUNT(*) FROM ec_contacts WHERE deleted_at IS NULL AND added_by = " +
					  std::to_string(who));
	}

	Poco::Int64 transferRows()
	{
		return scalar("SELECT COUNT(*) FROM ec_audit WHERE action = 'contact.transfer'");
	}

	Poco::Int64 movedTwice()
	/// Contacts with more than one contact.transfer row.
	{
		return scalar("SELECT COUNT(*) FROM (SELECT contact_id FROM ec_audit WHERE action = 'contact.transfer'"
					  " GROUP BY contact_id HAVING COUNT(*) > 1) t");
	}

	std::vector<Poco::Int64> make(Poco::Int64 adder, std::size_t n)
	/// n contacts of adder, through the service.
	{
		std::vector<Poco::Int64> ids;
		for (std::size_t i = 0; i < n; ++i)
			ids.push_back(b.create(adder, "联系人" + std::to_string(i), i % 2 ? "Acme" : "").contact.id);
		return ids;
	}

	void bulk(Poco::Int64 adder, std::size_t n)
	/// n contacts of adder in multi-row INSERTs (1,000 rows each), each
	/// with adder as its one visible member.
	{
		const std::size_t ROWS = 1000;
		for (std::size_t start = 0; start < n; start += ROWS)
		{
			std::ostringstream sql;
			sql << "INSERT INTO ec_contacts (org_id, name, added_by, group_rank, group_name, created_at, updated_at) "
				   "VALUES ";
			for (std::size_t i = start; i < std::min(n, start + ROWS); ++i)
				sql << (i == start ? "" : ", ") << "(" << PluginBackend::ORG << ", 'c" << i << "', " << adder
					<< ", 1, '', 1700000000000, 1700000000000)";
			b.execute(sql.str());
		}
		b.execute("INSERT INTO ec_contact_visible_members (contact_id, member_id) SELECT id, added_by FROM ec_contacts "
				  "c WHERE added_by = " +
				  std::to_string(adder) +
				  " AND NOT EXISTS (SELECT 1 FROM ec_contact_visible_members v WHERE v.contact_id = c.id)");
	}

	PluginBackend& b;
	RecordingNotifier notifier;
	TransferService transfers;
};

template <typename F> std::string refusedField(F&& f)
/// The field a ValidationError names, or "" when f does not throw one.
{
	try
	{
		f();
	}
	catch (const ValidationError& e)
	{
		return e.field();
	}
	return "";
}

} // namespace

class TransferTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(TransferTest);
	CPPUNIT_TEST(testASelectionMovesWithHistoryAndOneNotice);
	CPPUNIT_TEST(testAllMovesEveryContactInBatches);
	CPPUNIT_TEST(testBadRequestsNameTheField);
	CPPUNIT_TEST(testOnlyAdminsAndMaintainHoldersMayTransfer);
	CPPUNIT_TEST(testOneRunningTransferPerGiver);
	CPPUNIT_TEST(testACrashIsResumedFromTheLastBatch);
	CPPUNIT_TEST(testTwoNodesClaimingOnlyOneRuns);
	CPPUNIT_TEST(testAReceiverWhoLeftEndsItAsFailed);
	CPPUNIT_TEST(testAMemberLeavingStopsTheirTransfersBeforeTheHandOver);
	CPPUNIT_TEST(testTheListIsNewestFirstAndPerOrg);
	CPPUNIT_TEST(testTheGiversContactsArePagedById);
	CPPUNIT_TEST(testTheWorkerRunsAndTakesUpOrphans);
	CPPUNIT_TEST(testAHundredThousandContacts);
	CPPUNIT_TEST_SUITE_END();

public:
	void testASelectionMovesWithHistoryAndOneNotice()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				std::vector<Poco::Int64> ids = w.make(BOB, 5);
				b.share(ids[0], DAVE);
				TransferService::Item started = w.startSome({ids[3], ids[0], ids[1]});
				CPPUNIT_ASSERT(started.transfer.status == Transfer::Status::Running);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), started.transfer.total);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), started.transfer.done);
				CPPUNIT_ASSERT_EQUAL(std::string("Bob"), started.from.displayName.value_or(""));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), w.transferRows()); // start() moves nothing

				CPPUNIT_ASSERT(w.transfers.run(started.transfer.id));
				Transfer t = w.row(started.transfer.id);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), t.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), t.skipped);
				CPPUNIT_ASSERT(t.finishedAt.has_value());
				CPPUNIT_ASSERT(!t.error);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), w.heldBy(CAROL));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), w.heldBy(BOB));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2),
									 w.scalar("SELECT version FROM ec_contacts WHERE id = " + std::to_string(ids[0])));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(CAROL),
									 w.scalar("SELECT member_id FROM ec_contact_visible_members WHERE contact_id = " +
											  std::to_string(ids[1])));
				// The share list is the contact's, not the giver's: it stays.
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contact_shares"));

				std::vector<AuditRow> rows = auditRows(b, TransferService::AUDIT_TRANSFER);
				CPPUNIT_ASSERT_EQUAL(std::size_t(3), rows.size());
				for (const AuditRow& row : rows)
				{
					CPPUNIT_ASSERT_EQUAL(ALICE, row.actorId);
					CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.9"), row.remoteAddr);
					CPPUNIT_ASSERT_EQUAL(std::string(R"({"addedBy":2,"visibleMembers":[2]})"), *row.beforeJson);
					CPPUNIT_ASSERT_EQUAL(std::string(R"({"addedBy":3,"visibleMembers":[3]})"), *row.afterJson);
				}

				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
				const Notifier::Notice& n = w.notifier.notices.front();
				CPPUNIT_ASSERT(n.userIds == std::vector<Poco::Int64>{CAROL});
				CPPUNIT_ASSERT_EQUAL(TransferService::NOTICE_TYPE, n.type);
				CPPUNIT_ASSERT_EQUAL(std::string("Bob 的 3 位外部联系人已转给你。"), n.body.zhCN);
				CPPUNIT_ASSERT_EQUAL(std::string("3 external contacts of Bob were transferred to you."), n.body.en);

				// Running it again does nothing: it is done.
				CPPUNIT_ASSERT(!w.transfers.run(started.transfer.id));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), w.transferRows());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
			});
	}

	void testAllMovesEveryContactInBatches()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const std::size_t total = 2 * TransferService::BATCH + 37;
				std::vector<Poco::Int64> ids = w.make(BOB, total);
				w.make(DAVE, 3);
				TransferService::Item started = w.startAll();
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), started.transfer.total);
				// Added after the start: not part of it. Deleted meanwhile: skipped.
				Poco::Int64 later = b.create(BOB, "后来").contact.id;
				b.service().remove(PluginBackend::member(BOB), ids[5], "");
				std::vector<Poco::Int64> progress;
				w.transfers.afterBatchForTest([&](Poco::Int64 id, std::size_t) { progress.push_back(w.row(id).done); });
				CPPUNIT_ASSERT(w.transfers.run(started.transfer.id));
				// The deleted one is no longer in the giver's range: batches stay full.
				CPPUNIT_ASSERT((progress == std::vector<Poco::Int64>{Poco::Int64(TransferService::BATCH),
																	 Poco::Int64(2 * TransferService::BATCH),
																	 Poco::Int64(total - 1)}));
				Transfer t = w.row(started.transfer.id);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total - 1), t.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), t.skipped);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total - 1), w.heldBy(CAROL));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), w.heldBy(BOB));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(BOB),
									 w.scalar("SELECT added_by FROM ec_contacts WHERE id = " + std::to_string(later)));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), w.heldBy(DAVE));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total - 1), w.transferRows());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
			});
	}

	void testBadRequestsNameTheField()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				std::vector<Poco::Int64> bobs = w.make(BOB, 2);
				Poco::Int64 daves = w.make(DAVE, 1).front();
				Poco::Int64 gone = w.make(BOB, 1).front();
				b.service().remove(PluginBackend::member(BOB), gone, "");
				b.directory().addUser(7, "Grace");
				b.directory().addMember(PluginBackend::OTHER_ORG, 7);
				Poco::Int64 elsewhere = b.create(7, "别处", "", PluginBackend::OTHER_ORG).contact.id;
				auto start =
					[&](Poco::Int64 from, Poco::Int64 to, std::optional<std::vector<Poco::Int64>> ids, bool all)
				{
					return refusedField(
						[&]
						{
							TransferService::Request r;
							r.fromUserId = from;
							r.toUserId = to;
							r.contactIds = ids;
							r.all = all;
							w.transfers.start(World::admin(), r, "");
						});
				};
				CPPUNIT_ASSERT_EQUAL(std::string("fromUserId"), start(0, CAROL, std::nullopt, true));
				CPPUNIT_ASSERT_EQUAL(std::string("fromUserId"), start(7, CAROL, std::nullopt, true)); // other org
				CPPUNIT_ASSERT_EQUAL(std::string("toUserId"), start(BOB, -3, std::nullopt, true));
				CPPUNIT_ASSERT_EQUAL(std::string("toUserId"), start(BOB, BOB, std::nullopt, true));
				CPPUNIT_ASSERT_EQUAL(std::string("toUserId"), start(BOB, 99, std::nullopt, true)); // unknown
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"), start(BOB, CAROL, std::nullopt, false));
				CPPUNIT_ASSERT_EQUAL(std::string("all"), start(BOB, CAROL, bobs, true));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"), start(BOB, CAROL, std::vector<Poco::Int64>{}, false));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"),
									 start(BOB, CAROL, std::vector<Poco::Int64>(1001, bobs[0]), false));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"),
									 start(BOB, CAROL, std::vector<Poco::Int64>{bobs[0], 0}, false));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"),
									 start(BOB, CAROL, std::vector<Poco::Int64>{bobs[0], bobs[0]}, false));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"),
									 start(BOB, CAROL, std::vector<Poco::Int64>{bobs[0], daves}, false));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"),
									 start(BOB, CAROL, std::vector<Poco::Int64>{bobs[1], gone}, false));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"),
									 start(BOB, CAROL, std::vector<Poco::Int64>{elsewhere}, false));
				CPPUNIT_ASSERT_EQUAL(std::string("contactIds"),
									 start(BOB, CAROL, std::vector<Poco::Int64>{bobs[0], 999999}, false));
				CPPUNIT_ASSERT_EQUAL(std::string("all"), start(ERIN, CAROL, std::nullopt, true)); // holds none
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_transfers"));
				// The good neighbours of the bad ones.
				CPPUNIT_ASSERT_EQUAL(std::string(""), start(BOB, CAROL, bobs, false));
				CPPUNIT_ASSERT_EQUAL(std::string(""), start(DAVE, CAROL, std::nullopt, true));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), b.count("ec_transfers"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), b.count("ec_transfer_contacts"));
			});
	}

	void testOnlyAdminsAndMaintainHoldersMayTransfer()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				w.make(BOB, 2);
				TransferService::Request r;
				r.fromUserId = BOB;
				r.toUserId = CAROL;
				r.all = true;
				auto denied = [&](const Actor& actor)
				{
					try
					{
						w.transfers.start(actor, r, "");
					}
					catch (const AccessDeniedException&)
					{
						try
						{
							w.transfers.list(actor, std::nullopt, 10);
						}
						catch (const AccessDeniedException&)
						{
							return true;
						}
					}
					return false;
				};
				CPPUNIT_ASSERT(denied(PluginBackend::member(DAVE)));
				CPPUNIT_ASSERT(denied(PluginBackend::member(BOB))); // not even their own
				CPPUNIT_ASSERT(denied(PluginBackend::external(DAVE)));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_transfers"));
				TransferService::Item item = w.transfers.start(PluginBackend::member(ERIN), r, "");
				CPPUNIT_ASSERT_EQUAL(ERIN, item.transfer.createdBy);
				CPPUNIT_ASSERT(w.transfers.get(PluginBackend::member(ERIN), item.transfer.id).has_value());
				CPPUNIT_ASSERT(w.transfers.run(item.transfer.id));
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), auditRows(b, TransferService::AUDIT_TRANSFER).size());
				CPPUNIT_ASSERT_EQUAL(ERIN, auditRows(b, TransferService::AUDIT_TRANSFER).front().actorId);
			});
	}

	void testOneRunningTransferPerGiver()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				std::vector<Poco::Int64> ids = w.make(BOB, 3);
				w.make(DAVE, 1);
				TransferService::Item first = w.startSome({ids[0]});
				try
				{
					w.startSome({ids[1]}, BOB, ERIN);
					CPPUNIT_FAIL("a second running transfer of Bob's was accepted");
				}
				catch (const TransferRunningException& e)
				{
					CPPUNIT_ASSERT_EQUAL(first.transfer.id, e.runningId);
				}
				w.startAll(DAVE, BOB); // another giver: fine, even to Bob
				CPPUNIT_ASSERT(w.transfers.run(first.transfer.id));
				w.startSome({ids[1]}, BOB, ERIN); // Bob's first one is done
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), b.count("ec_transfers"));

				// Two requests at once on real threads: one wins.
				std::atomic<int> ok{0}, running{0};
				std::atomic<bool> go{false};
				auto racer = [&]
				{
					while (!go)
						std::this_thread::yield();
					try
					{
						w.startSome({ids[2]});
						++ok;
					}
					catch (const TransferRunningException&)
					{
						++running;
					}
				};
				// Bob's transfer to Erin still runs: finish it first.
				Poco::Int64 toErin = w.transfers.list(World::admin(), std::nullopt, 1).items.front().transfer.id;
				CPPUNIT_ASSERT(w.transfers.run(toErin));
				std::thread one(racer), two(racer);
				go = true;
				one.join();
				two.join();
				CPPUNIT_ASSERT_EQUAL(1, ok.load());
				CPPUNIT_ASSERT_EQUAL(1, running.load());
			});
	}

	void testACrashIsResumedFromTheLastBatch()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const std::size_t total = 5 * TransferService::BATCH + 13;
				w.bulk(BOB, total);
				TransferService::Item started = w.startAll();
				Poco::Int64 id = started.transfer.id;
				w.transfers.afterBatchForTest(
					[](Poco::Int64, std::size_t batches)
					{
						if (batches == 2) throw Crash();
					});
				CPPUNIT_ASSERT_THROW(w.transfers.run(id), Crash);
				Transfer halfway = w.row(id);
				CPPUNIT_ASSERT(halfway.status == Transfer::Status::Running);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2 * TransferService::BATCH), halfway.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2 * TransferService::BATCH), w.heldBy(CAROL));
				CPPUNIT_ASSERT(w.notifier.notices.empty());

				// Another node: not while the dead one's lease lasts.
				TransferService other(b.context(), w.notifier, "node-b");
				CPPUNIT_ASSERT(other.stale().empty());
				CPPUNIT_ASSERT(!other.needsPickUp(halfway));
				CPPUNIT_ASSERT(!other.run(id));
				b.directory().advance(TransferService::LEASE_MS + 1);
				CPPUNIT_ASSERT(other.needsPickUp(w.row(id)));
				CPPUNIT_ASSERT(other.stale() == std::vector<Poco::Int64>{id});
				std::vector<Poco::Int64> resumedAt;
				other.afterBatchForTest([&](Poco::Int64 t, std::size_t) { resumedAt.push_back(w.row(t).done); });
				CPPUNIT_ASSERT(other.run(id));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3 * TransferService::BATCH), resumedAt.front());
				Transfer t = w.row(id);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), t.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), t.skipped);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), w.heldBy(CAROL));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), w.transferRows());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), w.movedTwice());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), w.scalar("SELECT COUNT(*) FROM ec_contacts WHERE version <> 2"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
				CPPUNIT_ASSERT(w.notifier.notices.front().body.en.find(std::to_string(total)) == 0);
				// The dead node, back, has nothing left to do.
				w.transfers.afterBatchForTest(nullptr);
				CPPUNIT_ASSERT(!w.transfers.run(id));
			});
	}

	void testTwoNodesClaimingOnlyOneRuns()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const std::size_t total = 3 * TransferService::BATCH + 1;
				w.bulk(BOB, total);
				Poco::Int64 id = w.startAll().transfer.id;
				TransferService a(b.context(), w.notifier, "node-a"), c(b.context(), w.notifier, "node-c");
				std::atomic<bool> go{false};
				std::atomic<int> ran{0};
				std::atomic<bool> aRan{false}, cRan{false};
				std::atomic<bool> otherFailedWhileWorking{false};
				// Whoever wins tries, after its first batch, to let the other
				// claim it as well: refused while the lease lasts.
				auto hook = [&](TransferService& other)
				{
					TransferService* o = &other;
					return [o, &otherFailedWhileWorking](Poco::Int64 t, std::size_t batches)
					{
						if (batches == 1 && !o->run(t)) otherFailedWhileWorking = true;
					};
				};
				a.afterBatchForTest(hook(c));
				c.afterBatchForTest(hook(a));
				std::thread ta(
					[&]
					{
						while (!go)
							std::this_thread::yield();
						if (a.run(id))
						{
							++ran;
							aRan = true;
						}
					});
				std::thread tc(
					[&]
					{
						while (!go)
							std::this_thread::yield();
						if (c.run(id))
						{
							++ran;
							cRan = true;
						}
					});
				go = true;
				ta.join();
				tc.join();
				CPPUNIT_ASSERT_EQUAL(1, ran.load());
				CPPUNIT_ASSERT(aRan != cRan);
				CPPUNIT_ASSERT(otherFailedWhileWorking);
				Transfer t = w.row(id);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), t.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), w.transferRows());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), w.movedTwice());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
			});
	}

	void testAReceiverWhoLeftEndsItAsFailed()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const std::size_t total = 2 * TransferService::BATCH + 5;
				w.bulk(BOB, total);
				Poco::Int64 id = w.startAll().transfer.id;
				w.transfers.afterBatchForTest([&](Poco::Int64, std::size_t)
											  { b.directory().removeMember(PluginBackend::ORG, CAROL); });
				CPPUNIT_ASSERT(w.transfers.run(id));
				Transfer t = w.row(id);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Failed);
				CPPUNIT_ASSERT_EQUAL(std::string("the receiver is no longer a member of the organization"),
									 t.error.value_or(""));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(TransferService::BATCH), t.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total - TransferService::BATCH), w.heldBy(BOB));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size()); // what did move is told
				// Bob may be given to someone else now.
				w.startAll(BOB, DAVE);
			});
	}

	void testAMemberLeavingStopsTheirTransfersBeforeTheHandOver()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				// Hook 100 comes between two batches, while the directory still
				// answers that the receiver is a member (the check before each
				// batch passed): the next batch must not give them more.
				World w(b);
				const std::size_t total = 2 * TransferService::BATCH + 5;
				w.bulk(BOB, total);
				Poco::Int64 id = w.startAll().transfer.id;
				std::size_t ended = 0;
				w.transfers.afterBatchForTest(
					[&](Poco::Int64, std::size_t batches)
					{
						if (batches == 1) ended = w.transfers.memberLeft(PluginBackend::ORG, CAROL);
					});
				CPPUNIT_ASSERT(w.transfers.run(id));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), ended);
				Transfer t = w.row(id);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Failed);
				CPPUNIT_ASSERT_EQUAL(std::string("a member of the transfer left the organization"),
									 t.error.value_or(""));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(TransferService::BATCH), t.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(TransferService::BATCH), w.heldBy(CAROL));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total - TransferService::BATCH), w.heldBy(BOB));

				// The giver leaving ends it too; other members' transfers run on.
				w.transfers.afterBatchForTest(nullptr);
				Poco::Int64 fromBob = w.startAll(BOB, DAVE).transfer.id;
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.transfers.memberLeft(PluginBackend::ORG, BOB));
				CPPUNIT_ASSERT(w.row(fromBob).status == Transfer::Status::Failed);
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), w.transfers.memberLeft(PluginBackend::ORG, BOB));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total - TransferService::BATCH), w.heldBy(BOB));
			});
	}

	void testTheListIsNewestFirstAndPerOrg()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				std::vector<Poco::Int64> ids = w.make(BOB, 3);
				std::vector<Poco::Int64> made;
				for (Poco::Int64 contact : ids)
				{
					made.push_back(w.startSome({contact}).transfer.id);
					CPPUNIT_ASSERT(w.transfers.run(made.back()));
				}
				TransferService::Page first = w.transfers.list(World::admin(), std::nullopt, 2);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), first.items.size());
				CPPUNIT_ASSERT_EQUAL(made[2], first.items[0].transfer.id);
				CPPUNIT_ASSERT_EQUAL(made[1], first.items[1].transfer.id);
				CPPUNIT_ASSERT_EQUAL(std::string("Carol"), first.items[0].to.displayName.value_or(""));
				CPPUNIT_ASSERT_EQUAL(std::string("Alice"), first.items[0].by.displayName.value_or(""));
				TransferService::Page second = w.transfers.list(World::admin(), first.nextCursor, 2);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), second.items.size());
				CPPUNIT_ASSERT_EQUAL(made[0], second.items[0].transfer.id);
				CPPUNIT_ASSERT(!second.nextCursor);
				CPPUNIT_ASSERT_EQUAL(std::string("limit"),
									 refusedField([&] { w.transfers.list(World::admin(), std::nullopt, 0); }));
				CPPUNIT_ASSERT_EQUAL(std::string("limit"),
									 refusedField([&] { w.transfers.list(World::admin(), std::nullopt, 101); }));
				// Another org's admin sees none of them.
				b.directory().addUser(8, "Heidi");
				b.directory().makeAdmin(PluginBackend::OTHER_ORG, 8);
				Actor other = PluginBackend::member(8, PluginBackend::OTHER_ORG, true);
				CPPUNIT_ASSERT(w.transfers.list(other, std::nullopt, 10).items.empty());
				CPPUNIT_ASSERT(!w.transfers.get(other, made[0]).has_value());
			});
	}

	void testTheGiversContactsArePagedById()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				std::vector<Poco::Int64> ids = w.make(BOB, 5);
				w.make(DAVE, 2);
				b.service().remove(PluginBackend::member(BOB), ids[1], "");
				TransferService::Candidates first = w.transfers.candidates(World::admin(), BOB, std::nullopt, 3);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), first.total);
				CPPUNIT_ASSERT_EQUAL(std::size_t(3), first.items.size());
				CPPUNIT_ASSERT_EQUAL(ids[0], first.items[0].id);
				CPPUNIT_ASSERT_EQUAL(ids[2], first.items[1].id);
				CPPUNIT_ASSERT_EQUAL(std::string(""), first.items[1].company);
				CPPUNIT_ASSERT_EQUAL(std::string("Acme"), first.items[2].company);
				CPPUNIT_ASSERT_EQUAL(ids[3], first.nextCursor.value_or(0));
				TransferService::Candidates second = w.transfers.candidates(World::admin(), BOB, first.nextCursor, 3);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), second.items.size());
				CPPUNIT_ASSERT_EQUAL(ids[4], second.items[0].id);
				CPPUNIT_ASSERT(!second.nextCursor);
				CPPUNIT_ASSERT_EQUAL(
					std::string("fromUserId"),
					refusedField([&] { w.transfers.candidates(World::admin(), 99, std::nullopt, 3); }));
				CPPUNIT_ASSERT_EQUAL(
					std::string("limit"),
					refusedField([&] { w.transfers.candidates(World::admin(), BOB, std::nullopt, 0); }));
				CPPUNIT_ASSERT_THROW(w.transfers.candidates(PluginBackend::member(DAVE), BOB, std::nullopt, 3),
									 AccessDeniedException);
			});
	}

	void testTheWorkerRunsAndTakesUpOrphans()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				w.bulk(BOB, 450);
				w.make(DAVE, 2);
				// An orphan: its node died after one batch.
				Poco::Int64 orphan = w.startAll().transfer.id;
				w.transfers.afterBatchForTest([](Poco::Int64, std::size_t) { throw Crash(); });
				CPPUNIT_ASSERT_THROW(w.transfers.run(orphan), Crash);
				b.directory().advance(TransferService::LEASE_MS + 1);

				TransferService node(b.context(), w.notifier, "node-w");
				std::vector<std::string> errors;
				TransferWorker worker(
					node, [&](const std::string& e) { errors.push_back(e); }, 50);
				worker.start();
				Poco::Int64 queued = w.startAll(DAVE, ERIN).transfer.id;
				worker.enqueue(queued);
				auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
				while ((w.row(orphan).status == Transfer::Status::Running ||
						w.row(queued).status == Transfer::Status::Running) &&
					   std::chrono::steady_clock::now() < until)
					std::this_thread::sleep_for(std::chrono::milliseconds(20));
				worker.stop();
				CPPUNIT_ASSERT(errors.empty());
				CPPUNIT_ASSERT(w.row(orphan).status == Transfer::Status::Done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(450), w.row(orphan).done);
				CPPUNIT_ASSERT(w.row(queued).status == Transfer::Status::Done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), w.heldBy(ERIN));

				// Stopped in the middle, the worker gives the lease back at once.
				w.bulk(ERIN, 3 * TransferService::BATCH);
				Poco::Int64 stopped = w.startAll(ERIN, DAVE).transfer.id;
				TransferWorker slow(
					node, [&](const std::string& e) { errors.push_back(e); }, 60000);
				std::atomic<bool> firstBatch{false};
				node.afterBatchForTest(
					[&](Poco::Int64, std::size_t)
					{
						firstBatch = true;
						std::this_thread::sleep_for(std::chrono::milliseconds(200));
					});
				slow.start();
				slow.enqueue(stopped);
				while (!firstBatch)
					std::this_thread::sleep_for(std::chrono::milliseconds(5));
				slow.stop();
				Transfer t = w.row(stopped);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Running);
				CPPUNIT_ASSERT(t.done > 0 && t.done < t.total);
				CPPUNIT_ASSERT(w.transfers.needsPickUp(t)); // no lease: the next node continues at once
				CPPUNIT_ASSERT(errors.empty());
			});
	}

	void testAHundredThousandContacts()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				World w(b);
				const std::size_t total = 100000;
				auto t0 = std::chrono::steady_clock::now();
				w.bulk(BOB, total);
				auto t1 = std::chrono::steady_clock::now();
				Poco::Int64 id = w.startAll().transfer.id;
				CPPUNIT_ASSERT(w.transfers.run(id));
				auto t2 = std::chrono::steady_clock::now();
				Transfer t = w.row(id);
				CPPUNIT_ASSERT(t.status == Transfer::Status::Done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), t.total);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), t.done);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), w.heldBy(CAROL));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), w.heldBy(BOB));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total), w.transferRows());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.notifier.notices.size());
				using ms = std::chrono::milliseconds;
				std::cerr << "\n[" << b.name() << "] 100,000 contacts: inserted in "
						  << std::chrono::duration_cast<ms>(t1 - t0).count() << " ms, transferred in "
						  << std::chrono::duration_cast<ms>(t2 - t1).count() << " ms\n";
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(TransferTest);
