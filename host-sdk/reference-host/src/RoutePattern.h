#pragma once

#include <map>
#include <string>
#include <vector>

namespace RefHost
{

class RoutePattern
/// The one matcher of route patterns, for the host's routes (HostRouter)
/// and the plugins' (PluginManager::matchRoute): "/api/notifications/{id}/read"
/// split into segments, a {name} segment capturing any one segment.
{
public:
	static bool isCapture(const std::string& segment);
	/// True for "{name}".

	static bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
					  std::map<std::string, std::string>* params = nullptr);
	/// True when segments (of a path) have the pattern's length, its
	/// literals at their places and a non-empty segment at every capture;
	/// with params, the captures by name (only when it matches).

	static bool startsWith(const std::vector<std::string>& prefix, const std::vector<std::string>& segments);
	/// True when segments begin with prefix (literal segments only).
};

} // namespace RefHost
