// The host's housekeeping sweep (issue 14) on SQLite and on the throw-away
// MariaDB: which sessions and login_throttle rows go, in batches, on the
// indexes of host migration 006, and that no limit still in force is lifted.
#include "Housekeeping.h"
#include "Directory.h"
#include "MigrationRunner.h"
#include "Secrets.h"
#include "SessionManager.h"
#include "TestEnv.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>
#include <set>

using namespace RefHost;
using namespace Poco::Data::Keywords;

namespace
{

const Poco::Int64 DAY_MS = 86400 * 1000LL;

struct Fixture
{
	std::unique_ptr<Database> db;
	std::unique_ptr<Directory> dir;
	Poco::Int64 alice = 0;

	explicit Fixture(const TestEnv::Backend& b)
	{
		db = std::make_unique<Database>(b.connector, b.connectionString, 8);
		MigrationRunner(*db, TestEnv::sqlRoot()).migrate("host");
		dir = std::make_unique<Directory>(*db);
		Poco::Int64 org = dir->createOrg("Org One");
		alice = dir->createUser("alice", "Alice", "alice-password-1");
		dir->addMembership(org, alice, "member", false, 0);
	}

	void throttleRow(const std::string& key, Poco::Int64 windowStart, int failures = 1)
	{
		Poco::Data::Session s = db->session();
		s << "INSERT INTO login_throttle (throttle_key, window_start, failures) VALUES (?, ?, ?)", useRef(key),
			use(windowStart), use(failures), now;
	}

	void sessionRow(const std::string& idHash, Poco::Int64 expiresAt)
	{
		Poco::Data::Session s = db->session();
		Poco::Int64 created = expiresAt - DAY_MS;
		s << "INSERT INTO sessions (id_hash, user_id, org_id, csrf_token, created_at, last_seen_at, expires_at) "
			 "VALUES (?, ?, 1, 'csrf', ?, ?, ?)",
			useRef(idHash), use(alice), use(created), use(created), use(expiresAt), now;
	}

	std::set<std::string> keys(const std::string& table, const std::string& column)
	{
		Poco::Data::Session s = db->session();
		std::vector<std::string> all;
		s << "SELECT " + column + " FROM " + table, into(all), now;
		return std::set<std::string>(all.begin(), all.end());
	}

	int count(const std::string& table)
	{
		int n = 0;
		Poco::Data::Session s = db->session();
		s << "SELECT COUNT(*) FROM " + table, into(n), now;
		return n;
	}

	std::string planOf(const std::string& sql)
	/// EXPLAIN QUERY PLAN on SQLite, EXPLAIN on MariaDB: every column of every row.
	{
		Poco::Data::Session s = db->session();
		return TestEnv::queryPlan(s, sql);
	}
};

std::string withCutoff(std::string sql, Poco::Int64 cutoff)
{
	return sql.replace(sql.find('?'), 1, std::to_string(cutoff));
}

} // namespace

class HousekeepingTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(HousekeepingTest);
	CPPUNIT_TEST(testSweepDeletesExactlyTheStaleRows);
	CPPUNIT_TEST(testCutoffIsTheLongestSpan);
	CPPUNIT_TEST(testSweepDeletesInBatches);
	CPPUNIT_TEST(testSweepLiftsNoLimitInForce);
	CPPUNIT_TEST(testExpiredSessionIsGoneAndLiveOneAuthenticates);
	CPPUNIT_TEST(testSweepStatementsUseTheIndexes);
	CPPUNIT_TEST(testBackgroundSweepRunsAndStops);
	CPPUNIT_TEST_SUITE_END();

	template <typename F> void onBoth(const std::string& name, F f)
	{
		TestEnv::onBoth<Fixture>(name, f);
	}

public:
	void testSweepDeletesExactlyTheStaleRows()
	{
		onBoth("hk",
			   [](Fixture& fx)
			   {
				   SessionManager::Settings ss; // knownAddressSeconds (30 days) is the longest span
				   Housekeeping hk(*fx.db, ss);
				   Poco::Int64 nowMs = Secrets::nowMs();
				   Poco::Int64 cutoff = nowMs - static_cast<Poco::Int64>(ss.knownAddressSeconds) * 1000;
				   CPPUNIT_ASSERT_EQUAL(cutoff, hk.throttleCutoff(nowMs));
				   std::set<std::string> fresh;
				   for (std::string key : {"pair:mallory|10.0.0.1", "addr:10.0.0.1", "login:mallory", "next:mallory",
										   "known:mallory|10.0.0.1", "pwcheck:7"})
				   {
					   fx.throttleRow(key + "#stale", cutoff - 1);
					   fx.throttleRow(key + "#edge", cutoff); // not older than the span: kept
					   fx.throttleRow(key + "#fresh", nowMs - 1000);
					   fresh.insert(key + "#edge");
					   fresh.insert(key + "#fresh");
				   }
				   fx.throttleRow("next:zero", 0, 3);                   // no step taken yet: as a re-created row
				   fx.throttleRow("next:ahead", nowMs + 600 * 1000, 0); // a back-off step still ahead
				   fresh.insert("next:ahead");
				   fx.sessionRow("expired", nowMs - 1);
				   fx.sessionRow("expiring", nowMs);
				   fx.sessionRow("live", nowMs + DAY_MS);

				   Housekeeping::Counts c = hk.sweep(nowMs);
				   CPPUNIT_ASSERT_EQUAL(7, c.throttleRows);
				   CPPUNIT_ASSERT_EQUAL(1, c.sessions);
				   CPPUNIT_ASSERT(fresh == fx.keys("login_throttle", "throttle_key"));
				   CPPUNIT_ASSERT((std::set<std::string>{"expiring", "live"}) == fx.keys("sessions", "id_hash"));
				   // A second node sweeping the same database finds nothing left.
				   c = Housekeeping(*fx.db, ss).sweep(nowMs);
				   CPPUNIT_ASSERT_EQUAL(0, c.throttleRows + c.sessions);
			   });
	}

	void testCutoffIsTheLongestSpan()
	{
		// Whichever setting is longest decides: with addresses known for a
		// minute only, a login's back-off count still holds for its quiet time.
		onBoth(
			"hkspan",
			[](Fixture& fx)
			{
				SessionManager::Settings ss;
				ss.knownAddressSeconds = 60;
				ss.failureWindowSeconds = 300;
				ss.backoffMaxSeconds = 600;
				ss.backoffResetSeconds = 7200;
				Poco::Int64 nowMs = Secrets::nowMs();
				Housekeeping hk(*fx.db, ss);
				CPPUNIT_ASSERT_EQUAL(nowMs - Poco::Int64(7200) * 1000, hk.throttleCutoff(nowMs));
				fx.throttleRow("login:quiet", nowMs - 3600 * 1000LL, 25); // an hour quiet: still in back-off
				fx.throttleRow("login:lapsed", nowMs - 7201 * 1000LL, 25);
				ss.backoffResetSeconds = 1200;
				ss.backoffMaxSeconds = 1800; // (not a valid host setting: only which is longest matters here)
				CPPUNIT_ASSERT_EQUAL(nowMs - Poco::Int64(1800) * 1000, Housekeeping(*fx.db, ss).throttleCutoff(nowMs));
				ss.failureWindowSeconds = 2400;
				CPPUNIT_ASSERT_EQUAL(nowMs - Poco::Int64(2400) * 1000, Housekeeping(*fx.db, ss).throttleCutoff(nowMs));
				CPPUNIT_ASSERT_EQUAL(1, hk.sweep(nowMs).throttleRows);
				CPPUNIT_ASSERT((std::set<std::string>{"login:quiet"}) == fx.keys("login_throttle", "throttle_key"));
			});
	}

	void testSweepDeletesInBatches()
	{
		onBoth(
			"hkbatch",
			[](Fixture& fx)
			{
				SessionManager::Settings ss;
				Poco::Int64 nowMs = Secrets::nowMs();
				Poco::Int64 stale = nowMs - 31 * DAY_MS;
				fx.db->write(
					[&](Poco::Data::Session& s)
					{
						for (int i = 0; i < 1203; ++i)
						{
							std::string key = "pair:user" + std::to_string(i) + "|10.1." + std::to_string(i / 250) +
											  "." + std::to_string(i % 250);
							s << "INSERT INTO login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 1)",
								useRef(key), use(stale), now;
						}
						for (int i = 0; i < 501; ++i)
						{
							std::string id = "old" + std::to_string(i);
							Poco::Int64 expires = nowMs - 1000 - i;
							s << "INSERT INTO sessions (id_hash, user_id, org_id, csrf_token, created_at, "
								 "last_seen_at, expires_at) "
								 "VALUES (?, ?, 1, 'csrf', 0, 0, ?)",
								useRef(id), use(fx.alice), use(expires), now;
						}
					});
				fx.throttleRow("addr:10.9.9.9", nowMs);
				fx.sessionRow("live", nowMs + DAY_MS);
				// Batches of 500: 1203 rows take three statements, 501 two; a
				// batch of exactly 500 is followed by one more that finds none.
				Housekeeping::Counts c = Housekeeping(*fx.db, ss, 500).sweep(nowMs);
				CPPUNIT_ASSERT_EQUAL(1203, c.throttleRows);
				CPPUNIT_ASSERT_EQUAL(501, c.sessions);
				CPPUNIT_ASSERT_EQUAL(1, fx.count("login_throttle"));
				CPPUNIT_ASSERT_EQUAL(1, fx.count("sessions"));
				for (int i = 0; i < 500; ++i)
					fx.sessionRow("again" + std::to_string(i), nowMs - 1);
				c = Housekeeping(*fx.db, ss, 500).sweep(nowMs);
				CPPUNIT_ASSERT_EQUAL(500, c.sessions);
				CPPUNIT_ASSERT((std::set<std::string>{"live"}) == fx.keys("sessions", "id_hash"));
			});
	}

	void testSweepLiftsNoLimitInForce()
	{
		// Real logins write the rows; a sweep right after must leave every
		// refusal in place and the known address known.
		onBoth("hklimit",
			   [](Fixture& fx)
			   {
				   SessionManager::Settings ss;
				   ss.maxFailuresPerLogin = 3;
				   ss.maxFailuresPerAddress = 100;
				   ss.backoffAfterFailures = 4;
				   ss.backoffBaseSeconds = 60;
				   ss.backoffMaxSeconds = 600;
				   SessionManager sm(*fx.db, *fx.dir, ss);
				   Housekeeping hk(*fx.db, ss);
				   CPPUNIT_ASSERT(sm.login("alice", "alice-password-1", "10.0.0.1")); // known: alice|10.0.0.1
				   // The pair (alice, 10.0.0.2) is refused after three wrong passwords.
				   for (int i = 0; i < 3; ++i)
					   CPPUNIT_ASSERT(!sm.login("alice", "wrong-password-x", "10.0.0.2"));
				   CPPUNIT_ASSERT_THROW(sm.login("alice", "alice-password-1", "10.0.0.2"), LoginThrottledException);
				   // Guesses from other addresses bring alice's login into the back-off.
				   CPPUNIT_ASSERT(!sm.login("alice", "wrong-password-x", "10.0.0.3")); // the fourth free guess
				   CPPUNIT_ASSERT(!sm.login("alice", "wrong-password-x", "10.0.0.4")); // the first step's guess
				   CPPUNIT_ASSERT_THROW(sm.login("alice", "wrong-password-x", "10.0.0.5"), LoginThrottledException);

				   Housekeeping::Counts c = hk.sweep(Secrets::nowMs());
				   CPPUNIT_ASSERT_EQUAL(0, c.throttleRows);
				   CPPUNIT_ASSERT_THROW(sm.login("alice", "alice-password-1", "10.0.0.2"), LoginThrottledException);
				   CPPUNIT_ASSERT_THROW(sm.login("alice", "alice-password-1", "10.0.0.7"), LoginThrottledException);
				   CPPUNIT_ASSERT(sm.login("alice", "alice-password-1", "10.0.0.1")); // the owner, from a known address
				   // A month on, everything of this has lapsed and goes.
				   c = hk.sweep(Secrets::nowMs() + 31 * DAY_MS);
				   CPPUNIT_ASSERT(c.throttleRows > 0);
				   CPPUNIT_ASSERT_EQUAL(0, fx.count("login_throttle"));
			   });
	}

	void testExpiredSessionIsGoneAndLiveOneAuthenticates()
	{
		onBoth("hksess",
			   [](Fixture& fx)
			   {
				   SessionManager::Settings ss;
				   SessionManager sm(*fx.db, *fx.dir, ss);
				   auto expired = sm.login("alice", "alice-password-1", "127.0.0.1");
				   auto live = sm.login("alice", "alice-password-1", "127.0.0.1");
				   CPPUNIT_ASSERT(expired && live);
				   Poco::Int64 past = Secrets::nowMs() - 1000;
				   {
					   Poco::Data::Session s = fx.db->session();
					   s << "UPDATE sessions SET expires_at = ? WHERE id_hash = ?", use(past),
						   useRef(expired->session.idHash), now;
				   }
				   Housekeeping::Counts c = Housekeeping(*fx.db, ss).sweep(Secrets::nowMs());
				   CPPUNIT_ASSERT_EQUAL(1, c.sessions);
				   CPPUNIT_ASSERT((std::set<std::string>{live->session.idHash}) == fx.keys("sessions", "id_hash"));
				   CPPUNIT_ASSERT(!sm.authenticate(expired->token));
				   auto still = sm.authenticate(live->token);
				   CPPUNIT_ASSERT(still.has_value());
				   CPPUNIT_ASSERT_EQUAL(fx.alice, still->userId);
			   });
	}

	void testSweepStatementsUseTheIndexes()
	{
		// The sweep's own statements: each batch is found on the index of
		// migration 006, never by reading the whole table.
		onBoth(
			"hkplan",
			[](Fixture& fx)
			{
				Poco::Int64 nowMs = Secrets::nowMs();
				fx.db->write(
					[&](Poco::Data::Session& s)
					{
						for (int i = 0; i < 300; ++i)
						{
							std::string key = "addr:10.2.0." + std::to_string(i);
							std::string id = "s" + std::to_string(i);
							Poco::Int64 at = nowMs - i * 60000LL;
							Poco::Int64 expires = nowMs + i * 60000LL;
							s << "INSERT INTO login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 1)",
								useRef(key), use(at), now;
							s << "INSERT INTO sessions (id_hash, user_id, org_id, csrf_token, created_at, "
								 "last_seen_at, expires_at) "
								 "VALUES (?, ?, 1, 'csrf', 0, 0, ?)",
								useRef(id), use(fx.alice), use(expires), now;
						}
					});
				bool sqlite = fx.db->dialect() == Database::Dialect::SQLite;
				{
					Poco::Data::Session s = fx.db->session();
					s << (sqlite ? "ANALYZE" : "ANALYZE TABLE login_throttle, sessions"), now;
				}
				std::string throttle = fx.planOf(
					withCutoff(Housekeeping::throttleDeleteSql(fx.db->dialect(), 500), nowMs - 290 * 60000LL));
				CPPUNIT_ASSERT_MESSAGE(throttle, throttle.find("login_throttle_window") != std::string::npos);
				CPPUNIT_ASSERT_MESSAGE(throttle, throttle.find("SCAN") == std::string::npos &&
													 throttle.find(" ALL ") == std::string::npos);
				std::string sessions =
					fx.planOf(withCutoff(Housekeeping::sessionsDeleteSql(fx.db->dialect(), 500), nowMs + 10 * 60000LL));
				CPPUNIT_ASSERT_MESSAGE(sessions, sessions.find("sessions_expires") != std::string::npos);
				CPPUNIT_ASSERT_MESSAGE(sessions, sessions.find("SCAN") == std::string::npos &&
													 sessions.find(" ALL ") == std::string::npos);
			});
	}

	void testBackgroundSweepRunsAndStops()
	{
		// The host's thread: the first sweep comes after firstDelayMs, and
		// stop() returns at once although the next one is far off.
		onBoth("hkthread",
			   [](Fixture& fx)
			   {
				   SessionManager::Settings ss;
				   fx.sessionRow("expired", Secrets::nowMs() - 1);
				   Housekeeping hk(*fx.db, ss);
				   hk.start(3600, 50);
				   for (int i = 0; i < 100 && fx.count("sessions") > 0; ++i)
					   Poco::Thread::sleep(50);
				   CPPUNIT_ASSERT_EQUAL(0, fx.count("sessions"));
				   Poco::Timestamp stopping;
				   hk.stop();
				   CPPUNIT_ASSERT(stopping.elapsed() < 2000000);
			   });
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(HousekeepingTest);
