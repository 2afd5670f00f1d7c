#include "HostRouter.h"

#include "AdminRoutes.h"
#include "DirectoryRoutes.h"
#include "HostFilters.h"
#include "MeRoutes.h"
#include "NotificationRoutes.h"
#include "PluginRouteBridge.h"
#include "RoutePattern.h"
#include "RouteSupport.h"
#include "SessionRoutes.h"
#include "StaticRoutes.h"

namespace RefHost
{

namespace
{

using F = HostFilters;

// Signed in; unsafe methods carry the session's CSRF token.
constexpr unsigned kMember = F::SignIn | F::Csrf;
constexpr unsigned kAdmin = kMember | F::Admin;

struct Fallback
/// What a path under prefix that no route of the table takes answers,
/// after the filters: 404.
{
	const char* prefix;
	unsigned filters;
};

const Fallback kFallbacks[] = {
	{"/api/admin", kAdmin},
	{"/api", kMember},
};

void notFound(RouteRequest&)
{
	throw HttpError(404, "not_found", "not found");
}

struct CompiledRoute
{
	const HostRouter::Route* route;
	std::vector<std::string> segments;
};

const std::vector<CompiledRoute>& compiled()
{
	static const std::vector<CompiledRoute> all = []
	{
		std::vector<CompiledRoute> routes;
		for (const HostRouter::Route& r : HostRouter::routes())
			routes.push_back({&r, PluginManager::splitPath(r.pattern)});
		return routes;
	}();
	return all;
}

void run(RouteRequest& request, unsigned filters, RouteHandler handler)
{
	HostFilters::run(filters, request);
	handler(request);
}

} // namespace

const std::vector<HostRouter::Route>& HostRouter::routes()
{
	// Keep in step with docs/API.md. Where a literal and a capture could
	// match the same segment, the literal comes first.
	static const std::vector<Route> table{
		{"*", "/healthz", F::None, &StaticRoutes::health},
		{"POST", "/api/activation", F::Accounts, &SessionRoutes::activate},
		{"*", "/api/activation", F::None, &RouteSupport::notAllowed},
		{"POST", "/api/activation/check", F::Accounts, &SessionRoutes::checkActivation},
		{"*", "/api/activation/check", F::None, &RouteSupport::notAllowed},
		{"POST", "/api/session", F::None, &SessionRoutes::login},
		{"GET", "/api/session", F::SignIn, &SessionRoutes::current},
		{"DELETE", "/api/session", F::Identify | F::Csrf, &SessionRoutes::logout},
		{"*", "/api/session", F::None, &RouteSupport::notAllowed},
		{"GET", "/api/me", kMember, &MeRoutes::me},
		{"POST", "/api/me/org", kMember, &MeRoutes::switchOrg},
		{"PUT", "/api/me/profile", kMember | F::Personal, &MeRoutes::profile},
		{"*", "/api/me/profile", kMember | F::Personal, &RouteSupport::notAllowed},
		{"POST", "/api/me/password", kMember | F::Personal, &MeRoutes::password},
		{"*", "/api/me/password", kMember | F::Personal, &RouteSupport::notAllowed},
		{"POST", "/api/me/contact-bindings", kMember | F::Personal, &MeRoutes::bindContact},
		{"*", "/api/me/contact-bindings", kMember | F::Personal, &RouteSupport::notAllowed},
		{"POST", "/api/me/contact-bindings/confirm", kMember | F::Personal, &MeRoutes::confirmContact},
		{"*", "/api/me/contact-bindings/confirm", kMember | F::Personal, &RouteSupport::notAllowed},
		{"GET", "/api/menus", kMember, &MeRoutes::menus},
		{"GET", "/api/directory/members", kMember, &DirectoryRoutes::members},
		{"GET", "/api/notifications", kMember, &NotificationRoutes::list},
		{"GET", "/api/notifications/unread-count", kMember, &NotificationRoutes::unreadCount},
		{"POST", "/api/notifications/{id}/read", kMember, &NotificationRoutes::markRead},
		{"POST", "/api/notifications/{id}/actions/{action}", kMember, &NotificationRoutes::act},
		{"GET", "/api/admin/pages", kAdmin, &AdminRoutes::pages},
		{"GET", "/api/admin/members", kAdmin, &AdminMemberRoutes::list},
		{"*", "/api/admin/members", kAdmin, &RouteSupport::notAllowed},
		{"DELETE", "/api/admin/members/{userId}", kAdmin, &AdminMemberRoutes::remove},
		{"*", "/api/admin/members/{userId}", kAdmin, &AdminMemberRoutes::notAllowed},
		{"POST", "/api/admin/members/{userId}/removal-preview", kAdmin, &AdminMemberRoutes::previewRemoval},
		{"*", "/api/admin/members/{userId}/removal-preview", kAdmin, &AdminMemberRoutes::notAllowed},
		{"PUT", "/api/admin/members/{userId}/permissions/{permission}", kAdmin, &AdminMemberRoutes::setPermission},
		{"DELETE", "/api/admin/members/{userId}/permissions/{permission}", kAdmin, &AdminMemberRoutes::setPermission},
		{"*", "/api/admin/members/{userId}/permissions/{permission}", kAdmin, &AdminMemberRoutes::notAllowed},
		{"GET", "/api/admin/menus", kAdmin | F::MenuAccess, &AdminRoutes::menus},
		{"*", "/api/admin/menus", kAdmin | F::MenuAccess, &RouteSupport::notAllowed},
		{"PUT", "/api/admin/menus/{pluginId}/{menuId}", kAdmin | F::MenuAccess, &AdminRoutes::setMenu},
		{"*", "/api/admin/menus/{pluginId}/{menuId}", kAdmin | F::MenuAccess, &RouteSupport::notAllowed},
		{"GET", "/api/admin/org-settings", kAdmin, &AdminRoutes::orgSettings},
		{"PUT", "/api/admin/org-settings", kAdmin, &AdminRoutes::orgSettings},
	};
	return table;
}

std::string HostRouter::patternOf(const std::vector<std::string>& segments)
{
	for (const CompiledRoute& c : compiled())
		if (RoutePattern::match(c.segments, segments)) return c.route->pattern;
	return "unmatched";
}

void HostRouter::dispatch(RouteRequest& request)
{
	const std::string& path = request.ex.path();
	const std::string& method = request.ex.method();
	std::vector<std::string> segs = PluginManager::splitPath(path);
	bool api = !segs.empty() && segs[0] == "api";
	if (api && segs.size() >= 3 && segs[1] == "plugins")
	{
		std::string subpath = path.substr(std::string("/api/plugins/" + segs[2]).size());
		if (!PluginRouteBridge::route(request, segs[2], subpath.empty() ? "/" : subpath, false)) notFound(request);
		return;
	}
	if (api || path == "/healthz")
	{
		bool known = false;
		for (const CompiledRoute& c : compiled())
		{
			std::map<std::string, std::string> params;
			if (!RoutePattern::match(c.segments, segs, &params)) continue;
			if (!known) request.route = c.route->pattern;
			known = true;
			if (c.route->method[0] != '*' && method != c.route->method) continue;
			request.params = std::move(params);
			return run(request, c.route->filters, c.route->handler);
		}
		for (const Fallback& f : kFallbacks)
			if (RoutePattern::startsWith(PluginManager::splitPath(f.prefix), segs))
				return run(request, f.filters, &notFound);
	}
	if (StaticRoutes::file(request)) return;
	// Public mounts of plugins (e.g. invitation landing pages).
	if (PluginRouteBridge::route(request, "", path, true)) return;
	notFound(request);
}

} // namespace RefHost
