#include "BenchCommon.h"

#include "MigrationRunner.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <cstdlib>

namespace Bench
{

Options::Options(int argc, char** argv)
{
	for (int i = 1; i < argc; ++i)
	{
		std::string arg = argv[i];
		if (arg.rfind("--", 0) != 0) throw Poco::InvalidArgumentException("unexpected argument", arg);
		std::string name = arg.substr(2);
		if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0)
			values[name] = argv[++i];
		else
			values[name] = "1";
	}
}

std::string Options::get(const std::string& name, const std::string& fallback) const
{
	auto it = values.find(name);
	return it == values.end() ? fallback : it->second;
}

long long Options::number(const std::string& name, long long fallback) const
{
	auto it = values.find(name);
	return it == values.end() ? fallback : std::stoll(it->second);
}

std::string Options::required(const std::string& name) const
{
	auto it = values.find(name);
	if (it == values.end()) throw Poco::InvalidArgumentException("missing option --" + name);
	return it->second;
}

std::unique_ptr<ExternalContacts::Database> openAndMigrate(const std::string& connector,
														   const std::string& connectionString, int upToVersion)
{
	{
		RefHost::Database host(connector, connectionString, 2);
		std::string root = EC_SOURCE_DIR "/sql";
		Poco::TemporaryFile older;
		if (upToVersion > 0)
		{
			// A copy of the component's migrations up to upToVersion.
			RefHost::MigrationRunner all(host, root);
			Poco::Path dir(older.path());
			dir.makeDirectory();
			dir.pushDirectory("external-contacts");
			dir.pushDirectory(host.dialectName());
			Poco::File(dir).createDirectories();
			for (const RefHost::MigrationRunner::Migration& m : all.available("external-contacts"))
				if (m.version <= upToVersion) Poco::File(m.path).copyTo(dir.toString());
			root = older.path();
		}
		RefHost::MigrationRunner runner(host, root);
		runner.migrate("external-contacts");
	}
	return std::make_unique<ExternalContacts::Database>(connector, connectionString, 4);
}

} // namespace Bench
