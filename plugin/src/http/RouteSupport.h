#pragma once

#include "domain/Actor.h"
#include <Poco/JSON/Object.h>
#include <Poco/Types.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

class QueryString;

class RouteSupport
/// What every plugin route reads from a request and how it answers: the
/// caller, the {id} path parameter, the JSON body, ?limit= and ?cursor=,
/// and a JSON answer. One digit rule (QueryString::digits) for all of them.
{
public:
	static Actor actorOf(const HostSdk::Request& request);
	/// The caller as the domain sees them, with the permissions the host
	/// passed (ABI 1.4) when it did and they read as a JSON array of
	/// strings; otherwise without (the services then ask the host).

	static Actor member(const HostSdk::Request& request);
	/// The caller, who must be a member (401 anonymous, 404 external: to
	/// them every contact is missing).

	static Poco::Int64 pathId(const HostSdk::Request& request);
	/// The {id} path parameter of any route (a contact, an invitation, an
	/// application, a request, …): 404 unless 1 to 18 plain digits and
	/// positive.

	static std::optional<Poco::Int64> idOf(const std::string& text);
	/// text as a positive id (1 to 18 plain digits), or nothing.

	static Poco::JSON::Object::Ptr headers(const HostSdk::Request& request);
	/// The request's headers (lower-case names), {} when unreadable.

	static Poco::JSON::Object::Ptr body(const HostSdk::Request& request);
	/// The JSON object body (400/413/415 otherwise).

	static std::size_t limit(const HostSdk::Request& request, std::size_t fallback);
	/// ?limit=: fallback when absent, 0 (refused by the services, naming
	/// "limit") unless 1 to 3 plain digits.

	static std::string cursor(const HostSdk::Request& request);
	/// ?cursor=, "" when absent.

	static std::string remoteAddr(const HostSdk::Request& request);
	/// The caller's address as the host saw it, "" when unknown.

	static void sendJson(const HostSdk::Response& response, int status, const Poco::JSON::Object::Ptr& answer);
	/// Sends answer, not to be cached.

	static void sendJson(const HostSdk::Response& response, int status, const std::string& body);
	/// Sends body (JSON text), not to be cached.
};

} // namespace ExternalContacts
