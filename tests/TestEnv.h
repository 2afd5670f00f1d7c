#pragma once

#include <Poco/Data/Session.h>
#include <cppunit/Exception.h>
#include <cppunit/Message.h>
#include <string>
#include <vector>

namespace TestEnv
{

std::string sourceDir();
/// The project's source tree (for sql/ and resources/).

std::string binaryDir();

std::string sqlRoot();

std::string mysqlConnectionString();
/// EC_TEST_MYSQL, set by `make test` to the throw-away MariaDB. Throws
/// when unset: a MariaDB test must fail, not pass silently, without it.

std::string freshMysqlDatabase(const std::string& prefix);
/// Creates an empty database on the test MariaDB and returns a
/// connection string for it.

std::string tempSqliteFile(const std::string& prefix);
/// A path for a new SQLite file under a fresh temp directory.

struct Backend
{
	std::string connector;
	std::string connectionString;
};

std::vector<Backend> bothBackends(const std::string& prefix);
/// A fresh SQLite file and a fresh MariaDB database.

template <typename Fixture, typename F> void onBoth(const std::string& prefix, F&& test)
/// Runs test(fixture) with a Fixture made from each of bothBackends(prefix),
/// SQLite first; a failed assertion names the connector ("[sqlite] …").
{
	for (const Backend& b : bothBackends(prefix))
	{
		try
		{
			Fixture fixture(b);
			test(fixture);
		}
		catch (CppUnit::Exception& e)
		{
			throw CppUnit::Exception(CppUnit::Message("[" + b.connector + "] " + e.what()), e.sourceLine());
		}
	}
}

std::string queryPlan(Poco::Data::Session& session, const std::string& sql);
/// The plan of sql on session's database (EXPLAIN QUERY PLAN on SQLite,
/// EXPLAIN on MariaDB): one line per row, every column, "NULL" for null.

} // namespace TestEnv
