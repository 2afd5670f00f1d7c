#pragma once

#include "RouteRequest.h"

namespace RefHost
{

class AdminRoutes
/// The back office's host routes (/api/admin/, behind the Admin filter):
/// the plugins' pages, the main.nav switches (R7.2) and the org's settings.
/// Members are AdminMemberRoutes'.
{
public:
	static void pages(RouteRequest& request);
	/// GET /api/admin/pages: the back-office pages the plugins registered.

	static void menus(RouteRequest& request);
	/// GET /api/admin/menus: every main.nav item with its switches.

	static void setMenu(RouteRequest& request);
	/// PUT /api/admin/menus/{pluginId}/{menuId} {openToExternal, minSecurityLevel}.

	static void orgSettings(RouteRequest& request);
	/// GET and PUT /api/admin/org-settings {defaultSecurityLevel}.
};

class AdminMemberRoutes
/// 成员管理 (back office): who belongs to the org, their named permissions,
/// and removal with a preview and an optional successor (R9).
{
public:
	static void list(RouteRequest& request);
	/// GET /api/admin/members?q=&limit=&cursor=.

	static void setPermission(RouteRequest& request);
	/// PUT (grant) or DELETE (revoke) /api/admin/members/{userId}/permissions/{permission}; idempotent.

	static void previewRemoval(RouteRequest& request);
	/// POST /api/admin/members/{userId}/removal-preview {successorId?}: what the plugins will do.

	static void remove(RouteRequest& request);
	/// DELETE /api/admin/members/{userId} {successorId?}: the member leaves the org.

	static void notAllowed(RouteRequest& request);
	/// A member's path with a method it does not take: 404 for a
	/// malformed {userId}, else 405.
};

} // namespace RefHost
