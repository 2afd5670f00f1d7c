#pragma once

#include "Database.h"
#include <functional>
#include <string>
#include <vector>

namespace RefHost
{

class MigrationRunner
/// Applies sql/<component>/<dialect>/NNN_description.sql files in number
/// order and records each in the schema_migrations table, so running it
/// again changes nothing. Statements in a file end with ';' at the end of
/// a line; lines starting with "--" are comments. Nodes sharing a MySQL
/// database serialize on a named lock (one per database, so hosts on
/// other databases of the same server do not wait); SQLite on its write
/// lock.
{
public:
	struct Migration
	{
		int version;
		std::string name;
		std::string path;
	};

	MigrationRunner(Database& db, const std::string& sqlRoot);

	int migrate(const std::string& component);
	/// Applies what is missing; returns how many files were applied.
	/// Throws Poco::Exception naming the file and statement that failed.

	std::vector<Migration> available(const std::string& component) const;
	/// The files for the database's dialect, ordered by version.

	std::vector<int> applied(const std::string& component);

	static std::vector<std::string> splitStatements(const std::string& sql);

	void serialized(const std::string& purpose, const std::function<void()>& work);
	/// Runs work while holding a MySQL named lock for purpose on this
	/// database (GET_LOCK, 60 s; Poco::TimeoutException if not granted),
	/// so nodes starting at the same time do it one after the other, e.g.
	/// seeding the demo data. On SQLite it just runs work. purpose must
	/// differ from "migrate" unless work takes no lock itself. The lock is
	/// SqlDatabase::serialized's, named "ec:<purpose>:<database>".

private:
	void ensureVersionTable(Poco::Data::Session& s);
	int applyMissing(Poco::Data::Session& s, const std::string& component);

	Database& _db;
	std::string _sqlRoot;
};

} // namespace RefHost
