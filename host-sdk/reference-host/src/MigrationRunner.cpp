#include "MigrationRunner.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/RegularExpression.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <algorithm>
#include <set>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace RefHost
{

MigrationRunner::MigrationRunner(Database& db, const std::string& sqlRoot) : _db(db), _sqlRoot(sqlRoot) {}

std::vector<MigrationRunner::Migration> MigrationRunner::available(const std::string& component) const
{
	static const Poco::RegularExpression componentName("^[a-z0-9][a-z0-9-]{0,63}$");
	if (!componentName.match(component)) throw Poco::InvalidArgumentException("bad migration component", component);
	Poco::Path dir(_sqlRoot);
	dir.makeDirectory();
	dir.pushDirectory(component);
	dir.pushDirectory(_db.dialectName());
	std::vector<Migration> result;
	Poco::File f(dir);
	if (!f.exists()) throw Poco::FileNotFoundException("no migrations directory", dir.toString());
	static const Poco::RegularExpression fileName("^([0-9]{3,})_[A-Za-z0-9_]+\\.sql$");
	std::set<int> seen;
	for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
	{
		std::vector<std::string> m;
		if (!it->isFile() || fileName.split(it.name(), m) != 2) continue;
		int version = Poco::NumberParser::parse(m[1]);
		if (!seen.insert(version).second) throw Poco::DataFormatException("two migrations with one number", it->path());
		result.push_back({version, it.name(), it->path()});
	}
	std::sort(result.begin(), result.end(),
			  [](const Migration& a, const Migration& b) { return a.version < b.version; });
	return result;
}

std::vector<std::string> MigrationRunner::splitStatements(const std::string& sql)
{
	std::vector<std::string> statements;
	std::istringstream in(sql);
	std::string line, current;
	while (std::getline(in, line))
	{
		std::string trimmed = Poco::trim(line);
		if (trimmed.empty() || trimmed.compare(0, 2, "--") == 0) continue;
		current += line;
		current += '\n';
		if (trimmed.back() == ';')
		{
			std::string stmt = Poco::trim(current);
			stmt.pop_back();
			if (!Poco::trim(stmt).empty()) statements.push_back(stmt);
			current.clear();
		}
	}
	if (!Poco::trim(current).empty()) statements.push_back(Poco::trim(current));
	return statements;
}

void MigrationRunner::ensureVersionTable(Poco::Data::Session& s)
{
	s << "CREATE TABLE IF NOT EXISTS schema_migrations ("
		 " component VARCHAR(64) NOT NULL,"
		 " version INTEGER NOT NULL,"
		 " name VARCHAR(255) NOT NULL,"
		 " applied_at BIGINT NOT NULL,"
		 " PRIMARY KEY (component, version))",
		now;
}

std::vector<int> MigrationRunner::applied(const std::string& component)
{
	Poco::Data::Session s = _db.session();
	ensureVersionTable(s);
	std::vector<int> versions;
	s << "SELECT version FROM schema_migrations WHERE component = ? ORDER BY version", useRef(component),
		into(versions), now;
	return versions;
}

int MigrationRunner::applyMissing(Poco::Data::Session& s, const std::string& component)
{
	std::vector<int> done;
	s << "SELECT version FROM schema_migrations WHERE component = ?", useRef(component), into(done), now;
	std::set<int> doneSet(done.begin(), done.end());
	int count = 0;
	for (const Migration& m : available(component))
	{
		if (doneSet.count(m.version)) continue;
		Poco::FileInputStream in(m.path);
		std::string sql;
		Poco::StreamCopier::copyToString(in, sql);
		for (const std::string& stmt : splitStatements(sql))
		{
			try
			{
				s << stmt, now;
			}
			catch (const Poco::Exception& e)
			{
				throw Poco::DataException("migration " + component + "/" + m.name + " failed: " + e.displayText() +
										  "\nstatement: " + stmt.substr(0, 300));
			}
		}
		Poco::Int64 at = Poco::Timestamp().epochMicroseconds() / 1000;
		int version = m.version;
		std::string name = m.name;
		s << "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)",
			useRef(component), use(version), use(name), use(at), now;
		++count;
	}
	return count;
}

int MigrationRunner::migrate(const std::string& component)
{
	Poco::Data::Session s = _db.session();
	ensureVersionTable(s);
	if (_db.dialect() == Database::Dialect::SQLite)
	{
		// SQLite DDL is transactional: a failed file leaves nothing behind.
		return _db.transaction(s, [&](Poco::Data::Session& t) { return applyMissing(t, component); });
	}
	// MySQL DDL commits implicitly; serialize nodes on a named lock instead.
	int n = 0;
	serialized("migrate", [&] { n = applyMissing(s, component); });
	return n;
}

void MigrationRunner::serialized(const std::string& purpose, const std::function<void()>& work)
{
	_db.serialized("ec", purpose, 60, work);
}

} // namespace RefHost
