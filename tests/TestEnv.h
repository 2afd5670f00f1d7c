#pragma once

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

} // namespace TestEnv
