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
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <poll.h>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <unordered_map>

using namespace Poco::Data::Keywords;

namespace HostSdk
{

namespace
{

// The pools' sessions are POCO's own classes with a little added (below).
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

// The kept statements of one connection (SQL text → statement), at most
// SqlDatabase::kStatementsPerConnection: when full, the one used least
// recently (and not in use) is closed to make room, so statements of every
// length of a multi-row INSERT do not crowd out the ones every request runs.
// One thread at a time uses a pooled connection: no lock.
template <typename Statement> class StatementCache
{
public:
	using Close = void (*)(Statement*);

	struct Entry
	{
		Statement* statement = nullptr;
		bool inUse = false;
		std::uint64_t lastUse = 0;
	};

	explicit StatementCache(Close close) : _close(close) {}

	~StatementCache()
	{
		clear();
	}

	StatementCache(const StatementCache&) = delete;
	StatementCache& operator=(const StatementCache&) = delete;

	Entry* find(const std::string& sql)
	{
		auto it = _entries.find(sql);
		if (it == _entries.end()) return nullptr;
		it->second.lastUse = ++_clock;
		return &it->second;
	}

	template <typename Prepare> Entry* add(const std::string& sql, Prepare&& prepare)
	/// Keeps what prepare() makes; nullptr (nothing prepared) when every
	/// kept statement is in use.
	{
		if (_entries.size() >= SqlDatabase::kStatementsPerConnection && !closeLeastRecent()) return nullptr;
		Entry entry;
		entry.statement = prepare();
		entry.lastUse = ++_clock;
		return &_entries.emplace(sql, entry).first->second;
	}

	void erase(const std::string& sql)
	{
		auto it = _entries.find(sql);
		if (it == _entries.end()) return;
		_close(it->second.statement);
		_entries.erase(it);
	}

	void clear() noexcept
	{
		for (auto& [sql, entry] : _entries)
			_close(entry.statement);
		_entries.clear();
	}

private:
	bool closeLeastRecent()
	{
		auto oldest = _entries.end();
		for (auto it = _entries.begin(); it != _entries.end(); ++it)
			if (!it->second.inUse && (oldest == _entries.end() || it->second.lastUse < oldest->second.lastUse))
				oldest = it;
		if (oldest == _entries.end()) return false;
		_close(oldest->second.statement);
		_entries.erase(oldest);
		return true;
	}

	Close _close;
	std::unordered_map<std::string, Entry> _entries; // node-based: an Entry* stays valid while others come and go
	std::uint64_t _clock = 0;
};

// The pool's key for MySQL sessions: POCO's MySQL sessions with a bounded
// connect timeout that keep the statements of SqlDatabase::query() prepared.
const std::string kCachingMySqlKey = copyKey("hostsdk-mysql");

class CachingMySqlSession;

// The open connections of kCachingMySqlKey by their handle (as for SQLite
// below): query() finds the statements of the connection it runs on.
std::mutex g_mysqlSessionsMutex;
std::unordered_map<MYSQL*, CachingMySqlSession*> g_mysqlSessions;

class CachingMySqlSession : public Poco::Data::MySQL::SessionImpl
/// A POCO MySQL session whose connect timeout is bounded and that keeps
/// the statements of SqlDatabase::query() prepared on the server (SQL text
/// → MYSQL_STMT): POCO prepares, executes and closes every statement, three
/// messages and two round trips where a kept statement needs one.
///
/// The timeout: POCO's SessionPool creates sessions with the default login
/// timeout of 60 s (MYSQL_OPT_CONNECT_TIMEOUT), so against a server that
/// does not answer (host down, packets dropped, accept queue full) each
/// request would wait a minute; here it fails after
/// SqlDatabase::kConnectTimeoutSeconds with a ConnectionException (503).
{
public:
	CachingMySqlSession(const std::string& connectionString, std::size_t timeout) :
		Poco::Data::MySQL::SessionImpl(connectionString,
									   std::min<std::size_t>(timeout, SqlDatabase::kConnectTimeoutSeconds))
	{
		_db = handle();
		_resets = resetsOnReturn(connectionString);
		std::lock_guard<std::mutex> lock(g_mysqlSessionsMutex);
		g_mysqlSessions[_db] = this;
	}

	~CachingMySqlSession() override
	{
		forget();
	}

	void close() override
	{
		forget();
		Poco::Data::MySQL::SessionImpl::close();
	}

	void reset() override
	/// Called on every return to the pool; with the "reset" option POCO
	/// calls mysql_reset_connection, which drops the server's statements:
	/// then the kept ones go first. A connection whose last call failed
	/// (the client's error number, e.g. 2013 lost or 1927 killed) is pinged
	/// at its next checkout whenever it last answered.
	{
		if (mysql_errno(_db) != 0) unanswered();
		if (_resets) closeStatements();
		Poco::Data::MySQL::SessionImpl::reset();
	}

	void answered() noexcept
	/// The server answered on this connection just now.
	{
		_answeredAt = std::chrono::steady_clock::now();
	}

	void unanswered() noexcept
	/// A call failed: the next checkout pings.
	{
		_answeredAt = std::chrono::steady_clock::time_point();
	}

	bool answeredWithin(std::chrono::milliseconds window) const noexcept
	/// Answered less than window ago, and nothing has arrived since: an
	/// idle connection has nothing to read, so a readable socket is the
	/// server closing it (KILL, shutdown, a crashed server's kernel) — or
	/// anything unexpected: then the caller pings as before.
	{
		if (_answeredAt == std::chrono::steady_clock::time_point() ||
			std::chrono::steady_clock::now() - _answeredAt >= window)
			return false;
		pollfd socket{};
		socket.fd = static_cast<int>(mysql_get_socket(_db));
		socket.events = POLLIN;
		return socket.fd >= 0 && ::poll(&socket, 1, 0) == 0;
	}

	static bool resetsOnReturn(const std::string& connectionString)
	/// The "reset" option as POCO reads it: "reset=true" among the
	/// ";"-separated settings.
	{
		Poco::StringTokenizer settings(connectionString, ";", Poco::StringTokenizer::TOK_TRIM);
		for (const std::string& setting : settings)
		{
			const std::size_t eq = setting.find('=');
			if (eq != std::string::npos && Poco::trim(setting.substr(0, eq)) == "reset" &&
				Poco::trim(setting.substr(eq + 1)) == "true")
				return true;
		}
		return false;
	}

	using Entry = StatementCache<MYSQL_STMT>::Entry;

	Entry* cached(const std::string& sql)
	/// The kept entry for sql, prepared on first use and again when the
	/// client library dropped it (a reconnect invalidates every statement);
	/// nullptr when every kept one is in use (the caller prepares its own).
	{
		if (Entry* entry = _statements.find(sql))
		{
			if (entry->inUse || entry->statement->mysql == _db) return entry;
			_statements.erase(sql);
		}
		return _statements.add(sql, [&] { return prepare(_db, sql); });
	}

	void evict(const std::string& sql)
	/// Closes the kept statement of sql (after an error it must not repeat).
	{
		_statements.erase(sql);
	}

	static MYSQL_STMT* prepare(MYSQL* db, const std::string& sql)
	{
		MYSQL_STMT* statement = mysql_stmt_init(db);
		if (!statement) throw Poco::Data::MySQL::StatementException("mysql_stmt_init: out of memory");
		// With it, mysql_stmt_store_result() notes each column's longest
		// value: the result buffers are made to fit, nothing is truncated.
		const my_bool updateMaxLength = 1;
		if (mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &updateMaxLength) != 0 ||
			mysql_stmt_prepare(statement, sql.c_str(), static_cast<unsigned long>(sql.size())) != 0)
		{
			Poco::Data::MySQL::StatementException error("mysql_stmt_prepare error", statement, sql);
			mysql_stmt_close(statement);
			throw error;
		}
		return statement;
	}

	static CachingMySqlSession* of(MYSQL* db)
	{
		std::lock_guard<std::mutex> lock(g_mysqlSessionsMutex);
		auto it = g_mysqlSessions.find(db);
		return it == g_mysqlSessions.end() ? nullptr : it->second;
	}

private:
	void closeStatements() noexcept
	{
		_statements.clear();
	}

	void forget() noexcept
	{
		{
			std::lock_guard<std::mutex> lock(g_mysqlSessionsMutex);
			auto it = g_mysqlSessions.find(_db);
			if (it != g_mysqlSessions.end() && it->second == this) g_mysqlSessions.erase(it);
		}
		closeStatements();
	}

	MYSQL* _db = nullptr;
	bool _resets = false;
	// Written and read by the thread that holds the connection (the pool's
	// mutex orders one holder after the other).
	std::chrono::steady_clock::time_point _answeredAt;
	StatementCache<MYSQL_STMT> _statements{[](MYSQL_STMT* statement) { mysql_stmt_close(statement); }};
};

class CachingMySqlConnector : public Poco::Data::Connector
{
public:
	const std::string& name() const override
	{
		return kCachingMySqlKey;
	}

	Poco::AutoPtr<Poco::Data::SessionImpl> createSession(const std::string& connectionString,
														 std::size_t timeout) override
	{
		return Poco::AutoPtr<Poco::Data::SessionImpl>(new CachingMySqlSession(connectionString, timeout));
	}
};

// A statement of query() on one MySQL connection: the kept one when it is
// free, else one of its own; its result is stored in full (so that a row
// callback may run statements of its own on the connection) and freed, or
// the statement closed, after use. Columns of integer types are read as
// 64-bit integers, all others as text.
class MySqlRun : public SqlDatabase::Row
{
public:
	MySqlRun(MYSQL* db, const std::string& sql) : _db(db), _sql(sql)
	{
		_session = CachingMySqlSession::of(db);
		take();
	}

	~MySqlRun() override
	{
		release();
	}

	MySqlRun(const MySqlRun&) = delete;
	MySqlRun& operator=(const MySqlRun&) = delete;

	void execute(const std::vector<SqlDatabase::Param>& params)
	{
		bind(params);
		if (mysql_stmt_execute(_statement) != 0)
		{
			// The server forgot a kept statement or asks for it to be
			// prepared again (1243 unknown handler, 1615 need reprepare):
			// nothing ran; once more with a fresh one.
			const unsigned number = mysql_stmt_errno(_statement);
			if (!_entry || (number != 1243 && number != 1615)) fail("mysql_stmt_execute error");
			_session->evict(_sql);
			_entry = nullptr;
			_statement = nullptr;
			take();
			bind(params);
			if (mysql_stmt_execute(_statement) != 0) fail("mysql_stmt_execute error");
		}
		if (_session) _session->answered();
		const unsigned columns = mysql_stmt_field_count(_statement);
		if (columns == 0) return;
		if (mysql_stmt_store_result(_statement) != 0) fail("mysql_stmt_store_result error");
		MYSQL_RES* meta = mysql_stmt_result_metadata(_statement);
		if (!meta) fail("mysql_stmt_result_metadata error");
		const MYSQL_FIELD* fields = mysql_fetch_fields(meta);
		_columns.assign(columns, Column());
		_results.assign(columns, MYSQL_BIND());
		for (unsigned i = 0; i < columns; ++i)
		{
			Column& c = _columns[i];
			MYSQL_BIND& b = _results[i];
			b.is_null = &c.null;
			b.length = &c.length;
			b.error = &c.error;
			switch (fields[i].type)
			{
			case MYSQL_TYPE_TINY:
			case MYSQL_TYPE_SHORT:
			case MYSQL_TYPE_INT24:
			case MYSQL_TYPE_LONG:
			case MYSQL_TYPE_LONGLONG:
				c.isInteger = true;
				b.buffer_type = MYSQL_TYPE_LONGLONG;
				b.buffer = &c.number;
				b.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
				break;
			default:
				c.text.resize(std::max<unsigned long>(fields[i].max_length, 1));
				b.buffer_type = MYSQL_TYPE_STRING;
				b.buffer = c.text.data();
				b.buffer_length = static_cast<unsigned long>(c.text.size());
				break;
			}
		}
		mysql_free_result(meta);
		if (mysql_stmt_bind_result(_statement, _results.data()) != 0) fail("mysql_stmt_bind_result error");
	}

	std::size_t changed() const
	/// The rows the statement changed (INSERT, UPDATE, DELETE).
	{
		const my_ulonglong n = mysql_stmt_affected_rows(_statement);
		return n == static_cast<my_ulonglong>(-1) ? 0 : static_cast<std::size_t>(n);
	}

	bool fetch()
	{
		if (_columns.empty()) return false;
		const int rc = mysql_stmt_fetch(_statement);
		if (rc == MYSQL_NO_DATA) return false;
		if (rc == 1) fail("mysql_stmt_fetch error");
		if (rc == MYSQL_DATA_TRUNCATED)
		{
			// Only when the longest value was not noted; read the rest.
			for (unsigned i = 0; i < _columns.size(); ++i)
			{
				Column& c = _columns[i];
				if (c.isInteger || c.null || c.length <= c.text.size()) continue;
				std::vector<char> whole(c.length);
				MYSQL_BIND b{};
				b.buffer_type = MYSQL_TYPE_STRING;
				b.buffer = whole.data();
				b.buffer_length = c.length;
				if (mysql_stmt_fetch_column(_statement, &b, i, 0) != 0) fail("mysql_stmt_fetch_column error");
				c.overflow.assign(whole.data(), whole.size());
			}
		}
		return true;
	}

	bool isNull(std::size_t column) const override
	{
		return _columns.at(column).null != 0;
	}

	Poco::Int64 integer(std::size_t column) const override
	{
		const Column& c = _columns.at(column);
		if (c.null) return 0;
		if (c.isInteger) return c.number;
		return std::strtoll(text(column).c_str(), nullptr, 10);
	}

	std::string text(std::size_t column) const override
	{
		const Column& c = _columns.at(column);
		if (c.null) return std::string();
		if (c.isInteger)
			return _results[column].is_unsigned ? std::to_string(static_cast<Poco::UInt64>(c.number))
												: std::to_string(c.number);
		if (c.length > c.text.size()) return c.overflow;
		return std::string(c.text.data(), c.length);
	}

private:
	struct Column
	{
		bool isInteger = false;
		Poco::Int64 number = 0;
		std::vector<char> text;
		std::string overflow;
		unsigned long length = 0;
		my_bool null = 0;
		my_bool error = 0;
	};

	void take()
	{
		CachingMySqlSession::Entry* entry = _session ? _session->cached(_sql) : nullptr;
		if (entry && !entry->inUse)
		{
			_entry = entry;
			_entry->inUse = true;
			_statement = entry->statement;
		}
		else
		{
			// Not kept, or in use further up this thread's stack.
			_statement = CachingMySqlSession::prepare(_db, _sql);
		}
	}

	void release() noexcept
	{
		if (!_statement) return;
		if (_entry)
		{
			mysql_stmt_free_result(_statement);
			_entry->inUse = false;
		}
		else
		{
			mysql_stmt_close(_statement);
		}
	}

	void bind(const std::vector<SqlDatabase::Param>& params)
	{
		const unsigned expected = mysql_stmt_param_count(_statement);
		if (params.size() != expected)
			throw Poco::Data::MySQL::StatementException(std::to_string(params.size()) + " values for " +
														std::to_string(expected) + " parameters");
		_params.assign(params.size(), MYSQL_BIND());
		for (std::size_t i = 0; i < params.size(); ++i)
		{
			const SqlDatabase::Param& p = params[i];
			MYSQL_BIND& b = _params[i];
			switch (p.kind)
			{
			case SqlDatabase::Param::Kind::Integer:
				b.buffer_type = MYSQL_TYPE_LONGLONG;
				b.buffer = const_cast<Poco::Int64*>(&p.number); // only read
				break;
			case SqlDatabase::Param::Kind::Text:
				b.buffer_type = MYSQL_TYPE_STRING;
				b.buffer = const_cast<char*>(p.string->data()); // only read
				b.buffer_length = static_cast<unsigned long>(p.string->size());
				break;
			default:
				b.buffer_type = MYSQL_TYPE_NULL;
				break;
			}
		}
		if (!_params.empty() && mysql_stmt_bind_param(_statement, _params.data()) != 0)
			fail("mysql_stmt_bind_param error");
	}

	[[noreturn]] void fail(const char* what)
	{
		Poco::Data::MySQL::StatementException error(what, _statement, _sql);
		if (_session) _session->unanswered();
		// A statement that failed is not kept: the next run prepares it anew.
		if (_entry)
		{
			mysql_stmt_free_result(_statement);
			_entry->inUse = false;
			_session->evict(_sql);
			_entry = nullptr;
			_statement = nullptr;
		}
		throw error;
	}

	MYSQL* _db;
	const std::string& _sql;
	CachingMySqlSession* _session = nullptr;
	MYSQL_STMT* _statement = nullptr;
	CachingMySqlSession::Entry* _entry = nullptr;
	std::vector<MYSQL_BIND> _params;
	std::vector<MYSQL_BIND> _results;
	std::vector<Column> _columns;
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

	using Entry = StatementCache<sqlite3_stmt>::Entry;

	Entry* cached(const std::string& sql)
	/// The kept entry for sql, prepared on first use; nullptr when every
	/// kept one is in use (the caller prepares its own).
	{
		if (Entry* entry = _statements.find(sql)) return entry;
		return _statements.add(sql, [&] { return prepare(_db, sql, SQLITE_PREPARE_PERSISTENT); });
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
		_statements.clear();
	}

	sqlite3* _db = nullptr;
	StatementCache<sqlite3_stmt> _statements{[](sqlite3_stmt* statement) { sqlite3_finalize(statement); }};
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
		Poco::Data::SessionFactory::instance().add(new CachingMySqlConnector);
		Poco::Data::SessionFactory::instance().add(new CachingSqliteConnector);
	}

	~ConnectorRegistration()
	{
		Poco::Data::SessionFactory::instance().remove(kCachingMySqlKey);
		Poco::Data::SessionFactory::instance().remove(kCachingSqliteKey);
	}
};

std::string poolKey(const std::string& connector)
{
	return connector == "mysql" ? kCachingMySqlKey : kCachingSqliteKey;
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
	CachingMySqlSession* held = CachingMySqlSession::of(Poco::Data::MySQL::Utility::handle(s));
	const int window = _pingAfterIdleMs.load(std::memory_order_relaxed);
	if (held && window > 0 && held->answeredWithin(std::chrono::milliseconds(window))) return s;
	if (alive(s))
	{
		if (held) held->answered();
		return s;
	}
	retirePool(pool);
	Poco::Data::Session fresh = getCounted(*currentPool());
	if (!alive(fresh))
		throw Poco::Data::MySQL::ConnectionException("mysql_ping", Poco::Data::MySQL::Utility::handle(fresh));
	if (CachingMySqlSession* renewed = CachingMySqlSession::of(Poco::Data::MySQL::Utility::handle(fresh)))
		renewed->answered();
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
	MySqlRun run(Poco::Data::MySQL::Utility::handle(s), sql);
	run.execute(params);
	while (run.fetch())
	{
		++rows;
		onRow(run);
	}
	return rows;
}

std::size_t SqlDatabase::execute(Poco::Data::Session& s, const std::string& sql, const std::vector<Param>& params)
{
	if (_dialect == Dialect::SQLite)
	{
		sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
		SqliteRun run(db, sql);
		run.bind(params);
		while (run.step())
		{
		}
		return static_cast<std::size_t>(sqlite3_changes(db));
	}
	MySqlRun run(Poco::Data::MySQL::Utility::handle(s), sql);
	run.execute(params);
	while (run.fetch())
	{
	}
	return run.changed();
}

Poco::Int64 SqlDatabase::lastInsertId(Poco::Data::Session& s)
{
	if (_dialect == Dialect::SQLite) return sqlite3_last_insert_rowid(Poco::Data::SQLite::Utility::dbHandle(s));
	static const std::string kLastInsertId = "SELECT LAST_INSERT_ID()";
	Poco::Int64 id = 0;
	query(s, kLastInsertId, {}, [&](const Row& row) { id = row.integer(0); });
	return id;
}

void SqlDatabase::setPingAfterIdle(int milliseconds) noexcept
{
	_pingAfterIdleMs.store(std::max(0, milliseconds), std::memory_order_relaxed);
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

namespace
{

const std::string kBeginImmediate = "BEGIN IMMEDIATE";
const std::string kStartTransaction = "START TRANSACTION";
const std::string kCommit = "COMMIT";
const std::string kRollback = "ROLLBACK";

} // namespace

void SqlDatabase::begin(Poco::Data::Session& s)
{
	// POCO's Session::begin() is BEGIN DEFERRED on SQLite, which fails with
	// SQLITE_BUSY when a reader later tries to write; take the write lock now.
	// Transaction statements are kept prepared like any other of execute().
	execute(s, _dialect == Dialect::SQLite ? kBeginImmediate : kStartTransaction, {});
}

void SqlDatabase::commit(Poco::Data::Session& s)
{
	execute(s, kCommit, {});
}

void SqlDatabase::rollback(Poco::Data::Session& s) noexcept
{
	try
	{
		execute(s, kRollback, {});
	}
	catch (...)
	{
		// The transaction is gone with the connection; nothing to undo.
	}
}

} // namespace HostSdk
