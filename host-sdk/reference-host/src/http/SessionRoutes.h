#pragma once

#include "RouteRequest.h"

namespace RefHost
{

class SessionRoutes
/// /api/session (log in, log out) and /api/activation (an external user
/// sets the first password with the link's token): the routes a person
/// without a session uses.
{
public:
	static void login(RouteRequest& request);
	/// POST /api/session {login, password}: the session cookie and /api/me's answer.

	static void current(RouteRequest& request);
	/// GET /api/session: the caller's session {userId, orgId, expiresAt,
	/// idleExpiresAt} — the session check alone, for a client that wants
	/// to know whether it is still signed in (and the benchmark's measure
	/// of what every signed-in request pays); 401 without one.

	static void logout(RouteRequest& request);
	/// DELETE /api/session: ends the session (with its CSRF token) and clears the cookie.

	static void activate(RouteRequest& request);
	/// POST /api/activation {token, password}: 204.

	static void checkActivation(RouteRequest& request);
	/// POST /api/activation/check {token}: whose link it is and until when.
};

} // namespace RefHost
