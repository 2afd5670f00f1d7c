#pragma once

#include "store/Database.h"
#include <chrono>
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


} // namespace Bench
