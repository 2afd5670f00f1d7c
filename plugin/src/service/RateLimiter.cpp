#include "service/RateLimiter.h"

#include "domain/Invitation.h"
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

namespace
{

constexpr Poco::Int64 KEEP_MS = 24 * 3600 * 1000LL;

} // namespace

RateLimiter::RateLimiter(Database& database, std::function<Poco::Int64()> nowMs) :
	_database(database), _nowMs(std::move(nowMs))
{
}

void RateLimiter::hit(const std::string& bucket, Poco::Int64 windowMs, int limit, const std::string& code,
					  const std::string& message)
{
	Poco::Int64 at = _nowMs(); // not "now": that is POCO's execute-now manipulator
	Poco::Int64 windowStart = at - at % windowMs;
	bool counted = _database.write(
		[&](Poco::Data::Session& s)
		{
			std::string key = bucket;
			Poco::Int64 before = at - KEEP_MS;
			s << "DELETE FROM ec_rate_counters WHERE window_start < ?", use(before), now;
			if (_database.dialect() == Database::Dialect::MySQL)
				s << "INSERT IGNORE INTO ec_rate_counters (bucket, window_start, hits) VALUES (?, ?, 0)", use(key),
					use(windowStart), now;
			else
				s << "INSERT OR IGNORE INTO ec_rate_counters (bucket, window_start, hits) VALUES (?, ?, 0)", use(key),
					use(windowStart), now;
			Poco::Data::Statement update(s);
			update << "UPDATE ec_rate_counters SET hits = hits + 1 WHERE bucket = ? AND window_start = ? AND hits < ?",
				use(key), use(windowStart), use(limit);
			return update.execute() == 1;
		});
	if (!counted)
		throw RateLimitedException(code, message, static_cast<int>((windowStart + windowMs - at + 999) / 1000));
}

} // namespace ExternalContacts
