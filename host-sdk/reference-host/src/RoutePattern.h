#pragma once

#include <string>
#include <vector>

namespace RefHost
{

class RoutePattern
/// The pattern of a host API path, for metrics and logs: what names the
/// route, never the ids or tokens in it ("/api/notifications/{id}/read").
{
public:
	static std::string ofHostPath(const std::vector<std::string>& segments);
	/// The pattern of the host route that segments (of a path under /api/
	/// or /healthz) address, whatever the method; "unmatched" when the
	/// host has no such route. Plugin routes are named by their
	/// registration instead (see HostRequestHandler::handlePluginRoute).

	static const std::vector<std::string>& hostPatterns();
	/// Every host route pattern, {name} segments matching any one segment.
};

} // namespace RefHost
