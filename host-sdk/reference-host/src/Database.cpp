#include "Database.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/String.h>

using namespace Poco::Data::Keywords;

namespace RefHost {

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

std::string Database::normalizeConnector(const std::string& connector)
{
	std::string c = Poco::toLower(connector);
	if (c == "sqlite" || c == "sqlite3") return "sqlite";
	if (c == "mysql" || c == "mariadb") return "mysql";
	throw Poco::InvalidArgumentException("unknown database connector", connector);
}

Database::Database(const std::string& connector, const std::string& connectionString, std::size_t poolSize):
	_connector(normalizeConnector(connector)),
	_connectionString(connectionString),
	_poolSize(poolSize < 2 ? 2 : poolSize),
	_dialect(_connector == "sqlite" ? Dialect::SQLite : Dialect::MySQL)
{
	registerConnectorsOnce();
	_pool = std::make_unique<Poco::Data::SessionPool>(_connector, _connectionString, 1, _poolSize, 60);
	Poco::Data::Session s = session();
	if (_dialect == Dialect::SQLite)
	{
		// WAL lets readers run beside the one writer; the mode is stored in the file.
		std::string mode;
		s << "PRAGMA journal_mode=WAL", into(mode), now;
	}
}

Database::~Database() = default;

Poco::Data::Session Database::session()
{
	Poco::Data::Session s = _pool->get();
	if (_dialect == Dialect::SQLite)
	{
		s << "PRAGMA busy_timeout=10000", now;
		s << "PRAGMA foreign_keys=ON", now;
	}
	else
	{
		// MySQL sessions do not ping by themselves: a session that lost its
		// server answers 2006/2013 on first use, so check before handing out.
		try
		{
			s << "SET NAMES utf8mb4", now;
		}
		catch (const Poco::Data::MySQL::MySQLException&)
		{
			s.reconnect();
			s << "SET NAMES utf8mb4", now;
		}
	}
	return s;
}

Poco::Int64 Database::lastInsertId(Poco::Data::Session& s)
{
	Poco::Int64 id = 0;
	if (_dialect == Dialect::SQLite)
		s << "SELECT last_insert_rowid()", into(id), now;
	else
		s << "SELECT LAST_INSERT_ID()", into(id), now;
	return id;
}

bool Database::ping()
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

void Database::begin(Poco::Data::Session& s)
{
	// POCO's Session::begin() is BEGIN DEFERRED on SQLite, which fails with
	// SQLITE_BUSY when a reader later tries to write; take the write lock now.
	if (_dialect == Dialect::SQLite)
		s << "BEGIN IMMEDIATE", now;
	else
		s << "START TRANSACTION", now;
}

void Database::commit(Poco::Data::Session& s)
{
	s << "COMMIT", now;
}

void Database::rollback(Poco::Data::Session& s) noexcept
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

} // namespace RefHost
