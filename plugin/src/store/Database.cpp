#include "store/Database.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

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
	const std::string key = _dialect == Dialect::SQLite ? "sqlite" : "mysql";
	_pool = std::make_unique<Poco::Data::SessionPool>(key, connectionString, 1, _poolSize, IDLE_SECONDS);
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
		try
		{
			s << "SET NAMES utf8mb4", now;
		}
		catch (const Poco::Data::MySQL::MySQLException&)
		{
			// Gone away (2006) or lost (2013) while idle in the pool.
			s.reconnect();
			s << "SET NAMES utf8mb4", now;
		}
	}
	return s;
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
