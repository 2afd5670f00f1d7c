#pragma once

#include "RouteRequest.h"
#include <vector>

namespace RefHost
{

class HostRouter
/// Where a request of the reference host goes. In this order:
/// - /api/plugins/<id>/… : a route of that plugin (PluginRouteBridge);
/// - /healthz and /api/… : the first route of the table whose pattern and
///   method match, after its filters; a known path with a method the
///   table does not list for it answers the path's fallback (405 where
///   the table says so, else the prefix rule's filters and 404);
/// - GET or HEAD of the shell's and the plugins' web files (StaticRoutes);
/// - a public mount of a plugin (e.g. /invite/{token});
/// - else 404.
{
public:
	struct Route
	/// One line of the host's route table.
	{
		const char* method;  ///< "GET", "POST", "PUT", "DELETE", or "*" for any method not listed before it
		const char* pattern; ///< "/api/notifications/{id}/read"; also the route's label in metrics and logs
		unsigned filters;    ///< HostFilters bits, run before the handler
		RouteHandler handler;
	};

	static const std::vector<Route>& routes();
	/// The table, in matching order (docs/API.md describes each route).

	static void dispatch(RouteRequest& request);
	/// Routes the request and sets request.route to the matched pattern
	/// (kept "unmatched" for a path the host does not know).

	static std::string patternOf(const std::vector<std::string>& segments);
	/// The pattern of the host route that segments (of a path under /api/
	/// or /healthz) address, whatever the method; "unmatched" when there is
	/// none. Never the ids or tokens in the path.
};

} // namespace RefHost
