#pragma once

#include "store/SqlDialect.h"
#include <Poco/Data/Session.h>
#include <string>

namespace ExternalContacts
{

class RateCounterStore
/// The fixed-window counters of RateLimiter (ec_rate_counters): one row
/// per bucket and window, so every node of a cluster counts the same
/// hits. Every method works in the session it is given.
{
public:
	explicit RateCounterStore(SqlDialect dialect);

	void prune(Poco::Data::Session& session, Poco::Int64 before);
	/// Deletes the windows that started before `before`.

	bool count(Poco::Data::Session& session, const std::string& bucket, Poco::Int64 windowStart, int limit);
	/// Adds one hit to the bucket's window unless it holds limit hits
	/// already; answers whether the hit was counted. One conditional
	/// UPDATE, so concurrent callers never count past limit.

private:
	SqlDialect _dialect;
};

} // namespace ExternalContacts
