#include "hostsdk/support/SqlDatabase.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace HostSdk {

namespace {

struct ConnectorRegistration
{
	ConnectorRegistration()
	{
		Poco::Data::SQLite::Connector::registerConnector();
		Poco::Data::MySQL::Connector::registerConnector();
	}
};

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

SqlDatabase::SqlDatabase(const std::string& connector, const std::string& connectionString, std::size_t poolSize):
	_connector(normalizeConnector(connector)),
	_connectionString(connectionString),
	_poolSize(poolSize < 2 ? 2 : poolSize),
	_dialect(_connector == "sqlite" ? Dialect::SQLite : Dialect::MySQL)
{
	registerConnectorsOnce();
	_pool = std::make_shared<Poco::Data::SessionPool>(_connector, _connectionString, 1, _poolSize, 60);
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
	_pool = std::make_shared<Poco::Data::SessionPool>(_connector, _connectionString, 1, _poolSize, 60);
}

Poco::Data::Session SqlDatabase::session()
{
	std::shared_ptr<Poco::Data::SessionPool> pool = currentPool();
	Poco::Data::Session s = pool->get();
	if (_dialect == Dialect::SQLite)
	{
		s << "PRAGMA busy_timeout=10000", now;
		s << "PRAGMA foreign_keys=ON", now;
		return s;
	}
	// MySQL sessions do not ping by themselves: a connection the server
	// dropped (restart, idle timeout) answers 2006/2013 on first use, and
	// POCO's pool keeps handing it out. Check before handing a session out;
	// on failure the server most likely dropped every idle connection, so
	// retire the whole pool and take a fresh connection from a new one.
	try
	{
		s << "SET NAMES utf8mb4", now;
		return s;
	}
	catch (const Poco::Data::MySQL::MySQLException&)
	{
	}
	retirePool(pool);
	Poco::Data::Session fresh = currentPool()->get();
	fresh << "SET NAMES utf8mb4", now;
	return fresh;
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
