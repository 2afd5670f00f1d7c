#include "HostFilters.h"

#include "Secrets.h"

namespace RefHost
{

const char* const HostFilters::kSessionCookie = "rh_session";

namespace
{

// True when one of the plugin's main.nav items is open to this external caller (R7.2).
bool externalMayUse(HostContext& ctx, const Caller& caller, const std::string& pluginId)
{
	std::map<MenuAccess::Key, MenuOverride> overrides;
	if (ctx.menuAccess) overrides = ctx.menuAccess->overrides(caller.membership.orgId);
	for (const MenuRegistration& m : ctx.plugins->menus("main.nav"))
	{
		if (m.pluginId != pluginId) continue;
		auto found = overrides.find({m.pluginId, m.id});
		if (MenuAccess::effective(m.item, found == overrides.end() ? nullptr : &found->second)
				.visibleTo(true, caller.membership.securityLevel))
			return true;
	}
	return false;
}

} // namespace

void HostFilters::securityHeaders(Poco::Net::HTTPServerResponse& response)
{
	response.set("X-Content-Type-Options", "nosniff");
	response.set("X-Frame-Options", "DENY");
	response.set("Referrer-Policy", "same-origin");
}

bool HostFilters::isUnsafe(const std::string& method)
{
	return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

void HostFilters::identify(RouteRequest& request)
{
	request.caller.reset();
	std::string token = request.ex.cookie(kSessionCookie);
	if (token.empty()) return;
	// One statement: the session, its user and its membership.
	std::optional<SessionManager::SignedIn> in = request.ctx.sessions->signedIn(token);
	if (!in) return;
	request.userId = in->session.userId;
	request.caller =
		Caller{std::move(in->session), std::move(in->user), std::move(in->membership), std::move(in->permissions)};
}

bool HostFilters::csrfValid(Exchange& ex, const Caller& caller)
{
	std::string token = ex.request().get("X-CSRF-Token", "");
	return !token.empty() && Secrets::constantTimeEquals(token, caller.session.csrfToken);
}

void HostFilters::run(unsigned filters, RouteRequest& request)
{
	HostContext& ctx = request.ctx;
	if (filters & (Identify | SignIn)) identify(request);
	if ((filters & SignIn) && !request.caller) throw HttpError(401, "unauthenticated", "please log in");
	if ((filters & Csrf) && request.caller && isUnsafe(request.ex.method()) && !csrfValid(request.ex, *request.caller))
		throw HttpError(403, "csrf_failed", "missing or wrong X-CSRF-Token header");
	if ((filters & Admin) &&
		(!request.caller || request.caller->membership.kind != "member" || !request.caller->membership.isAdmin))
		throw HttpError(403, "forbidden", "only administrators of this organization may use the back office");
	if (((filters & Accounts) && !ctx.accounts) || ((filters & Personal) && !ctx.personal) ||
		((filters & MenuAccess) && !ctx.menuAccess))
		throw HttpError(404, "not_found", "not found");
}

void HostFilters::externalGate(RouteRequest& request, const Caller* caller, const RouteRegistration& route)
{
	if (!caller || caller->membership.kind != "external") return;
	if (!(route.flags & (HOSTSDK_ROUTE_EXTERNAL | HOSTSDK_ROUTE_PUBLIC)))
		throw HttpError(404, "not_found", "not found");
	// An external route also needs the plugin opened to external users in the
	// caller's org: one of its main.nav items they may see (R7.2).
	if (!(route.flags & HOSTSDK_ROUTE_PUBLIC) && !externalMayUse(request.ctx, *caller, route.pluginId))
		throw HttpError(404, "not_found", "not found");
}

} // namespace RefHost
