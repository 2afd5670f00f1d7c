#pragma once

// The rows of a query plan as the plan assertions of the tests (and the
// plan lines bench/contacts_bench.cpp prints) read them. Header-only: the
// benchmarks use it without the CppUnit test support.

#include <Poco/Data/RecordSet.h>
#include <Poco/Dynamic/Var.h>
#include <string>
#include <vector>

namespace TestEnv
{

inline std::vector<std::string> planLines(const Poco::Data::RecordSet& rows, bool mysql)
/// The rows of an EXPLAIN (MySQL: "table=… type=… key=… Extra=…", "NULL"
/// for null) or EXPLAIN QUERY PLAN (SQLite: the detail column), one line
/// a row.
{
	std::vector<std::string> lines;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
	{
		if (!mysql)
		{
			lines.push_back(rows.value("detail", row).convert<std::string>());
			continue;
		}
		std::string line;
		for (const char* column : {"table", "type", "key", "Extra"})
		{
			Poco::Dynamic::Var v = rows.value(column, row);
			line +=
				std::string(line.empty() ? "" : " ") + column + "=" + (v.isEmpty() ? "NULL" : v.convert<std::string>());
		}
		lines.push_back(line);
	}
	return lines;
}

} // namespace TestEnv
