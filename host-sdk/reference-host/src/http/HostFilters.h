#pragma once

#include "RouteRequest.h"
#include <Poco/Net/HTTPServerResponse.h>

namespace RefHost
{

struct RouteRegistration;

class HostFilters
/// The small checks that run before a host route's handler, in the order
/// of their bits: who is signed in, the CSRF token, the back office, and
/// the host features a route needs. Each throws the HttpError it answers.
{
public:
	enum Filter : unsigned
	{
		None = 0,
		Identify = 1u << 0,   ///< learn the caller from the session cookie, if any
		SignIn = 1u << 1,     ///< 401 unauthenticated without a valid session (implies Identify)
		Csrf = 1u << 2,       ///< unsafe methods of a caller: 403 csrf_failed without the right X-CSRF-Token
		Admin = 1u << 3,      ///< 403 forbidden unless an administrator (kind member) of the org
		Accounts = 1u << 4,   ///< 404 when the host has no external accounts
		Personal = 1u << 5,   ///< 404 when the host has no personal settings (R7.3)
		MenuAccess = 1u << 6, ///< 404 when the host has no back-office menu switches (R7.2)
	};

	static void run(unsigned filters, RouteRequest& request);
	/// Runs the filters named by the bits, in the order above.

	static void securityHeaders(Poco::Net::HTTPServerResponse& response);
	/// nosniff, no framing, same-origin referrers: on every answer.

	static bool isUnsafe(const std::string& method);
	/// Anything but GET, HEAD and OPTIONS.

	static void identify(RouteRequest& request);
	/// request.caller from the session cookie, or nothing.

	static bool csrfValid(Exchange& ex, const Caller& caller);
	/// The X-CSRF-Token header is the session's.

	static void externalGate(RouteRequest& request, const Caller* caller, const RouteRegistration& route);
	/// External users reach only plugin routes opened to them (or public
	/// ones) of a plugin opened to them in their org (R7.2): 404 otherwise,
	/// however the call arrives.

	static const char* const kSessionCookie;
	/// "rh_session".
};

} // namespace RefHost
