#include "hostsdk/support/SqlDatabase.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/MySQL/SessionImpl.h>
#include <Poco/Data/MySQL/Utility.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/SessionFactory.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>
#include <algorithm>
#include <sqlite3.h>
#include <string>

using namespace Poco::Data::Keywords;

namespace HostSdk
{

namespace
{

// The pool's key for MySQL sessions: POCO's MySQL sessions with a bounded
// connect timeout. POCO's SessionPool creates sessions with the default login
// timeout of 60 s (MYSQL_OPT_CONNECT_TIMEOUT), so against a server that does
// not answer (host down, packets dropped, accept queue full) each request
// would wait a minute; with this connector it fails after
// SqlDatabase::kConnectTimeoutSeconds with a ConnectionException (503).
const std::string kBoundedMySqlKey = "hostsdk-mysql";

class BoundedMySqlConnector : public Poco::Data::Connector
{
public:
	const std::string& name() const override
	{
		return kBoundedMySqlKey;
	}

	Poco::AutoPtr<Poco::Data::SessionImpl> createSession(const std::string& connectionString,
														 std::size_t timeout) override
	{
		std::size_t bounded = std::min<std::size_t>(timeout, SqlDatabase::kConnectTimeoutSeconds);
		return Poco::AutoPtr<Poco::Data::SessionImpl>(new Poco::Data::MySQL::SessionImpl(connectionString, bounded));
	}
};

struct ConnectorRegistration
{
	ConnectorRegistration()
	{
		Poco::Data::SQLite::Connector::registerConnector();
		Poco::Data::MySQL::Connector::registerConnector();
		Poco::Data::SessionFactory::instance().add(new BoundedMySqlConnector);
	}
};

std::string poolKey(const std::string& connector)
{
	return connector == "mysql" ? kBoundedMySqlKey : connector;
}

void registerConnectorsOnce()
{
	static ConnectorRegistration registration;
}

} // namespace

std::string SqlDatabase::normalizeConnector(const std::string& connector)
{
	std::string c = Poco::toLower(connector);
	if (c == "sqlite" || c == "sqlite3") return "sqlite";
	if (c == "mysql" || c == "mariadb") return "mysql";
	throw Poco::InvalidArgumentException("unknown database connector", connector);
}

int SqlDatabase::mysqlErrorNumber(const std::string& message) noexcept
{
	for (const char* tag : {"[mysql_stmt_errno]: ", "[mysql_errno]: "})
	{
		std::size_t at = message.find(tag);
		if (at == std::string::npos) continue;
		int number = 0;
		for (std::size_t i = at + std::char_traits<char>::length(tag); i < message.size() && number < 100000; ++i)
		{
			if (message[i] < '0' || message[i] > '9') break;
			number = number * 10 + (message[i] - '0');
		}
		if (number != 0) return number;
	}
	return 0;
}

namespace
{

bool isUnavailableMySqlError(int number) noexcept
{
	switch (number)
	{
	case 1040: // ER_CON_COUNT_ERROR: too many connections
	case 1047: // ER_UNKNOWN_COM_ERROR: Galera "WSREP has not yet prepared node for application use"
	case 1053: // ER_SERVER_SHUTDOWN
	case 1077: // ER_NORMAL_SHUTDOWN
	case 1079: // ER_SHUTDOWN_COMPLETE
	case 1152: // ER_ABORTING_CONNECTION
	case 1158: // ER_NET_READ_ERROR
	case 1159: // ER_NET_READ_INTERRUPTED
	case 1160: // ER_NET_ERROR_ON_WRITE
	case 1161: // ER_NET_WRITE_INTERRUPTED
	case 1290: // ER_OPTION_PREVENTS_STATEMENT (e.g. --read-only during a failover)
	case 1836: // ER_READ_ONLY_MODE
	case 1927: // ER_CONNECTION_KILLED
	case 2002: // CR_CONNECTION_ERROR (socket)
	case 2003: // CR_CONN_HOST_ERROR (TCP connect refused / timed out)
	case 2005: // CR_UNKNOWN_HOST
	case 2006: // CR_SERVER_GONE_ERROR
	case 2011: // CR_TCP_CONNECTION
	case 2012: // CR_SERVER_HANDSHAKE_ERR
	case 2013: // CR_SERVER_LOST
	case 2026: // CR_SSL_CONNECTION_ERROR
	case 2048: // CR_INVALID_CONN_HANDLE
	case 2055: // CR_SERVER_LOST_EXTENDED
	case 4031: // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8: idle connection closed)
		return true;
	default:
		return false;
	}
}

const SqlDatabase::FailureAnswer kUnavailableAnswer{503, "unavailable", "the database is unavailable", true};
const SqlDatabase::FailureAnswer kBusyAnswer{503, "unavailable", "the database is busy; try again", true};
const SqlDatabase::FailureAnswer kOtherAnswer{500, "internal", "internal error", false};

} // namespace

SqlDatabase::Failure SqlDatabase::classify(const std::exception& e) noexcept
{
	if (dynamic_cast<const Poco::Data::SessionPoolExhaustedException*>(&e)) return Failure::Busy;
	if (dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&e)) return Failure::Busy;
	if (dynamic_cast<const Poco::Data::SQLite::TableLockedException*>(&e)) return Failure::Busy;
	// The file cannot be opened or read (a lost disk or mount): not a bug of the statement.
	if (dynamic_cast<const Poco::Data::SQLite::CantOpenDBFileException*>(&e)) return Failure::Unavailable;
	if (dynamic_cast<const Poco::Data::SQLite::IOErrorException*>(&e)) return Failure::Unavailable;
	if (dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e)) return Failure::Unavailable;
	if (dynamic_cast<const Poco::Data::NotConnectedException*>(&e)) return Failure::Unavailable;
	if (dynamic_cast<const Poco::Data::SessionUnavailableException*>(&e)) return Failure::Unavailable;
	// mysql_real_connect, mysql_ping and transaction statements on the
	// connection (START TRANSACTION / COMMIT / ROLLBACK) throw these.
	if (dynamic_cast<const Poco::Data::MySQL::ConnectionException*>(&e)) return Failure::Unavailable;
	const auto* mysql = dynamic_cast<const Poco::Data::MySQL::MySQLException*>(&e);
	if (!mysql) return Failure::Other;
	int number = mysqlErrorNumber(mysql->message());
	if (number == 1213 /* ER_LOCK_DEADLOCK, Galera certification */ || number == 1205 /* ER_LOCK_WAIT_TIMEOUT */)
		return Failure::Busy;
	return isUnavailableMySqlError(number) ? Failure::Unavailable : Failure::Other;
}

const SqlDatabase::FailureAnswer& SqlDatabase::answerFor(Failure failure) noexcept
{
	switch (failure)
	{
	case Failure::Unavailable:
		return kUnavailableAnswer;
	case Failure::Busy:
		return kBusyAnswer;
	default:
		return kOtherAnswer;
	}
}

const char* SqlDatabase::failureName(Failure failure) noexcept
{
	switch (failure)
	{
	case Failure::Unavailable:
		return "unavailable";
	case Failure::Busy:
		return "busy";
	default:
		return "other";
	}
}

SqlDatabase::SqlDatabase(const std::string& connector, const std::string& connectionString, std::size_t poolSize) :
	_connector(normalizeConnector(connector)), _connectionString(connectionString),
	_poolSize(poolSize < 2 ? 2 : poolSize), _dialect(_connector == "sqlite" ? Dialect::SQLite : Dialect::MySQL)
{
	registerConnectorsOnce();
	_pool = std::make_shared<Poco::Data::SessionPool>(poolKey(_connector), _connectionString, 1, _poolSize, 60);
	Poco::Data::Session s = session();
	if (_dialect == Dialect::SQLite)
	{
		// WAL lets readers run beside the one writer; the mode is stored in the file.
		std::string mode;
		s << "PRAGMA journal_mode=WAL", into(mode), now;
	}
}

SqlDatabase::~SqlDatabase() = default;

std::shared_ptr<Poco::Data::SessionPool> SqlDatabase::currentPool()
{
	std::lock_guard<std::mutex> lock(_poolMutex);
	return _pool;
}

void SqlDatabase::retirePool(const std::shared_ptr<Poco::Data::SessionPool>& dead)
{
	std::lock_guard<std::mutex> lock(_poolMutex);
	// Sessions still checked out return to their own pool when released, so a
	// retired pool lives until none of its sessions is in use.
	_retired.erase(std::remove_if(_retired.begin(), _retired.end(),
								  [](const std::shared_ptr<Poco::Data::SessionPool>& p) { return p->used() == 0; }),
				   _retired.end());
	if (_pool != dead) return; // another thread replaced it already
	_retired.push_back(_pool);
	_pool = std::make_shared<Poco::Data::SessionPool>(poolKey(_connector), _connectionString, 1, _poolSize, 60);
}

Poco::Data::Session SqlDatabase::getCounted(Poco::Data::SessionPool& pool)
{
	try
	{
		return pool.get();
	}
	catch (const Poco::Data::SessionPoolExhaustedException&)
	{
		_exhausted.fetch_add(1, std::memory_order_relaxed);
		throw;
	}
}

SqlDatabase::PoolStats SqlDatabase::poolStats()
{
	PoolStats stats;
	std::shared_ptr<Poco::Data::SessionPool> pool = currentPool();
	stats.capacity = static_cast<std::size_t>(pool->capacity());
	stats.inUse = static_cast<std::size_t>(pool->used());
	stats.idle = static_cast<std::size_t>(pool->idle());
	stats.waiting = _waiting.load(std::memory_order_relaxed);
	stats.exhausted = _exhausted.load(std::memory_order_relaxed);
	return stats;
}

std::string SqlDatabase::lockName(const std::string& prefix, const std::string& purpose, const std::string& database)
{
	std::string name = prefix + ":" + purpose + ":" + database;
	if (name.size() <= 64) return name;
	Poco::SHA1Engine sha1;
	sha1.update(database);
	return (prefix + ":" + purpose + ":" + Poco::DigestEngine::digestToHex(sha1.digest())).substr(0, 64);
}

void SqlDatabase::serialized(const std::string& prefix, const std::string& purpose, int timeoutSeconds,
							 const std::function<void()>& work)
{
	if (_dialect == Dialect::SQLite)
	{
		work();
		return;
	}
	// The lock belongs to this session: it stays checked out until released.
	Poco::Data::Session s = session();
	std::string database;
	s << "SELECT COALESCE(DATABASE(), '')", into(database), now;
	std::string name = lockName(prefix, purpose, database);
	int locked = 0;
	s << "SELECT COALESCE(GET_LOCK(?, ?), 0)", useRef(name), bind(timeoutSeconds), into(locked), now;
	if (locked != 1)
		throw Poco::TimeoutException("could not take the lock " + name + " within " + std::to_string(timeoutSeconds) +
									 " s");
	try
	{
		work();
	}
	catch (...)
	{
		try
		{
			s << "SELECT RELEASE_LOCK(?)", useRef(name), into(locked), now;
		}
		catch (...)
		{
		}
		throw;
	}
	s << "SELECT RELEASE_LOCK(?)", useRef(name), into(locked), now;
}

Poco::Data::Session SqlDatabase::session()
{
	// POCO's pool never queues: get() opens a session or throws at once. What
	// a caller waits for is the checkout itself (connecting, validating).
	struct Waiting
	{
		std::atomic<int>& count;
		explicit Waiting(std::atomic<int>& c) : count(c)
		{
			count.fetch_add(1, std::memory_order_relaxed);
		}
		~Waiting()
		{
			count.fetch_sub(1, std::memory_order_relaxed);
		}
	} waiting(_waiting);
	std::shared_ptr<Poco::Data::SessionPool> pool = currentPool();
	Poco::Data::Session s = getCounted(*pool);
	if (_dialect == Dialect::SQLite)
	{
		configureSqlite(s);
		return s;
	}
	// MySQL sessions do not ping by themselves: a connection the server
	// dropped (restart, idle timeout) answers 2006/2013 on first use, and
	// POCO's pool keeps handing it out. Check before handing a session out
	// (mysql_ping: one round trip, no statement); on failure the server most
	// likely dropped every idle connection, so retire the whole pool and take
	// a fresh connection from a new one.
	if (alive(s)) return s;
	retirePool(pool);
	Poco::Data::Session fresh = getCounted(*currentPool());
	if (!alive(fresh))
		throw Poco::Data::MySQL::ConnectionException("mysql_ping", Poco::Data::MySQL::Utility::handle(fresh));
	return fresh;
}

void SqlDatabase::configureSqlite(Poco::Data::Session& s)
{
	// On every checkout (a pooled connection may be new): a busy timeout and
	// foreign keys, set by C calls on the connection rather than by PRAGMA
	// statements that would be prepared each time.
	sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
	sqlite3_busy_timeout(db, 10000);
	int enforced = 0;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &enforced) != SQLITE_OK || enforced != 1)
		throw Poco::Data::SQLite::SQLiteException("could not enable foreign keys", sqlite3_errmsg(db));
}

bool SqlDatabase::alive(Poco::Data::Session& s)
{
	return mysql_ping(Poco::Data::MySQL::Utility::handle(s)) == 0;
}

Poco::Int64 SqlDatabase::lastInsertId(Poco::Data::Session& s)
{
	Poco::Int64 id = 0;
	if (_dialect == Dialect::SQLite)
		s << "SELECT last_insert_rowid()", into(id), now;
	else
		s << "SELECT LAST_INSERT_ID()", into(id), now;
	return id;
}

bool SqlDatabase::ping()
{
	try
	{
		Poco::Data::Session s = session();
		int one = 0;
		s << "SELECT 1", into(one), now;
		return one == 1;
	}
	catch (const Poco::Exception&)
	{
		return false;
	}
}

void SqlDatabase::begin(Poco::Data::Session& s)
{
	// POCO's Session::begin() is BEGIN DEFERRED on SQLite, which fails with
	// SQLITE_BUSY when a reader later tries to write; take the write lock now.
	if (_dialect == Dialect::SQLite)
		s << "BEGIN IMMEDIATE", now;
	else
		s << "START TRANSACTION", now;
}

void SqlDatabase::commit(Poco::Data::Session& s)
{
	s << "COMMIT", now;
}

void SqlDatabase::rollback(Poco::Data::Session& s) noexcept
{
	try
	{
		s << "ROLLBACK", now;
	}
	catch (...)
	{
		// The transaction is gone with the connection; nothing to undo.
	}
}

} // namespace HostSdk
