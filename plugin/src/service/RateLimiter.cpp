#include "service/RateLimiter.h"

#include "domain/Invitation.h"

namespace ExternalContacts
{

namespace
{

constexpr Poco::Int64 KEEP_MS = 24 * 3600 * 1000LL;

} // namespace

RateLimiter::RateLimiter(Database& database, std::function<Poco::Int64()> nowMs) :
	_database(database), _counters(database.dialect()), _nowMs(std::move(nowMs))
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
			_counters.prune(s, at - KEEP_MS);
			return _counters.count(s, bucket, windowStart, limit);
		});
	if (!counted)
		throw RateLimitedException(code, message, static_cast<int>((windowStart + windowMs - at + 999) / 1000));
}

} // namespace ExternalContacts
