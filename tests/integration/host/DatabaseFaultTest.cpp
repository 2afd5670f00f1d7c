// Database faults (issues 7 and 15): the one failure classifier,
// SqlDatabase::classify (Unavailable / Busy / Other), on POCO's exception
// types and messages and on real failures of both databases: a connection
// killed under a session, a server that refuses connections or never
// answers, a SQLite file that cannot be opened (Unavailable); an exhausted
// pool, SQLite's write lock held by another connection, a MariaDB deadlock
// and lock wait timeout (Busy); constraint and syntax errors (Other). The
// table answerFor() maps each class to the answer host and plugin send.
#include "Database.h"
#include "TestEnv.h"
#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timestamp.h>
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <stdexcept>
#include <thread>

using namespace RefHost;
using namespace Poco::Data::Keywords;

namespace
{

// A connection string for the test MariaDB with another port.
std::string withPort(const std::string& cs, int port)
{
	std::string out;
	std::size_t start = 0;
	while (start < cs.size())
	{
		std::size_t end = cs.find(';', start);
		if (end == std::string::npos) end = cs.size();
		std::string part = cs.substr(start, end - start);
		if (part.compare(0, 5, "port=") == 0) part = "port=" + std::to_string(port);
		if (!part.empty()) out += (out.empty() ? "" : ";") + part;
		start = end + 1;
	}
	return out;
}

// Opens a pool on the test MariaDB's settings with another port: it must
// fail as "unavailable" without the password in its message. Returns how
// long the failure took (microseconds).
Poco::Timestamp::TimeDiff openFailsUnavailable(int port)
{
	std::string cs = withPort(TestEnv::mysqlConnectionString(), port);
	Poco::Timestamp started;
	bool thrown = false;
	try
	{
		Database db("mysql", cs, 2);
	}
	catch (const Poco::Exception& e)
	{
		thrown = true;
		CPPUNIT_ASSERT_MESSAGE(e.displayText(), Database::classify(e) == Database::Failure::Unavailable);
		CPPUNIT_ASSERT_MESSAGE(e.displayText(), e.displayText().find("password=") == std::string::npos);
	}
	CPPUNIT_ASSERT(thrown);
	return started.elapsed();
}

} // namespace

class DatabaseFaultTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(DatabaseFaultTest);
	CPPUNIT_TEST(testErrorNumberIsReadFromPocoMessages);
	CPPUNIT_TEST(testEveryExceptionKindHasItsClass);
	CPPUNIT_TEST(testEveryClassHasItsAnswer);
	CPPUNIT_TEST(testExhaustedPoolIsBusyOnBoth);
	CPPUNIT_TEST(testSqlErrorsAreOtherOnBoth);
	CPPUNIT_TEST(testSqliteWriteLockHeldElsewhereIsBusy);
	CPPUNIT_TEST(testSqliteFileThatCannotBeOpenedIsUnavailable);
	CPPUNIT_TEST(testLockWaitTimeoutOnMysqlIsBusy);
	CPPUNIT_TEST(testKilledConnectionUnderASessionIsUnavailable);
	CPPUNIT_TEST(testRefusedConnectionIsUnavailableAndFast);
	CPPUNIT_TEST(testConstraintErrorOnMysqlIsOther);
	CPPUNIT_TEST(testRealDeadlockIsBusy);
	CPPUNIT_TEST(testServerThatNeverAnswersFailsWithinTheConnectTimeout);
	CPPUNIT_TEST_SUITE_END();

public:
	void testErrorNumberIsReadFromPocoMessages()
	{
		CPPUNIT_ASSERT_EQUAL(2013,
							 Database::mysqlErrorNumber(
								 "[MySQL]: [Comment]: mysql_stmt_execute error\t[mysql_stmt_error]: Lost connection to "
								 "server during query"
								 "\t[mysql_stmt_errno]: 2013\t[mysql_stmt_sqlstate]: HY000\t[statemnt]: SELECT 1"));
		CPPUNIT_ASSERT_EQUAL(2003,
							 Database::mysqlErrorNumber("[MySQL]: [Comment]: mysql_real_connect error\t[mysql_error]: "
														"Can't connect to server on '127.0.0.1' (111)"
														"\t[mysql_errno]: 2003"));
		CPPUNIT_ASSERT_EQUAL(0, Database::mysqlErrorNumber("[MySQL]: [Comment]: mysql_stmt_init error"));
		CPPUNIT_ASSERT_EQUAL(0, Database::mysqlErrorNumber("[mysql_stmt_errno]: x"));
		CPPUNIT_ASSERT_EQUAL(0, Database::mysqlErrorNumber(""));
	}

	void testEveryExceptionKindHasItsClass()
	{
		using namespace Poco::Data;
		using F = Database::Failure;
		auto classOf = [](const std::exception& e) { return Database::failureName(Database::classify(e)); };
		auto mysqlError = [](int number)
		{
			return MySQL::StatementException("[Comment]: mysql_stmt_execute error\t[mysql_stmt_errno]: " +
											 std::to_string(number));
		};
		const std::string unavailable = Database::failureName(F::Unavailable);
		const std::string busy = Database::failureName(F::Busy);
		const std::string other = Database::failureName(F::Other);
		CPPUNIT_ASSERT_EQUAL(unavailable, std::string(classOf(MySQL::ConnectionException("mysql_real_connect error"))));
		CPPUNIT_ASSERT_EQUAL(unavailable,
							 std::string(classOf(MySQL::TransactionException("Start transaction failed"))));
		CPPUNIT_ASSERT_EQUAL(unavailable, std::string(classOf(ConnectionFailedException("x"))));
		CPPUNIT_ASSERT_EQUAL(unavailable, std::string(classOf(NotConnectedException("x"))));
		CPPUNIT_ASSERT_EQUAL(unavailable, std::string(classOf(SessionUnavailableException("x"))));
		CPPUNIT_ASSERT_EQUAL(unavailable, std::string(classOf(SQLite::CantOpenDBFileException("x"))));
		CPPUNIT_ASSERT_EQUAL(unavailable, std::string(classOf(SQLite::IOErrorException("disk I/O error"))));
		// Connection lost, server going away, read-only, a Galera node not in the cluster.
		for (int lost : {2002, 2003, 2006, 2013, 2055, 1040, 1047, 1053, 1290, 1836, 1927, 4031})
			CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(lost), unavailable, std::string(classOf(mysqlError(lost))));
		// Nothing was written; the same request may succeed when sent again.
		CPPUNIT_ASSERT_EQUAL(busy, std::string(classOf(SessionPoolExhaustedException("mysql"))));
		CPPUNIT_ASSERT_EQUAL(busy, std::string(classOf(SQLite::DBLockedException("database is locked"))));
		CPPUNIT_ASSERT_EQUAL(busy, std::string(classOf(SQLite::TableLockedException("database table is locked"))));
		for (int contended : {1205, 1213})
			CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(contended), busy, std::string(classOf(mysqlError(contended))));
		// Bugs and what the services map themselves are neither.
		for (int bug : {1062, 1064, 1146, 1452})
			CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(bug), other, std::string(classOf(mysqlError(bug))));
		CPPUNIT_ASSERT_EQUAL(other, std::string(classOf(MySQL::StatementException("mysql_stmt_init error"))));
		CPPUNIT_ASSERT_EQUAL(other, std::string(classOf(SQLite::ConstraintViolationException("UNIQUE"))));
		CPPUNIT_ASSERT_EQUAL(other, std::string(classOf(SQLite::InvalidSQLStatementException("syntax"))));
		CPPUNIT_ASSERT_EQUAL(other, std::string(classOf(DataException("x"))));
		CPPUNIT_ASSERT_EQUAL(other, std::string(classOf(std::runtime_error("[mysql_errno]: 2013"))));
		CPPUNIT_ASSERT_EQUAL(other, std::string(classOf(std::runtime_error("[mysql_errno]: 1213"))));
		// The wrappers agree with the classifier.
		CPPUNIT_ASSERT(Database::isUnavailable(mysqlError(2013)));
		CPPUNIT_ASSERT(!Database::isUnavailable(mysqlError(1213)));
		CPPUNIT_ASSERT(Database::isContention(mysqlError(1213)));
		CPPUNIT_ASSERT(!Database::isContention(mysqlError(1062)));
	}

	void testEveryClassHasItsAnswer()
	{
		using F = Database::Failure;
		const Database::FailureAnswer& unavailable = Database::answerFor(F::Unavailable);
		CPPUNIT_ASSERT_EQUAL(503, unavailable.status);
		CPPUNIT_ASSERT_EQUAL(std::string("unavailable"), std::string(unavailable.code));
		CPPUNIT_ASSERT_EQUAL(std::string("the database is unavailable"), std::string(unavailable.message));
		CPPUNIT_ASSERT(unavailable.retryAfter);
		const Database::FailureAnswer& busy = Database::answerFor(F::Busy);
		CPPUNIT_ASSERT_EQUAL(503, busy.status);
		CPPUNIT_ASSERT_EQUAL(std::string("unavailable"), std::string(busy.code));
		CPPUNIT_ASSERT_EQUAL(std::string("the database is busy; try again"), std::string(busy.message));
		CPPUNIT_ASSERT(busy.retryAfter);
		const Database::FailureAnswer& other = Database::answerFor(F::Other);
		CPPUNIT_ASSERT_EQUAL(500, other.status);
		CPPUNIT_ASSERT_EQUAL(std::string("internal"), std::string(other.code));
		CPPUNIT_ASSERT_EQUAL(std::string("internal error"), std::string(other.message));
		CPPUNIT_ASSERT(!other.retryAfter);
	}

	// Runs statement on s and returns the class of what it threw ("none" when it did not throw).
	static std::string classOfFailure(const std::function<void()>& statement)
	{
		try
		{
			statement();
		}
		catch (const std::exception& e)
		{
			return Database::failureName(Database::classify(e));
		}
		return "none";
	}

	void testExhaustedPoolIsBusyOnBoth()
	{
		for (const TestEnv::Backend& b : TestEnv::bothBackends("fault_pool"))
		{
			Database db(b.connector, b.connectionString, 2);
			Poco::Data::Session first = db.session();
			Poco::Data::Session second = db.session();
			CPPUNIT_ASSERT_EQUAL_MESSAGE(b.connector, std::string("busy"),
										 classOfFailure([&] { Poco::Data::Session third = db.session(); }));
		}
	}

	void testSqlErrorsAreOtherOnBoth()
	{
		for (const TestEnv::Backend& b : TestEnv::bothBackends("fault_other"))
		{
			Database db(b.connector, b.connectionString, 2);
			Poco::Data::Session s = db.session();
			s << "CREATE TABLE t (id INT PRIMARY KEY)", now;
			s << "INSERT INTO t VALUES (1)", now;
			CPPUNIT_ASSERT_EQUAL_MESSAGE(b.connector, std::string("other"),
										 classOfFailure([&] { s << "INSERT INTO t VALUES (1)", now; }));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(b.connector, std::string("other"),
										 classOfFailure([&] { s << "SELEKT id FROM t", now; }));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(b.connector, std::string("other"),
										 classOfFailure([&] { s << "SELECT id FROM no_such_table", now; }));
		}
	}

	void testSqliteWriteLockHeldElsewhereIsBusy()
	{
		// Two pools on one file, as two processes would have: one holds the
		// write lock (BEGIN IMMEDIATE), the other's write gives up after its
		// busy timeout with SQLITE_BUSY.
		std::string file = TestEnv::tempSqliteFile("fault_busy");
		Database holder("sqlite", file, 2);
		Database waiter("sqlite", file, 2);
		Poco::Data::Session h = holder.session();
		h << "CREATE TABLE t (id INTEGER PRIMARY KEY)", now;
		holder.begin(h);
		Poco::Data::Session w = waiter.session();
		w << "PRAGMA busy_timeout=50", now;
		CPPUNIT_ASSERT_EQUAL(std::string("busy"), classOfFailure([&] { waiter.begin(w); }));
		holder.rollback(h);
	}

	void testSqliteFileThatCannotBeOpenedIsUnavailable()
	{
		// A directory where the database file should be.
		std::string file = TestEnv::tempSqliteFile("fault_open");
		Poco::File(file).createDirectories();
		// A session of its own with a login timeout of 1 s: POCO's SQLite
		// connector reports a failed open only when its login timeout (60 s
		// by default) is over.
		Database registersTheConnectors("sqlite", TestEnv::tempSqliteFile("fault_open_probe"), 2);
		CPPUNIT_ASSERT_EQUAL(std::string("unavailable"), classOfFailure(
															 [&]
															 {
																 Poco::Data::Session s("sqlite", file + "/missing/x.db",
																					   1);
																 s << "PRAGMA journal_mode=WAL", now;
															 }));
	}

	void testLockWaitTimeoutOnMysqlIsBusy()
	{
		std::string cs = TestEnv::freshMysqlDatabase("fault_lockwait");
		Database db("mysql", cs, 4);
		{
			Poco::Data::Session s = db.session();
			s << "CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB", now;
			s << "INSERT INTO t VALUES (1, 0)", now;
		}
		Poco::Data::Session holder = db.session();
		db.begin(holder);
		holder << "UPDATE t SET v = 1 WHERE id = 1", now;
		Poco::Data::Session waiter = db.session();
		waiter << "SET SESSION innodb_lock_wait_timeout = 1", now;
		std::string failure = classOfFailure(
			[&]
			{
				db.begin(waiter);
				waiter << "UPDATE t SET v = 2 WHERE id = 1", now;
			});
		db.rollback(waiter);
		db.rollback(holder);
		CPPUNIT_ASSERT_EQUAL(std::string("busy"), failure);
	}

	void testKilledConnectionUnderASessionIsUnavailable()
	{
		std::string cs = TestEnv::freshMysqlDatabase("fault_kill");
		Database db("mysql", cs, 4);
		Poco::Data::Session s = db.session();
		Poco::Int64 id = 0;
		s << "SELECT CONNECTION_ID()", into(id), now;
		{
			Poco::Data::Session admin("mysql", cs);
			admin << "KILL " + std::to_string(id), now;
		}
		bool thrown = false;
		try
		{
			int one = 0;
			s << "SELECT 1", into(one), now;
		}
		catch (const Poco::Data::DataException& e)
		{
			thrown = true;
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), Database::classify(e) == Database::Failure::Unavailable);
		}
		CPPUNIT_ASSERT(thrown);
		// The pool hands out a working session again.
		CPPUNIT_ASSERT(db.ping());
	}

	void testRefusedConnectionIsUnavailableAndFast()
	{
		// A port nobody listens on: bind one, take its number, close it.
		int port = 0;
		{
			Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
			port = socket.address().port();
		}
		CPPUNIT_ASSERT(openFailsUnavailable(port) < 5 * Poco::Timestamp::resolution());
	}

	void testConstraintErrorOnMysqlIsOther()
	{
		std::string cs = TestEnv::freshMysqlDatabase("fault_dup");
		Database db("mysql", cs, 2);
		Poco::Data::Session s = db.session();
		s << "CREATE TABLE t (id INT PRIMARY KEY)", now;
		s << "INSERT INTO t VALUES (1)", now;
		bool thrown = false;
		try
		{
			s << "INSERT INTO t VALUES (1)", now;
		}
		catch (const Poco::Data::DataException& e)
		{
			thrown = true;
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), Database::classify(e) == Database::Failure::Other);
		}
		CPPUNIT_ASSERT(thrown);
	}

	void testRealDeadlockIsBusy()
	{
		// Two transactions lock rows 1 and 2 in opposite order on real
		// threads: MariaDB rolls one back with 1213, which must read as
		// contention (503 busy, try again), not as a bug (500).
		std::string cs = TestEnv::freshMysqlDatabase("fault_deadlock");
		Database db("mysql", cs, 4);
		{
			Poco::Data::Session s = db.session();
			s << "CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB", now;
			s << "INSERT INTO t VALUES (1, 0), (2, 0)", now;
		}
		std::atomic<int> contention{0}, other{0}, committed{0};
		std::atomic<int> holding{0};
		auto run = [&](int first, int second)
		{
			try
			{
				db.write(
					[&](Poco::Data::Session& s)
					{
						s << "UPDATE t SET v = v + 1 WHERE id = ?", use(first), now;
						++holding;
						while (holding.load() < 2)
							std::this_thread::yield();
						s << "UPDATE t SET v = v + 1 WHERE id = ?", use(second), now;
					});
				++committed;
			}
			catch (const Poco::Data::DataException& e)
			{
				++(Database::classify(e) == Database::Failure::Busy ? contention : other);
			}
		};
		std::thread a(run, 1, 2), b(run, 2, 1);
		a.join();
		b.join();
		CPPUNIT_ASSERT_EQUAL(1, committed.load());
		CPPUNIT_ASSERT_EQUAL(1, contention.load());
		CPPUNIT_ASSERT_EQUAL(0, other.load());
	}

	void testServerThatNeverAnswersFailsWithinTheConnectTimeout()
	{
		// A listener that never accepts: the kernel completes the TCP handshake,
		// the server's greeting never comes. POCO's default would wait 60 s.
		Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0), 64);
		Poco::Timestamp::TimeDiff elapsed = openFailsUnavailable(silent.address().port());
		CPPUNIT_ASSERT_MESSAGE(std::to_string(elapsed / 1000) + " ms",
							   elapsed < static_cast<Poco::Timestamp::TimeDiff>(Database::kConnectTimeoutSeconds + 2) *
											 Poco::Timestamp::resolution());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseFaultTest);
