#include "store/Database.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace ExternalContacts
{

namespace
{

constexpr Poco::Int64 DEFAULT_POOL_SIZE = 32;

} // namespace

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

} // namespace ExternalContacts
