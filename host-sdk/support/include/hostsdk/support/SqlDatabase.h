#pragma once

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace HostSdk
{

class SqlDatabase
/// A pool of POCO Data sessions on SQLite (embedded default) or
/// MySQL/MariaDB, with what both the reference host and the plugins need
/// and keep getting wrong: sessions validated on checkout (a pool whose
/// MySQL connection the server dropped is retired, not reused), SQLite in
/// WAL mode with a busy timeout and foreign keys, MySQL in utf8mb4, and
/// write transactions that take SQLite's write lock up front.
///
/// Part of the optional C++ support library (HostSdk::support), not of
/// the ABI: a host and a plugin each own their own instance.
{
public:
	enum class Dialect
	{
		SQLite,
		MySQL
	};

	static constexpr std::size_t kConnectTimeoutSeconds = 5;
	/// How long opening a MySQL connection may take before it fails
	/// (POCO's default is 60 s): a request never waits longer for a
	/// database that does not answer.

	static constexpr int kPingAfterIdleMs = 1000;
	/// session() on MySQL checks a pooled connection with mysql_ping() (a
	/// round trip) when it has not answered for this long, when its last
	/// call failed (connection lost, killed, any error), or when its socket
	/// has something to read (an idle connection has nothing: it is the
	/// server closing it — KILL, shutdown, a crashed server's kernel). A
	/// connection that answered a moment ago and is quiet goes out
	/// unchecked: a request that takes three connections in a row pings
	/// once, not three times. What that gives up: a connection lost
	/// without a word (a network cut) within the last second fails its
	/// next statement (classified Unavailable: 503) where a ping would have
	/// replaced it; the failure marks it, so its next checkout pings and
	/// the pool is renewed as before.

	void setPingAfterIdle(int milliseconds) noexcept;
	/// 0: ping on every checkout (as before the window).

	SqlDatabase(const std::string& connector, const std::string& connectionString, std::size_t poolSize);
	/// connector is "sqlite" or "mysql". Throws Poco::Exception when the
	/// database cannot be opened.

	virtual ~SqlDatabase();

	SqlDatabase(const SqlDatabase&) = delete;
	SqlDatabase& operator=(const SqlDatabase&) = delete;

	Poco::Data::Session session();
	/// A checked-out session; returns to the pool when the last copy dies.
	/// Throws Poco::Data::SessionPoolExhaustedException when all are in use.

	template <typename F> auto write(F&& f) -> decltype(f(std::declval<Poco::Data::Session&>()))
	/// Runs f(session) in one write transaction (BEGIN IMMEDIATE on SQLite)
	/// and commits; rolls back and rethrows on any exception. On SQLite the
	/// writers of this instance queue on a mutex first: SQLite has one
	/// writer at a time anyway, and a thread waiting on a mutex starts the
	/// moment the lock is free, where SQLite's busy handler polls.
	{
		std::unique_lock<std::recursive_mutex> writer(_sqliteWriter, std::defer_lock);
		if (_dialect == Dialect::SQLite) writer.lock();
		Poco::Data::Session s = session();
		return transaction(s, std::forward<F>(f));
	}

	template <typename F> auto transaction(Poco::Data::Session& s, F&& f) -> decltype(f(s))
	/// Runs f(s) in one write transaction on the session s (BEGIN IMMEDIATE
	/// on SQLite) and commits; rolls back and rethrows on any exception.
	/// write() without its queue, for a caller that keeps its own session.
	{
		begin(s);
		try
		{
			if constexpr (std::is_void_v<decltype(f(s))>)
			{
				f(s);
				commit(s);
			}
			else
			{
				auto result = f(s);
				commit(s);
				return result;
			}
		}
		catch (...)
		{
			rollback(s);
			throw;
		}
	}

	void serialized(const std::string& prefix, const std::string& purpose, int timeoutSeconds,
					const std::function<void()>& work);
	/// Runs work while holding a MySQL named lock (GET_LOCK on a session
	/// kept out of the pool meanwhile; the server releases it if the node
	/// dies), so that nodes sharing one database do a piece of start-up
	/// work one at a time. The lock is lockName(prefix, purpose, the
	/// current database): databases on one server do not block each
	/// other. Poco::TimeoutException when it is not granted within
	/// timeoutSeconds. On SQLite it just runs work: a SQLite file belongs
	/// to one process.

	static std::string lockName(const std::string& prefix, const std::string& purpose, const std::string& database);
	/// "<prefix>:<purpose>:<database>", at most 64 characters (the longest
	/// name MySQL accepts): a long database name is replaced by its SHA-1.

	Dialect dialect() const
	{
		return _dialect;
	}

	std::string dialectName() const
	/// "sqlite" or "mysql", as in sql/<component>/<dialect>/.
	{
		return _dialect == Dialect::SQLite ? "sqlite" : "mysql";
	}

	const std::string& connector() const
	{
		return _connector;
	}

	const std::string& connectionString() const
	{
		return _connectionString;
	}

	std::size_t poolSize() const
	{
		return _poolSize;
	}

	struct PoolStats
	{
		std::size_t capacity = 0;   // the pool's maximum number of sessions
		std::size_t inUse = 0;      // checked out now
		std::size_t idle = 0;       // open, waiting in the pool
		int waiting = 0;            // threads inside session(): connecting or validating a session
		Poco::UInt64 exhausted = 0; // session() calls that found every session in use, since start
	};

	PoolStats poolStats();
	/// A snapshot for metrics; cheap (atomics and the pool's own counters).

	class Row
	/// One row of query(), its columns by position from 0.
	{
	public:
		virtual ~Row() = default;
		virtual bool isNull(std::size_t column) const = 0;
		virtual Poco::Int64 integer(std::size_t column) const = 0; ///< 0 for NULL
		virtual std::string text(std::size_t column) const = 0;    ///< "" for NULL

		std::optional<std::string> optionalText(std::size_t column) const
		/// Nothing for NULL, else the text.
		{
			return isNull(column) ? std::nullopt : std::optional<std::string>(text(column));
		}
	};

	class RecordSetRow : public Row
	/// A Row over row `row` of a POCO RecordSet, for row readers shared by
	/// query() and statements run through POCO.
	{
	public:
		RecordSetRow(const Poco::Data::RecordSet& rs, std::size_t row) : _rs(rs), _row(row) {}
		bool isNull(std::size_t column) const override;
		Poco::Int64 integer(std::size_t column) const override;
		std::string text(std::size_t column) const override;

	private:
		const Poco::Data::RecordSet& _rs;
		std::size_t _row;
	};

	struct Param
	/// A value bound to a "?" of query(). Text is borrowed: the string must
	/// outlive the call (a temporary in the call's expression does).
	{
		enum class Kind
		{
			Null,
			Integer,
			Text
		};
		Kind kind = Kind::Null;
		Poco::Int64 number = 0;
		const std::string* string = nullptr;

		static Param integer(Poco::Int64 value)
		{
			Param p;
			p.kind = Kind::Integer;
			p.number = value;
			return p;
		}
		static Param text(const std::string& value)
		{
			Param p;
			p.kind = Kind::Text;
			p.string = &value;
			return p;
		}
	};

	std::size_t query(Poco::Data::Session& s, const std::string& sql, const std::vector<Param>& params,
					  const std::function<void(const Row&)>& onRow);
	/// Runs sql (one statement) with params bound to its "?" in order and
	/// calls onRow for every row; returns the number of rows. For the
	/// statements every request runs: the statement is prepared once per
	/// pooled connection and kept (kStatementsPerConnection at most; when
	/// more are run, the one used least recently is closed to make room; a
	/// statement run again inside its own onRow is prepared for that call),
	/// with the C API, no POCO objects — on
	/// SQLite a sqlite3_stmt, on MySQL a server-side MYSQL_STMT (one round
	/// trip per run instead of POCO's prepare, execute and close; prepared
	/// again after a reconnect, a connection reset or the server's
	/// ER_NEED_REPREPARE). MySQL columns of integer types read as integers,
	/// all others as text; the whole result is fetched before the first
	/// onRow, so onRow may run statements on the same session. Errors throw
	/// what POCO's connectors throw (classify() reads them alike).

	std::size_t execute(Poco::Data::Session& s, const std::string& sql, const std::vector<Param>& params);
	/// Runs sql (one statement without rows: INSERT, UPDATE, DELETE) like
	/// query(), kept prepared; returns the number of rows it changed (as
	/// the connectors count: MySQL the rows whose values changed, SQLite
	/// the rows the statement matched).

	static constexpr std::size_t kStatementsPerConnection = 64;

	Poco::Int64 lastInsertId(Poco::Data::Session& s);
	/// The id of the row the last INSERT on this session created (SQLite:
	/// the connection's, no statement; MySQL: LAST_INSERT_ID() kept prepared).

	bool ping();
	/// True when a trivial query succeeds.

	void begin(Poco::Data::Session& s);
	void commit(Poco::Data::Session& s);
	void rollback(Poco::Data::Session& s) noexcept;
	/// BEGIN IMMEDIATE (SQLite) / START TRANSACTION, COMMIT and ROLLBACK,
	/// kept prepared (execute()).

	static std::string normalizeConnector(const std::string& connector);
	/// Maps "mariadb"/"MySQL" etc. to the POCO connector key; throws on unknown.

	enum class Failure
	/// What a failed database call means to the caller, whichever
	/// connector raised it: the one classification both the host and
	/// the plugins answer by (see answerFor()).
	{
		Unavailable, ///< unreachable, connection lost, shutting down, read-only, not in a cluster
		Busy,        ///< pool exhausted, locked, deadlock, lock wait, Galera certification conflict
		Other        ///< everything else: a constraint, an SQL error, a bug
	};

	static Failure classify(const std::exception& e) noexcept;
	/// Unavailable: POCO's connection exceptions, a SQLite file that cannot
	/// be opened or read (CantOpenDBFile, IOError), MySQL client errors
	/// 2002/2003/2005/2006/2011/2012/2013/2026/2048/2055, server errors
	/// that mean the server is going away or refuses writes (1040, 1053,
	/// 1077, 1079, 1152, 1158-1161, 1290, 1836, 1927, 4031) and Galera's
	/// 1047 (node not prepared for application use).
	/// Busy: Poco::Data::SessionPoolExhaustedException, SQLite's
	/// DBLockedException (SQLITE_BUSY) and TableLockedException
	/// (SQLITE_LOCKED), MySQL 1205 (lock wait timeout) and 1213 (deadlock,
	/// which is also how Galera reports a certification failure). Nothing
	/// was written; the same request may succeed when sent again.
	/// Other: anything else, including non-database exceptions.

	struct FailureAnswer
	/// How a request answers a failure of one class: the same table for
	/// the host's and the plugins' responders (JSON and HTML).
	{
		int status;          ///< HTTP status
		const char* code;    ///< the API's error code
		const char* message; ///< safe to show: never a detail of the server
		bool retryAfter;     ///< send "Retry-After: 1"
	};

	static const FailureAnswer& answerFor(Failure failure) noexcept;
	/// Unavailable: 503 unavailable "the database is unavailable";
	/// Busy: 503 unavailable "the database is busy; try again";
	/// Other: 500 internal "internal error".

	static const char* failureName(Failure failure) noexcept;
	/// "unavailable", "busy" or "other", for logs.

	static bool isUnavailable(const std::exception& e) noexcept
	/// classify(e) == Failure::Unavailable.
	{
		return classify(e) == Failure::Unavailable;
	}

	static bool isContention(const std::exception& e) noexcept
	/// classify(e) == Failure::Busy.
	{
		return classify(e) == Failure::Busy;
	}

	static int mysqlErrorNumber(const std::string& message) noexcept;
	/// The number after "[mysql_errno]: " or "[mysql_stmt_errno]: " in a
	/// POCO MySQL exception's message, or 0.

private:
	std::string _connector;
	std::string _connectionString;
	std::size_t _poolSize;
	Dialect _dialect;
	std::shared_ptr<Poco::Data::SessionPool> currentPool();
	void retirePool(const std::shared_ptr<Poco::Data::SessionPool>& dead);
	Poco::Data::Session getCounted(Poco::Data::SessionPool& pool);
	static void configureSqlite(Poco::Data::Session& s);
	static bool alive(Poco::Data::Session& s);

	std::recursive_mutex _sqliteWriter; // write() on SQLite; recursive: a nested write() waits on SQLite, as before
	std::atomic<int> _waiting{0};
	std::atomic<int> _pingAfterIdleMs{kPingAfterIdleMs};
	std::atomic<Poco::UInt64> _exhausted{0};
	std::mutex _poolMutex; // guards _pool and _retired
	std::shared_ptr<Poco::Data::SessionPool> _pool;
	std::vector<std::shared_ptr<Poco::Data::SessionPool>> _retired;
};

} // namespace HostSdk
