#pragma once

#include "store/Database.h"
#include <string>

namespace ExternalContacts
{

class SqlDialect
/// The SQL that differs between SQLite and MySQL/MariaDB, in one place:
/// a store asks for the fragment instead of testing the dialect. Made
/// from a Database::Dialect (implicitly, so a store can be built from
/// either).
{
public:
	SqlDialect(Database::Dialect dialect) : _dialect(dialect) {}

	Database::Dialect dialect() const
	{
		return _dialect;
	}

	bool isMySql() const
	{
		return _dialect == Database::Dialect::MySQL;
	}

	std::string forceIndex(const std::string& index) const
	/// " FORCE INDEX (index)" on MySQL, nothing on SQLite: MariaDB may pick
	/// another (equally covering) index, or none on a small table, and sort;
	/// SQLite's planner finds the index unaided.
	{
		return isMySql() ? " FORCE INDEX (" + index + ")" : std::string();
	}

	std::string indexedBy(const std::string& index) const
	/// The index a table is read by on both databases: " FORCE INDEX (index)"
	/// on MySQL, " INDEXED BY index" on SQLite.
	{
		return isMySql() ? " FORCE INDEX (" + index + ")" : " INDEXED BY " + index;
	}

	const char* joinInOrder() const
	/// A join whose order is the written one: "STRAIGHT_JOIN" on MySQL,
	/// "CROSS JOIN" on SQLite.
	{
		return isMySql() ? "STRAIGHT_JOIN" : "CROSS JOIN";
	}

	bool locksRows() const
	/// True when a read must lock the rows a transaction will write (MySQL:
	/// FOR UPDATE, and InnoDB's gap locks); SQLite's write transaction
	/// already excludes every other writer.
	{
		return isMySql();
	}

	const char* forUpdate() const
	/// " FOR UPDATE" where locksRows(), else nothing: a locking read that
	/// sees the latest committed row and holds it until the transaction ends.
	{
		return locksRows() ? " FOR UPDATE" : "";
	}

	const char* insertIgnore() const
	/// "INSERT IGNORE" on MySQL, "INSERT OR IGNORE" on SQLite: a row whose
	/// key exists is skipped.
	{
		return isMySql() ? "INSERT IGNORE" : "INSERT OR IGNORE";
	}

	std::string onConflictUpdate(const std::string& key, const std::string& assignment) const
	/// The tail of an upsert on key (the columns of a unique key, e.g.
	/// "org_id, token"): " ON DUPLICATE KEY UPDATE assignment" on MySQL,
	/// " ON CONFLICT (key) DO UPDATE SET assignment" on SQLite.
	{
		return isMySql() ? " ON DUPLICATE KEY UPDATE " + assignment
						 : " ON CONFLICT (" + key + ") DO UPDATE SET " + assignment;
	}

	std::string integerSum(const std::string& expression) const
	/// SUM(expression) as an integer: MySQL's SUM of integers is a DECIMAL.
	{
		return isMySql() ? "CAST(SUM(" + expression + ") AS SIGNED)" : "SUM(" + expression + ")";
	}

	std::string unicodeCollated(const std::string& column) const
	/// The column compared by Unicode rules where the database has them
	/// (MySQL: utf8mb4_unicode_ci, so case and width are ignored beyond
	/// ASCII); SQLite compares as it is.
	{
		return isMySql() ? column + " COLLATE utf8mb4_unicode_ci" : column;
	}

	bool rowValues() const
	/// True when a row-value comparison "(a, b) > (?, ?)" is one index range
	/// (SQLite); MySQL and MariaDB range-scan only the expanded form.
	{
		return !isMySql();
	}

	const char* readCommittedNext() const
	/// The statement that runs the transaction's next statement READ
	/// COMMITTED (MySQL), or nullptr where no such statement is needed
	/// (SQLite has no snapshot older than its write transaction).
	{
		return isMySql() ? "SET TRANSACTION ISOLATION LEVEL READ COMMITTED" : nullptr;
	}

private:
	Database::Dialect _dialect;
};

} // namespace ExternalContacts
