#pragma once

#include "store/Database.h"
#include "store/RateCounterStore.h"
#include <functional>
#include <string>

namespace ExternalContacts
{

class RateLimiter
/// Fixed-window limits kept in the database (ec_rate_counters, through
/// RateCounterStore), so they hold across threads and host nodes: a hit is
/// an insert that ignores an existing row, then one conditional UPDATE
/// (hits < limit). Windows older
/// than a day are dropped on the way. Thread-safe.
{
public:
	RateLimiter(Database& database, std::function<Poco::Int64()> nowMs);

	void hit(const std::string& bucket, Poco::Int64 windowMs, int limit, const std::string& code,
			 const std::string& message);
	/// Counts one hit of bucket in the current window; throws
	/// RateLimitedException (code, message, seconds until the window ends)
	/// when the window already holds limit hits.

private:
	Database& _database;
	RateCounterStore _counters;
	std::function<Poco::Int64()> _nowMs;
};

} // namespace ExternalContacts
