#include "BenchCommon.h"

#include "MigrationRunner.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>

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

Stats stats(std::vector<double> ms)
{
	Stats st;
	std::sort(ms.begin(), ms.end());
	st.runs = ms.size();
	auto at = [&](double q)
	{
		std::size_t i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ms.size()))) - 1;
		return ms[std::min(i, ms.size() - 1)];
	};
	st.p50 = at(0.50);
	st.p99 = at(0.99);
	st.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
	st.max = ms.back();
	return st;
}

Runner::Runner(const Options& options, std::string label, Defaults defaults, int nameWidth) :
	_label(std::move(label)), _runs(static_cast<std::size_t>(options.number("runs", defaults.runs))),
	_warmup(static_cast<std::size_t>(options.number("warmup", defaults.warmup))),
	_budget(static_cast<double>(options.number("budget", defaults.budgetSeconds))), _tsv(options.get("tsv")),
	_nameWidth(nameWidth)
{
}

void Runner::run(const std::string& name, const std::string& detail, const std::function<std::size_t()>& body)
{
	using Clock = std::chrono::steady_clock;
	std::size_t rows = 0;
	auto started = Clock::now();
	for (std::size_t i = 0; i < _warmup; ++i)
	{
		rows = body();
		// A case slower than a second a round warms up once.
		if (std::chrono::duration<double>(Clock::now() - started).count() > 1.0) break;
	}
	std::vector<double> ms;
	started = Clock::now();
	while (ms.size() < _runs)
	{
		auto t0 = Clock::now();
		rows = body();
		ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
		if (ms.size() >= 10 && std::chrono::duration<double>(Clock::now() - started).count() > _budget) break;
	}
	Stats st = stats(ms);
	char line[512];
	std::snprintf(line, sizeof line, "%-*s %6zu %9.3f %9.3f %9.3f %9.3f %7zu  %s", _nameWidth, name.c_str(), st.runs,
				  st.p50, st.p99, st.mean, st.max, rows, detail.c_str());
	std::cout << line << std::endl;
	if (!_tsv.empty())
	{
		std::ofstream out(_tsv, std::ios::app);
		out << _label << '\t' << name << '\t' << st.runs << '\t' << st.p50 << '\t' << st.p99 << '\t' << st.mean << '\t'
			<< st.max << '\t' << rows << '\t' << detail << '\n';
	}
}

} // namespace Bench
