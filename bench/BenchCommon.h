#pragma once

#include "store/Database.h"
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace Bench
{

constexpr Poco::Int64 ORG = 1;
/// The one org the generator fills; members are users 1..members.

struct Options
/// "--name value" pairs from the command line; "--flag" alone is "1".
{
	Options(int argc, char** argv);

	std::string get(const std::string& name, const std::string& fallback = std::string()) const;
	long long number(const std::string& name, long long fallback) const;
	std::string required(const std::string& name) const;

	std::map<std::string, std::string> values;
};

std::unique_ptr<ExternalContacts::Database> openAndMigrate(const std::string& connector,
														   const std::string& connectionString, int upToVersion = 0);
/// Applies the plugin's migrations with the host's runner (as the host
/// does at start) and opens the plugin's own pool on the database. With
/// upToVersion > 0, only the migrations up to that number (so data can be
/// written as an older version would have, and a later call back-fills it).

struct Stats
{
	std::size_t runs = 0;
	double p50 = 0, p99 = 0, mean = 0, max = 0;
};

Stats stats(std::vector<double> ms);
/// Nearest-rank p50 / p99, mean and max of the timings (ms, not empty).

class Runner
/// Times bench cases: warm-up rounds (at most about a second), then up to
/// --runs timed rounds, fewer when a case would take longer than --budget
/// seconds; prints one line per case and appends it to --tsv when given.
{
public:
	struct Defaults
	{
		long long runs, warmup, budgetSeconds;
	};

	Runner(const Options& options, std::string label, Defaults defaults, int nameWidth);

	void run(const std::string& name, const std::string& detail, const std::function<std::size_t()>& body);
	/// body returns how many rows it produced (items or groups).

	std::size_t rounds() const
	/// The most rounds run() calls body: warm-up and timed.
	{
		return _warmup + _runs;
	}

private:
	std::string _label;
	std::size_t _runs;
	std::size_t _warmup;
	double _budget;
	std::string _tsv;
	int _nameWidth;
};

} // namespace Bench
