#include "RoutePattern.h"

#include "PluginManager.h"

namespace RefHost
{

const std::vector<std::string>& RoutePattern::hostPatterns()
{
	// Keep in step with HostRequestHandler::dispatch and docs/API.md.
	static const std::vector<std::string> patterns{
		"/healthz",
		"/api/activation",
		"/api/activation/check",
		"/api/session",
		"/api/me",
		"/api/me/org",
		"/api/me/profile",
		"/api/me/password",
		"/api/me/contact-bindings",
		"/api/me/contact-bindings/confirm",
		"/api/menus",
		"/api/directory/members",
		"/api/notifications",
		"/api/notifications/unread-count",
		"/api/notifications/{id}/read",
		"/api/notifications/{id}/actions/{action}",
		"/api/admin/pages",
		"/api/admin/members",
		"/api/admin/members/{userId}",
		"/api/admin/members/{userId}/removal-preview",
		"/api/admin/members/{userId}/permissions/{permission}",
		"/api/admin/menus",
		"/api/admin/menus/{pluginId}/{menuId}",
		"/api/admin/org-settings",
	};
	return patterns;
}

std::string RoutePattern::ofHostPath(const std::vector<std::string>& segments)
{
	static const std::vector<std::vector<std::string>> split = []
	{
		std::vector<std::vector<std::string>> all;
		for (const std::string& p : hostPatterns())
			all.push_back(PluginManager::splitPath(p));
		return all;
	}();
	for (std::size_t i = 0; i < split.size(); ++i)
	{
		const std::vector<std::string>& pattern = split[i];
		if (pattern.size() != segments.size()) continue;
		bool match = true;
		for (std::size_t j = 0; match && j < pattern.size(); ++j)
			match = pattern[j].front() == '{' ? !segments[j].empty() : pattern[j] == segments[j];
		// A literal wins over a capture at the same place ("unread-count" vs "{id}"):
		// the table lists literals first where both could match.
		if (match) return hostPatterns()[i];
	}
	return "unmatched";
}

} // namespace RefHost
