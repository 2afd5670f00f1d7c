#include "store/RateCounterStore.h"

#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

RateCounterStore::RateCounterStore(SqlDialect dialect) : _dialect(dialect) {}

void RateCounterStore::prune(Poco::Data::Session& session, Poco::Int64 before)
{
	session << "DELETE FROM ec_rate_counters WHERE window_start < ?", use(before), now;
}

bool RateCounterStore::count(Poco::Data::Session& session, const std::string& bucket, Poco::Int64 windowStart,
							 int limit)
{
	std::string key = bucket;
	session << std::string(_dialect.insertIgnore()) +
				   " INTO ec_rate_counters (bucket, window_start, hits) VALUES (?, ?, 0)",
		use(key), use(windowStart), now;
	Poco::Data::Statement update(session);
	update << "UPDATE ec_rate_counters SET hits = hits + 1 WHERE bucket = ? AND window_start = ? AND hits < ?",
		use(key), use(windowStart), use(limit);
	return update.execute() == 1;
}

} // namespace ExternalContacts
