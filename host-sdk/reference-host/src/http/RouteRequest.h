#pragma once

#include "Exchange.h"
#include "HostContext.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace RefHost
{

struct Caller
/// Who sent the request: the session, its user and the membership in the
/// session's organization.
{
	SessionInfo session;
	User user;
	Membership membership;
	std::optional<std::vector<std::string>> permissions;
	/// Granted explicitly in membership.orgId, read with the session;
	/// nullopt when not read (the plugins then ask cb_permission_check).
};

struct RouteRequest
/// One request on its way through the host's router: the exchange, the
/// host's services, what the filters learnt (the caller) and what the
/// pattern captured. The route label and the user id feed metrics and the
/// access log.
{
	RouteRequest(Exchange& exchange, HostContext& context) : ex(exchange), ctx(context) {}

	Exchange& ex;
	HostContext& ctx;
	std::optional<Caller> caller;              ///< set by the sign-in filters
	std::map<std::string, std::string> params; ///< the pattern's {name} captures
	std::string route = "unmatched";           ///< the matched pattern, for metrics and logs
	Poco::Int64 userId = 0;                    ///< the authenticated caller, 0 when anonymous

	const Caller& me() const
	/// The caller, on routes behind the sign-in filter.
	{
		return *caller;
	}

	const std::string& param(const std::string& name) const
	/// A capture of the matched pattern.
	{
		return params.at(name);
	}
};

using RouteHandler = void (*)(RouteRequest& request);
/// A route's handler: answers through request.ex or throws HttpError.

} // namespace RefHost
