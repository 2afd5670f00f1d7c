#include "hostsdk/support/SqlDatabase.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/MySQL/SessionImpl.h>
#include <Poco/Data/MySQL/Utility.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/SessionImpl.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/SessionFactory.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <unordered_map>

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
//
// POCO's SessionFactory is one per process (libPocoData) while this library
// is linked statically into the host and into each plugin: every copy
// registers its connectors under keys of its own (the address of a function
// of the copy), so that a copy's pools open sessions of its own classes —
// never code of another library that may be unloaded first — and removes
// them when it is unloaded.
std::string copyKey(const char* prefix)
{
	return std::string(prefix) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(&copyKey));
}

const std::string kBoundedMySqlKey = copyKey("hostsdk-mysql");

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

// The pool's key for SQLite sessions: POCO's SQLite sessions that keep the
// statements of SqlDatabase::query() prepared, per connection.
const std::string kCachingSqliteKey = copyKey("hostsdk-sqlite");

class CachingSqliteSession;

// The open connections of kCachingSqliteKey by their handle: query() finds
// the cache of the connection it runs on; a connection leaves before it
// closes, so no statement outlives its connection.
std::mutex g_sqliteSessionsMutex;
std::unordered_map<sqlite3*, CachingSqliteSession*> g_sqliteSessions;

class CachingSqliteSession : public Poco::Data::SQLite::SessionImpl
/// A POCO SQLite session with a cache of prepared statements (SQL text →
/// sqlite3_stmt), used by SqlDatabase::query() only. One thread at a time
/// uses a pooled session, so the cache needs no lock of its own.
{
public:
	CachingSqliteSession(const std::string& fileName, std::size_t timeout) :
		Poco::Data::SQLite::SessionImpl(fileName, timeout)
	{
		_db = Poco::AnyCast<sqlite3*>(getProperty("handle"));
		std::lock_guard<std::mutex> lock(g_sqliteSessionsMutex);
		g_sqliteSessions[_db] = this;
	}

	~CachingSqliteSession() override
	{
		forget();
	}

	void close() override
	{
		forget();
		Poco::Data::SQLite::SessionImpl::close();
	}

	struct Entry
	{
		sqlite3_stmt* statement = nullptr;
		bool inUse = false;
	};

	Entry* cached(const std::string& sql)
	/// The cached entry for sql, prepared on first use; nullptr when the
	/// cache is full (the caller prepares its own).
	{
		auto it = _statements.find(sql);
		if (it != _statements.end()) return &it->second;
		if (_statements.size() >= SqlDatabase::kStatementsPerConnection) return nullptr;
		Entry entry;
		entry.statement = prepare(_db, sql, SQLITE_PREPARE_PERSISTENT);
		return &_statements.emplace(sql, entry).first->second;
	}

	static sqlite3_stmt* prepare(sqlite3* db, const std::string& sql, unsigned flags)
	{
		sqlite3_stmt* statement = nullptr;
		const char* tail = nullptr;
		int rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), flags, &statement, &tail);
		if (rc != SQLITE_OK)
		{
			sqlite3_finalize(statement);
			Poco::Data::SQLite::Utility::throwException(db, rc, sql);
		}
		if (!statement) throw Poco::Data::SQLite::InvalidSQLStatementException("empty statement", sql);
		return statement;
	}

	static CachingSqliteSession* of(sqlite3* db)
	{
		std::lock_guard<std::mutex> lock(g_sqliteSessionsMutex);
		auto it = g_sqliteSessions.find(db);
		return it == g_sqliteSessions.end() ? nullptr : it->second;
	}

private:
	void forget() noexcept
	{
		{
			std::lock_guard<std::mutex> lock(g_sqliteSessionsMutex);
			auto it = g_sqliteSessions.find(_db);
			if (it != g_sqliteSessions.end() && it->second == this) g_sqliteSessions.erase(it);
		}
		for (auto& [sql, entry] : _statements)
			sqlite3_finalize(entry.statement);
		_statements.clear();
	}

	sqlite3* _db = nullptr;
	std::unordered_map<std::string, Entry> _statements;
};

class CachingSqliteConnector : public Poco::Data::Connector
{
public:
	const std::string& name() const override
	{
		return kCachingSqliteKey;
	}

	Poco::AutoPtr<Poco::Data::SessionImpl> createSession(const std::string& connectionString,
														 std::size_t timeout) override
	{
		return Poco::AutoPtr<Poco::Data::SessionImpl>(new CachingSqliteSession(connectionString, timeout));
	}
};

// A statement of query() on one SQLite connection: the cached one when it is
// free, else one of its own; reset (bindings cleared) or finalized after use.
class SqliteRun : public SqlDatabase::Row
{
public:
	SqliteRun(sqlite3* db, const std::string& sql) : _db(db)
	{
		CachingSqliteSession* session = CachingSqliteSession::of(db);
		CachingSqliteSession::Entry* entry = session ? session->cached(sql) : nullptr;
		if (entry && !entry->inUse)
		{
			_entry = entry;
			_entry->inUse = true;
			_statement = entry->statement;
		}
		else
		{
			// Not cached, or in use further up this thread's stack.
			_statement = CachingSqliteSession::prepare(db, sql, 0);
		}
	}

	~SqliteRun() override
	{
		if (_entry)
		{
			sqlite3_reset(_statement);
			sqlite3_clear_bindings(_statement);
			_entry->inUse = false;
		}
		else
		{
			sqlite3_finalize(_statement);
		}
	}

	SqliteRun(const SqliteRun&) = delete;
	SqliteRun& operator=(const SqliteRun&) = delete;

	void bind(const std::vector<SqlDatabase::Param>& params)
	{
		int at = 0;
		for (const SqlDatabase::Param& p : params)
		{
			++at;
			int rc = SQLITE_OK;
			switch (p.kind)
			{
			case SqlDatabase::Param::Kind::Integer:
				rc = sqlite3_bind_int64(_statement, at, p.number);
				break;
			case SqlDatabase::Param::Kind::Text:
				// The text outlives the statement's use (Param's contract).
				rc = sqlite3_bind_text(_statement, at, p.string->data(), static_cast<int>(p.string->size()),
									   SQLITE_STATIC);
				break;
			default:
				rc = sqlite3_bind_null(_statement, at);
				break;
			}
			if (rc != SQLITE_OK) Poco::Data::SQLite::Utility::throwException(_db, rc, "binding parameter");
		}
		if (at != sqlite3_bind_parameter_count(_statement))
			throw Poco::Data::SQLite::ParameterCountMismatchException(
				std::to_string(at) + " values for " + std::to_string(sqlite3_bind_parameter_count(_statement)) +
				" parameters");
	}

	bool step()
	{
		int rc = sqlite3_step(_statement);
		if (rc == SQLITE_ROW) return true;
		if (rc == SQLITE_DONE) return false;
		Poco::Data::SQLite::Utility::throwException(_db, rc);
		return false;
	}

	bool isNull(std::size_t column) const override
	{
		return sqlite3_column_type(_statement, static_cast<int>(column)) == SQLITE_NULL;
	}

	Poco::Int64 integer(std::size_t column) const override
	{
		return sqlite3_column_int64(_statement, static_cast<int>(column));
	}

	std::string text(std::size_t column) const override
	{
		const unsigned char* t = sqlite3_column_text(_statement, static_cast<int>(column));
		if (!t) return std::string();
		return std::string(reinterpret_cast<const char*>(t),
						   static_cast<std::size_t>(sqlite3_column_bytes(_statement, static_cast<int>(column))));
	}

private:
	sqlite3* _db;
	sqlite3_stmt* _statement = nullptr;
	CachingSqliteSession::Entry* _entry = nullptr;
};

struct ConnectorRegistration
{
	ConnectorRegistration()
	{
		Poco::Data::SQLite::Connector::registerConnector();
		Poco::Data::MySQL::Connector::registerConnector();
		Poco::Data::SessionFactory::instance().add(new BoundedMySqlConnector);
		Poco::Data::SessionFactory::instance().add(new CachingSqliteConnector);
	}

	~ConnectorRegistration()
	{
		Poco::Data::SessionFactory::instance().remove(kBoundedMySqlKey);
		Poco::Data::SessionFactory::instance().remove(kCachingSqliteKey);
	}
};

std::string poolKey(const std::string& connector)
{
	return connector == "mysql" ? kBoundedMySqlKey : kCachingSqliteKey;
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

namespace
{

// SQLite's busy handler: while another connection holds the lock, wait
// 100 µs, then twice as long each time up to 1 ms, for about 10 s in all
// (then SQLITE_BUSY). SQLite's own timeout handler sleeps 1, 2, 5, 10, …
// 100 ms between tries, so a writer behind a transaction of 2 ms waited
// up to 100 ms more than needed: at 4 concurrent creates p90 was 244 ms.
// (Writers of one SqlDatabase queue on a mutex before; this serves the
// others: the host's and a plugin's pools on one file, statements outside
// write().)
int waitForLock(void*, int tries)
{
	constexpr int kDoublings = 4;                  // 0.1, 0.2, 0.4, 0.8 ms
	constexpr int kTries = kDoublings + 10000 - 2; // then 1 ms steps: ~10 s
	if (tries >= kTries) return 0;
	const int micros = tries < kDoublings ? 100 << tries : 1000;
	std::this_thread::sleep_for(std::chrono::microseconds(micros));
	return 1;
}

} // namespace

void SqlDatabase::configureSqlite(Poco::Data::Session& s)
{
	// On every checkout (a pooled connection may be new): the busy handler
	// and foreign keys, set by C calls on the connection rather than by
	// PRAGMA statements that would be prepared each time.
	sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
	sqlite3_busy_handler(db, &waitForLock, nullptr);
	int enforced = 0;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &enforced) != SQLITE_OK || enforced != 1)
		throw Poco::Data::SQLite::SQLiteException("could not enable foreign keys", sqlite3_errmsg(db));
}

bool SqlDatabase::alive(Poco::Data::Session& s)
{
	return mysql_ping(Poco::Data::MySQL::Utility::handle(s)) == 0;
}

bool SqlDatabase::RecordSetRow::isNull(std::size_t column) const
{
	return _rs.value(column, _row).isEmpty();
}

Poco::Int64 SqlDatabase::RecordSetRow::integer(std::size_t column) const
{
	const Poco::Dynamic::Var& v = _rs.value(column, _row);
	return v.isEmpty() ? 0 : v.convert<Poco::Int64>();
}

std::string SqlDatabase::RecordSetRow::text(std::size_t column) const
{
	const Poco::Dynamic::Var& v = _rs.value(column, _row);
	return v.isEmpty() ? std::string() : v.convert<std::string>();
}

std::size_t SqlDatabase::query(Poco::Data::Session& s, const std::string& sql, const std::vector<Param>& params,
							   const std::function<void(const Row&)>& onRow)
{
	std::size_t rows = 0;
	if (_dialect == Dialect::SQLite)
	{
		SqliteRun run(Poco::Data::SQLite::Utility::dbHandle(s), sql);
		run.bind(params);
		while (run.step())
		{
			++rows;
			onRow(run);
		}
		return rows;
	}
	Poco::Data::Statement st(s);
	st << sql;
	// Values bound by reference, kept here until the statement has run.
	std::vector<Poco::Int64> numbers;
	std::vector<Poco::Nullable<std::string>> nulls;
	numbers.reserve(params.size());
	nulls.reserve(params.size());
	for (const Param& p : params)
	{
		switch (p.kind)
		{
		case Param::Kind::Integer:
			numbers.push_back(p.number);
			st.addBind(Poco::Data::Keywords::useRef(numbers.back()));
			break;
		case Param::Kind::Text:
			st.addBind(Poco::Data::Keywords::useRef(*p.string));
			break;
		default:
			nulls.emplace_back();
			st.addBind(Poco::Data::Keywords::useRef(nulls.back()));
			break;
		}
	}
	st.execute();
	Poco::Data::RecordSet rs(st);
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
	{
		++rows;
		onRow(RecordSetRow(rs, r));
	}
	return rows;
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
