#pragma once

#include "RouteRequest.h"

namespace RefHost
{

class PluginRouteBridge
/// The host's side of a plugin route: finds the registration, applies the
/// host's filters (sign-in, CSRF, external users), translates the request
/// into the C ABI's hostsdk_request_v1 and the plugin's answer back into
/// the response, keeping what the host owns (its session cookie, its
/// security headers, the framing) out of the plugin's reach.
{
public:
	static bool route(RouteRequest& request, const std::string& pluginId, const std::string& subpath, bool publicMount);
	/// A route of pluginId under /api/plugins/<id>/ (or, publicMount, a
	/// public mount of any plugin, pluginId empty): false when no plugin
	/// registered subpath; 405 when it did with another method.

	static void call(RouteRequest& request, const PluginManager::RouteCall& call, const Caller* caller,
					 const std::string& subpath, const std::string& body);
	/// Calls the matched route as caller (null: anonymous) with body and
	/// answers what it wrote: also the way notification actions reach the
	/// plugin that sent them.
};

} // namespace RefHost
