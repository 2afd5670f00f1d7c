#pragma once

#include "RouteRequest.h"
#include <Poco/JSON/Object.h>

namespace RefHost
{

class MeRoutes
/// /api/me and what hangs off it: the caller, the organization they act
/// in, their own profile, password and contact bindings (R7.3), and the
/// menus they may see (/api/menus).
{
public:
	static Poco::JSON::Object::Ptr json(const RouteRequest& request, const Caller& caller);
	/// The answer of GET /api/me (and of a login): user, org, orgs,
	/// permissions and the session's CSRF token.

	static void me(RouteRequest& request);
	/// GET /api/me.

	static void switchOrg(RouteRequest& request);
	/// POST /api/me/org {orgId}: the session acts in another org of the user.

	static void profile(RouteRequest& request);
	/// PUT /api/me/profile {displayName, title, discoverable}.

	static void password(RouteRequest& request);
	/// POST /api/me/password {currentPassword, newPassword}: 204.

	static void bindContact(RouteRequest& request);
	/// POST /api/me/contact-bindings {channel, value}: a code is sent, 202.

	static void confirmContact(RouteRequest& request);
	/// POST /api/me/contact-bindings/confirm {channel, code}.

	static void menus(RouteRequest& request);
	/// GET /api/menus?location=: the items of a location the caller may see.
};

} // namespace RefHost
