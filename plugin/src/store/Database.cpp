#include "store/Database.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

namespace
{

constexpr std::size_t DEFAULT_POOL_SIZE = 32;
constexpr int IDLE_SECONDS = 60;

void registerConnectors()
{
	// The host process may have registered them already; POCO counts
	// registrations, so doing it again is harmless.
	static const bool registered = []
	{
		Poco::Data::SQLite::Connector::registerConnector();
		Poco::Data::MySQL::Connector::registerConnector();
		return true;
	}();
	(void)registered;
}

Database::Dialect dialectOf(const std::string& connector)
{
	std::string c = Poco::toLower(connector);
	if (c == "sqlite" || c == "sqlite3") return Database::Dialect::SQLite;
	if (c == "mysql" || c == "mariadb") return Database::Dialect::MySQL;
	throw Poco::InvalidArgumentException("unknown database connector", connector);
}

} // namespace

Database::Database(const std::string& connector, const std::string& connectionString, std::size_t poolSize) :
	_dialect(dialectOf(connector)), _poolSize(poolSize < 2 ? 2 : poolSize)
{
	registerConnectors();
	_connectorKey = _dialect == Dialect::SQLite ? "sqlite" : "mysql";
	_connectionString = connectionString;
	_pool = std::make_shared<Poco::Data::SessionPool>(_connectorKey, _connectionString, 1, _poolSize, IDLE_SECONDS);
	session();
}

std::unique_ptr<Database> Database::fromSettingsJson(const std::string& settingsJson)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(settingsJson);
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
		throw Poco::DataFormatException("database settings must be a JSON object");
	Poco::JSON::Object::Ptr settings = parsed.extract<Poco::JSON::Object::Ptr>();
	std::string connector = settings->optValue<std::string>("connector", "");
	std::string connectionString = settings->optValue<std::string>("connectionString", "");
	if (connectionString.empty()) throw Poco::DataFormatException("database settings lack connectionString");
	Poco::Int64 poolSize = settings->optValue<Poco::Int64>("poolSize", DEFAULT_POOL_SIZE);
	if (poolSize < 1 || poolSize > 10000) throw Poco::DataFormatException("database poolSize out of range");
	return std::make_unique<Database>(connector, connectionString, static_cast<std::size_t>(poolSize));
}

Database::~Database() = default;

std::shared_ptr<Poco::Data::SessionPool> Database::currentPool()
{
	std::lock_guard<std::mutex> lock(_poolMutex);
	return _pool;
}

void Database::retirePool(const std::shared_ptr<Poco::Data::SessionPool>& dead)
{
	std::lock_guard<std::mutex> lock(_poolMutex);
	// Checked-out sessions go back to their own pool, so a retired pool is
	// kept until none of its sessions is in use.
	_retired.erase(std::remove_if(_retired.begin(), _retired.end(),
					   [](const std::shared_ptr<Poco::Data::SessionPool>& p) { return p->used() == 0; }),
		_retired.end());
	if (_pool != dead) return;
	_retired.push_back(_pool);
	_pool = std::make_shared<Poco::Data::SessionPool>(_connectorKey, _connectionString, 1, _poolSize, IDLE_SECONDS);
}

Poco::Data::Session Database::session()
{
	std::shared_ptr<Poco::Data::SessionPool> pool = currentPool();
	Poco::Data::Session s = pool->get();
	if (_dialect == Dialect::SQLite)
	{
		s << "PRAGMA busy_timeout=10000", now;
		s << "PRAGMA foreign_keys=ON", now;
		return s;
	}
	// A connection the server dropped while idle (restart, wait_timeout)
	// answers 2006/2013 on first use and POCO's pool keeps handing it out:
	// retire the pool and take a fresh connection from a new one.
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

void Database::begin(Poco::Data::Session& s)
{
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
		// The transaction died with its connection; there is nothing to undo.
	}
}

} // namespace ExternalContacts
