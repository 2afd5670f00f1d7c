#include "PluginRouteBridge.h"

#include "HostFilters.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSONString.h>
#include <Poco/Logger.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>
#include <algorithm>
#include <sstream>

namespace RefHost
{

namespace
{

// The Cookie header without the cookie called name ("a=1; b=2").
std::string withoutCookie(const std::string& header, const std::string& name)
{
	std::string kept;
	std::size_t start = 0;
	while (start <= header.size())
	{
		std::size_t end = header.find(';', start);
		if (end == std::string::npos) end = header.size();
		std::string pair = Poco::trim(header.substr(start, end - start));
		std::string key = Poco::trim(pair.substr(0, pair.find('=')));
		if (!pair.empty() && key != name) kept += (kept.empty() ? "" : "; ") + pair;
		start = end + 1;
	}
	return kept;
}

struct ResponseCollector
{
	int status = 200;
	std::vector<std::pair<std::string, std::string>> headers;
	std::string body;

	static void setStatus(void* ctx, int status)
	{
		static_cast<ResponseCollector*>(ctx)->status = status;
	}
	static void setHeader(void* ctx, const char* name, const char* value)
	{
		if (name && value) static_cast<ResponseCollector*>(ctx)->headers.emplace_back(name, value);
	}
	static void write(void* ctx, const char* data, size_t len)
	{
		if (data) static_cast<ResponseCollector*>(ctx)->body.append(data, len);
	}
};

} // namespace

bool PluginRouteBridge::route(RouteRequest& request, const std::string& pluginId, const std::string& subpath,
							  bool publicMount)
{
	Exchange& ex = request.ex;
	bool pathExists = false;
	auto call = request.ctx.plugins->matchRoute(pluginId, ex.method(), subpath, publicMount, pathExists);
	if (!call)
	{
		if (pathExists) throw HttpError(405, "method_not_allowed", "method not allowed");
		return false;
	}
	request.route = publicMount ? call->route.pattern : "/api/plugins/" + call->route.pluginId + call->route.pattern;
	if (!(call->route.flags & HOSTSDK_ROUTE_PUBLIC))
	{
		HostFilters::run(HostFilters::SignIn | HostFilters::Csrf, request);
	}
	else
	{
		// A public route learns who is logged in only when the request could
		// not have been forged by another site.
		HostFilters::identify(request);
		if (request.caller && HostFilters::isUnsafe(ex.method()) && !HostFilters::csrfValid(ex, *request.caller))
			request.caller.reset();
	}
	PluginRouteBridge::call(request, *call, request.caller ? &*request.caller : nullptr, subpath, ex.body());
	return true;
}

void PluginRouteBridge::call(RouteRequest& request, const PluginManager::RouteCall& call, const Caller* caller,
							 const std::string& subpath, const std::string& body)
{
	HostFilters::externalGate(request, caller, call.route);
	Poco::JSON::Object params;
	for (const auto& kv : call.params)
		params.set(kv.first, kv.second);
	std::ostringstream paramsJson;
	params.stringify(paramsJson);
	Poco::JSON::Object headers;
	for (const auto& h : request.ex.request())
	{
		std::string name = Poco::toLower(h.first);
		if (name == "authorization") continue; // credentials stay in the host
		// What a client wrote about its origin is never passed on; the host
		// states the scheme a trusted proxy vouched for (below).
		if (name == "x-forwarded-for" || name == "x-forwarded-proto" || name == "x-forwarded-host" ||
			name == "forwarded" || name == "x-real-ip")
			continue;
		if (name == "cookie")
		{
			// The plugin sees its own cookies, never the host's session.
			std::string kept = withoutCookie(h.second, HostFilters::kSessionCookie);
			if (!kept.empty()) headers.set(name, kept);
			continue;
		}
		headers.set(name, h.second);
	}
	if (request.ex.fromTrustedProxy()) headers.set("x-forwarded-proto", request.ex.https() ? "https" : "http");
	std::ostringstream headersJson;
	headers.stringify(headersJson);

	std::string remote = request.ex.clientAddress();
	std::string locale = request.ex.locale();
	hostsdk_caller_v1 c{};
	c.remote_addr = remote.c_str();
	c.locale = locale.c_str();
	c.session_id_hash = "";
	if (caller)
	{
		c.user_id = caller->user.id;
		c.org_id = caller->membership.orgId;
		c.kind = caller->membership.kind == "external" ? HOSTSDK_CALLER_EXTERNAL : HOSTSDK_CALLER_MEMBER;
		c.is_admin = caller->membership.isAdmin ? 1 : 0;
		c.security_level = caller->membership.securityLevel;
		c.session_id_hash = caller->session.idHash.c_str();
	}
	// The caller's permissions as a JSON array (ABI 1.4), when read with the session.
	std::string permissions;
	if (caller && caller->permissions)
	{
		permissions = "[";
		for (const std::string& p : *caller->permissions)
		{
			if (permissions.size() > 1) permissions += ',';
			permissions += Poco::toJSON(p, Poco::JSON_WRAP_STRINGS);
		}
		permissions += "]";
	}
	std::string query = request.ex.query();
	std::string pj = paramsJson.str();
	std::string hj = headersJson.str();
	hostsdk_request_v1 req{};
	req.struct_size = sizeof(req);
	req.method = request.ex.method().c_str();
	req.route = call.route.pattern.c_str();
	req.path = subpath.c_str();
	req.path_params = pj.c_str();
	req.query = query.c_str();
	req.headers = hj.c_str();
	req.body = body.data();
	req.body_len = body.size();
	req.caller = &c;
	req.caller_permissions = permissions.empty() ? nullptr : permissions.c_str();

	ResponseCollector collector;
	hostsdk_response_v1 resp{};
	resp.struct_size = sizeof(resp);
	resp.ctx = &collector;
	resp.set_status = &ResponseCollector::setStatus;
	resp.set_header = &ResponseCollector::setHeader;
	resp.write = &ResponseCollector::write;
	hostsdk_status st = request.ctx.plugins->callRoute(call, req, resp);
	if (st == HOSTSDK_E_UNAVAILABLE && collector.body.empty())
		throw HttpError(503, "unavailable", "the plugin is not available");
	if (st != HOSTSDK_OK && collector.body.empty())
	{
		Poco::Logger::get("http").error("plugin %s route %s %s failed with status %d", call.route.pluginId,
										call.route.method, call.route.pattern, st);
		throw HttpError(500, "internal", "internal error");
	}
	if (collector.status < 200 || collector.status > 599)
	{
		Poco::Logger::get("http").error("plugin %s route %s %s answered invalid status %d", call.route.pluginId,
										call.route.method, call.route.pattern, collector.status);
		throw HttpError(500, "internal", "internal error");
	}
	static const Poco::RegularExpression token("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$");
	static const std::vector<std::string> reserved{
		"content-length",         "transfer-encoding", "connection", "keep-alive", "upgrade",
		"x-content-type-options", "x-frame-options",   "date",       "server"};
	// A plugin may set cookies of its own (e.g. to tie a WeChat authorization
	// to the browser), never one named like the host's (rh_*).
	static const Poco::RegularExpression pluginCookie("^(?!rh_)[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}=.*$");
	std::string contentType;
	for (const auto& h : collector.headers)
	{
		std::string name = Poco::toLower(h.first);
		bool safeValue =
			h.second.size() <= 8192 && h.second.find_first_of(std::string("\r\n\0", 3)) == std::string::npos;
		bool badCookie = name == "set-cookie" && !pluginCookie.match(h.second);
		if (!token.match(h.first) || !safeValue || badCookie ||
			std::find(reserved.begin(), reserved.end(), name) != reserved.end())
		{
			// Plugins cannot split the response or replace what the host owns.
			Poco::Logger::get("http").warning("plugin %s: header %s refused", call.route.pluginId,
											  token.match(h.first) ? h.first : std::string("(malformed)"));
			continue;
		}
		if (name == "content-type")
			contentType = h.second;
		else
			request.ex.response().set(h.first, h.second);
	}
	if (collector.status == 204 || collector.status == 304)
		request.ex.sendEmpty(collector.status);
	else
		request.ex.send(collector.status, contentType.empty() ? "application/json; charset=utf-8" : contentType,
						collector.body);
}

} // namespace RefHost
