#include "TestEnv.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/String.h>
#include <Poco/TemporaryFile.h>
#include <atomic>
#include <cctype>
#include <stdexcept>

namespace TestEnv
{

std::string sourceDir()
{
	return EC_SOURCE_DIR;
}

std::string binaryDir()
{
	return EC_BINARY_DIR;
}

std::string sqlRoot()
{
	return sourceDir() + "/sql";
}

std::string mysqlConnectionString()
{
	if (!Poco::Environment::has("EC_TEST_MYSQL") || Poco::Environment::get("EC_TEST_MYSQL").empty())
		throw std::runtime_error("EC_TEST_MYSQL is not set; run the tests through `make test`");
	return Poco::Environment::get("EC_TEST_MYSQL");
}

namespace
{

std::string uniqueSuffix()
{
	static std::atomic<int> counter{0};
	return std::to_string(Poco::Process::id()) + "_" + std::to_string(++counter);
}

} // namespace

std::string freshMysqlDatabase(const std::string& prefix)
{
	std::string base = mysqlConnectionString();
	std::string name = prefix + "_" + uniqueSuffix();
	for (char& c : name)
		if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
	std::string cs = base;
	std::string::size_type pos = cs.find("db=");
	if (pos != std::string::npos)
	{
		std::string::size_type end = cs.find(';', pos);
		cs.erase(pos, end == std::string::npos ? std::string::npos : end - pos + 1);
	}
	if (!cs.empty() && cs.back() != ';') cs += ';';
	Poco::Data::MySQL::Connector::registerConnector();
	Poco::Data::Session admin("mysql", cs + "db=mysql");
	admin << "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
		Poco::Data::Keywords::now;
	return cs + "db=" + name;
}

std::string tempSqliteFile(const std::string& prefix)
{
	Poco::Path dir(Poco::Path::temp());
	dir.pushDirectory("ec-test-" + prefix + "-" + uniqueSuffix());
	Poco::File(dir).createDirectories();
	Poco::TemporaryFile::registerForDeletion(dir.toString());
	return Poco::Path(dir, "test.db").toString();
}

std::vector<Backend> bothBackends(const std::string& prefix)
{
	return {{"sqlite", tempSqliteFile(prefix)}, {"mysql", freshMysqlDatabase(prefix)}};
}

std::string queryPlan(Poco::Data::Session& session, const std::string& sql)
{
	bool sqlite = Poco::toLower(session.connector()) == "sqlite";
	Poco::Data::Statement statement(session);
	statement << (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql;
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::string all;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
	{
		for (std::size_t column = 0; column < rows.columnCount(); ++column)
		{
			Poco::Dynamic::Var v = rows.value(column, row);
			all += (v.isEmpty() ? std::string("NULL") : v.convert<std::string>()) + " ";
		}
		all += "\n";
	}
	return all;
}

} // namespace TestEnv
