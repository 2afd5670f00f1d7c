// Database faults (issue 7): which failures SqlDatabase::isUnavailable calls
// "the database is unavailable" (answered 503 by host and plugin), on POCO's
// exception messages and on the throw-away MariaDB (a connection killed
// under a session, a server that refuses connections, a constraint error).
#include "Database.h"
#include "TestEnv.h"
#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timestamp.h>
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
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
		CPPUNIT_ASSERT_MESSAGE(e.displayText(), Database::isUnavailable(e));
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
	CPPUNIT_TEST(testConnectionLossIsUnavailableOtherErrorsAreNot);
	CPPUNIT_TEST(testKilledConnectionUnderASessionIsUnavailable);
	CPPUNIT_TEST(testRefusedConnectionIsUnavailableAndFast);
	CPPUNIT_TEST(testConstraintErrorOnMysqlIsNotUnavailable);
	CPPUNIT_TEST(testRealDeadlockIsContention);
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

	void testConnectionLossIsUnavailableOtherErrorsAreNot()
	{
		using namespace Poco::Data;
		CPPUNIT_ASSERT(Database::isUnavailable(MySQL::ConnectionException("mysql_real_connect error")));
		CPPUNIT_ASSERT(Database::isUnavailable(MySQL::TransactionException("Start transaction failed")));
		CPPUNIT_ASSERT(Database::isUnavailable(ConnectionFailedException("x")));
		CPPUNIT_ASSERT(Database::isUnavailable(NotConnectedException("x")));
		for (int lost : {2006, 2013, 2003, 1927, 1053, 4031})
			CPPUNIT_ASSERT_MESSAGE(
				std::to_string(lost),
				Database::isUnavailable(MySQL::StatementException(
					"[Comment]: mysql_stmt_execute error\t[mysql_stmt_errno]: " + std::to_string(lost))));
		// Bugs and answers the routes map themselves stay what they are.
		CPPUNIT_ASSERT(!Database::isUnavailable(MySQL::StatementException(
			"[Comment]: mysql_stmt_execute error\t[mysql_stmt_error]: Duplicate entry\t[mysql_stmt_errno]: 1062")));
		CPPUNIT_ASSERT(!Database::isUnavailable(
			MySQL::StatementException("[Comment]: mysql_stmt_prepare error\t[mysql_stmt_errno]: 1064")));
		CPPUNIT_ASSERT(!Database::isUnavailable(MySQL::StatementException("mysql_stmt_init error")));
		CPPUNIT_ASSERT(!Database::isUnavailable(SQLite::DBLockedException("database is locked")));
		CPPUNIT_ASSERT(!Database::isUnavailable(SQLite::ConstraintViolationException("UNIQUE")));
		CPPUNIT_ASSERT(!Database::isUnavailable(SessionPoolExhaustedException("mysql")));
		CPPUNIT_ASSERT(!Database::isUnavailable(DataException("x")));
		CPPUNIT_ASSERT(!Database::isUnavailable(std::runtime_error("[mysql_errno]: 2013")));
		// Lock contention is its own kind: nothing was written, send it again.
		for (int busy : {1213, 1205})
		{
			MySQL::StatementException e("[Comment]: mysql_stmt_execute error\t[mysql_stmt_errno]: " +
										std::to_string(busy));
			CPPUNIT_ASSERT(Database::isContention(e));
			CPPUNIT_ASSERT(!Database::isUnavailable(e));
		}
		CPPUNIT_ASSERT(!Database::isContention(MySQL::StatementException("[mysql_stmt_errno]: 1062")));
		CPPUNIT_ASSERT(!Database::isContention(SQLite::DBLockedException("database is locked")));
		CPPUNIT_ASSERT(!Database::isContention(std::runtime_error("[mysql_errno]: 1213")));
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
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), Database::isUnavailable(e));
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

	void testConstraintErrorOnMysqlIsNotUnavailable()
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
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), !Database::isUnavailable(e));
		}
		CPPUNIT_ASSERT(thrown);
	}

	void testRealDeadlockIsContention()
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
				++(Database::isContention(e) && !Database::isUnavailable(e) ? contention : other);
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
