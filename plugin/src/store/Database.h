#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>
#include <string>
#include <type_traits>
#include <utility>

namespace ExternalContacts
{

class Database
/// The plugin's own pool of sessions on the host's database (SQLite or
/// MySQL/MariaDB), built from the settings the host hands out. Sessions
/// are prepared on checkout: SQLite gets a busy timeout and foreign keys,
/// MySQL utf8mb4 (which also proves the connection alive: a dead one is
/// reconnected once, outside any transaction).
{
public:
	enum class Dialect
	{
		SQLite,
		MySQL
	};

	Database(const std::string& connector, const std::string& connectionString, std::size_t poolSize);
	/// connector is "sqlite" or "mysql" ("mariadb" is taken as "mysql").
	/// poolSize must cover the host's request threads: POCO's pool throws
	/// at once when exhausted. Throws Poco::Exception when the database
	/// cannot be opened.

	static std::unique_ptr<Database> fromSettingsJson(const std::string& settingsJson);
	/// A pool for {"connector":"sqlite"|"mysql","connectionString":"…","poolSize":N}
	/// (poolSize optional, default 32). Throws Poco::Exception on bad settings.

	~Database();

	Database(const Database&) = delete;
	Database& operator=(const Database&) = delete;

	Poco::Data::Session session();
	/// A prepared session; it returns to the pool when the last copy dies.

	template <typename F> auto write(F&& f) -> decltype(f(std::declval<Poco::Data::Session&>()))
	/// Runs f(session) in one write transaction (BEGIN IMMEDIATE on
	/// SQLite, so two writers never deadlock on a lock upgrade) and
	/// commits; rolls back and rethrows on any exception.
	{
		Poco::Data::Session s = session();
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

	Dialect dialect() const noexcept
	{
		return _dialect;
	}

	std::size_t poolSize() const noexcept
	{
		return _poolSize;
	}

private:
	void begin(Poco::Data::Session& s);
	void commit(Poco::Data::Session& s);
	void rollback(Poco::Data::Session& s) noexcept;

	std::shared_ptr<Poco::Data::SessionPool> currentPool();
	void retirePool(const std::shared_ptr<Poco::Data::SessionPool>& dead);

	Dialect _dialect;
	std::size_t _poolSize;
	std::string _connectorKey;
	std::string _connectionString;
	std::mutex _poolMutex; // guards _pool and _retired
	std::shared_ptr<Poco::Data::SessionPool> _pool;
	std::vector<std::shared_ptr<Poco::Data::SessionPool>> _retired;
};

} // namespace ExternalContacts
