#include "HostRequestHandler.h"

#include "RequestReadDeadline.h"
#include "RoutePattern.h"
#include "Secrets.h"
#include "hostsdk/Error.h"
#include <Poco/Data/DataException.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NetException.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/RegularExpression.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Timestamp.h>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace RefHost
{

namespace
{

const char* const kSessionCookie = "rh_session";

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

bool isUnsafe(const std::string& method)
{
	return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

Poco::Int64 parseId(const std::string& text, const std::string& field)
{
	Poco::Int64 id = 0;
	if (!Poco::NumberParser::tryParse64(text, id) || id <= 0) throw HttpError(404, "not_found", "no such " + field);
	return id;
}

int parseLimit(const std::string& text)
{
	if (text.empty()) return 50;
	int limit = 0;
	if (!Poco::NumberParser::tryParse(text, limit) || limit < 1 || limit > 100)
		throw HttpError(400, "validation_failed", "limit must be an integer 1..100", "limit");
	return limit;
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

// At most max bytes of UTF-8 text, never ending inside a character.
std::string utf8Prefix(const std::string& text, std::size_t max)
{
	if (text.size() <= max) return text;
	std::size_t end = max;
	while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
		--end;
	return text.substr(0, end);
}

std::string contentTypeFor(const std::string& path)
{
	std::string ext = Poco::toLower(Poco::Path(path).getExtension());
	if (ext == "html") return "text/html; charset=utf-8";
	if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
	if (ext == "css") return "text/css; charset=utf-8";
	if (ext == "json") return "application/json; charset=utf-8";
	if (ext == "svg") return "image/svg+xml";
	if (ext == "png") return "image/png";
	if (ext == "ico") return "image/x-icon";
	if (ext == "woff2") return "font/woff2";
	return "application/octet-stream";
}

} // namespace

HostRequestHandler::HostRequestHandler(HostContext& context) : _ctx(context) {}

void HostRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
	response.set("X-Content-Type-Options", "nosniff");
	response.set("X-Frame-Options", "DENY");
	response.set("Referrer-Policy", "same-origin");
	Poco::Timestamp started;
	// The head is read: the handler's time does not count against the client's read bound.
	// finish() when this returns or throws: nothing carries over to the next request.
	ReadDeadlineSocketImpl* deadline = ReadDeadlineSocketImpl::of(request);
	RequestReadScope readScope(deadline);
	std::string requestId = nextRequestId();
	response.set("X-Request-Id", requestId);
	std::unique_ptr<Exchange> ex;
	try
	{
		ex = std::make_unique<Exchange>(request, response, _ctx.trustedProxies);
		dispatch(*ex);
		if (!ex->sent()) throw HttpError(404, "not_found", "not found");
	}
	catch (const HttpError& e)
	{
		if (ex && !ex->sent())
			ex->sendError(e);
		else if (!ex)
		{
			response.setKeepAlive(false); // the request was not read to its end
			response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(e.status));
			response.setContentType("application/json; charset=utf-8");
			Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
			error->set("code", e.code);
			error->set("message", "malformed request");
			if (!e.field.empty()) error->set("field", e.field);
			Poco::JSON::Object root;
			root.set("error", error);
			root.stringify(response.send());
		}
	}
	catch (const Poco::Net::NetException& e)
	{
		// The client went away; there is nobody left to answer.
		Poco::Logger::get("http").debug("network error: " + e.displayText());
	}
	catch (const Poco::Data::SessionPoolExhaustedException& e)
	{
		Poco::Logger::get("http").warning("database busy on %s %s: %s", request.getMethod(), _route, e.displayText());
		if (ex && !ex->sent())
		{
			ex->response().set("Retry-After", "1");
			ex->sendError(HttpError(503, "unavailable", "the service is busy; try again"));
		}
	}
	catch (const Poco::Data::DataException& e)
	{
		// Database down or connection lost (Database::isUnavailable) and every
		// other database failure alike: 503, never a detail of the server.
		// POCO's messages name the statement and the server's error, never
		// the connection string's password.
		Poco::Logger::get("http").error("database %s on %s %s: %s",
										std::string(Database::isUnavailable(e) ? "unavailable" : "error"),
										request.getMethod(), _route, e.displayText());
		if (ex && !ex->sent())
		{
			if (Database::isUnavailable(e) || Database::isContention(e)) ex->response().set("Retry-After", "1");
			ex->sendError(HttpError(503, "unavailable", "the database is not available"));
		}
	}
	catch (const std::exception& e)
	{
		Poco::Logger::get("http").error("internal error on %s %s: %s", request.getMethod(), _route,
										std::string(e.what()));
		if (ex && !ex->sent()) ex->sendError(HttpError(500, "internal", "internal error"));
	}
	recordRequest(request, response, requestId, started.elapsed());
}

std::string HostRequestHandler::nextRequestId()
{
	// A random prefix per process (nodes differ) and a counter: unique, and
	// cheaper per request than drawing random bytes.
	static const std::string prefix = []
	{
		uint8_t bytes[4];
		Secrets::randomBytes(bytes, sizeof bytes);
		char hex[9];
		std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3]);
		return std::string(hex);
	}();
	static std::atomic<Poco::UInt64> counter{0};
	return prefix + "-" + std::to_string(counter.fetch_add(1, std::memory_order_relaxed) + 1);
}

void HostRequestHandler::recordRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
									   const std::string& requestId, Poco::Int64 elapsedMicroseconds)
{
	int status = static_cast<int>(response.getStatus());
	if (_ctx.metrics) _ctx.metrics->requestDone(_route, request.getMethod(), status, elapsedMicroseconds / 1e6);
	// Logger::get locks the registry; loggers live until exit, so look it up once.
	static Poco::Logger& access = Poco::Logger::get("http.access");
	Poco::Message::Priority priority = _ctx.accessLog ? Poco::Message::PRIO_INFORMATION : Poco::Message::PRIO_DEBUG;
	if (access.getLevel() < priority) return;
	std::string method = Metrics::normalizeMethod(request.getMethod());
	char duration[32];
	std::snprintf(duration, sizeof duration, "%.3f", elapsedMicroseconds / 1000.0);
	// The route pattern only: a raw path may hold an invitation or activation token.
	Poco::Message msg("http.access", method + " " + _route + " " + std::to_string(status) + " " + duration + " ms",
					  priority);
	msg.set("requestId", requestId);
	msg.set("route", _route);
	msg.set("method", method);
	msg.set("status", std::to_string(status));
	msg.set("durationMs", duration);
	msg.set("userId", std::to_string(_userId));
	access.log(msg);
}

void HostRequestHandler::dispatch(Exchange& ex)
{
	const std::string& path = ex.path();
	const std::string& method = ex.method();
	std::vector<std::string> segs = PluginManager::splitPath(path);

	if (path == "/healthz")
	{
		_route = "/healthz";
		bool db = _ctx.db->ping();
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("status", db ? "ok" : "degraded");
		o->set("db", db ? "ok" : "down");
		if (!db)
		{
			// The error shape of every other 503, beside the health fields.
			Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
			error->set("code", "unavailable");
			error->set("message", "the database is not available");
			o->set("error", error);
		}
		ex.sendJson(db ? 200 : 503, o);
		return;
	}
	if (segs.empty() || segs[0] != "api")
	{
		if (handleStatic(ex))
		{
			_route = "static";
			return;
		}
		// Public mounts of plugins (e.g. invitation landing pages).
		if (handlePluginRoute(ex, "", path, true)) return;
		throw HttpError(404, "not_found", "not found");
	}
	if (segs.size() >= 3 && segs[1] == "plugins")
	{
		std::string prefix = "/api/plugins/" + segs[2];
		std::string subpath = path.substr(prefix.size());
		if (!handlePluginRoute(ex, segs[2], subpath.empty() ? "/" : subpath, false))
			throw HttpError(404, "not_found", "not found");
		return;
	}
	_route = RoutePattern::ofHostPath(segs);
	if (segs.size() >= 2 && segs.size() <= 3 && segs[1] == "activation")
	{
		if (method != "POST") throw HttpError(405, "method_not_allowed", "method not allowed");
		if (segs.size() == 3 && segs[2] != "check") throw HttpError(404, "not_found", "not found");
		return handleActivation(ex, segs.size() == 3);
	}
	if (segs.size() == 2 && segs[1] == "session")
	{
		if (method == "POST") return handleLogin(ex);
		if (method == "DELETE") return handleLogout(ex);
		throw HttpError(405, "method_not_allowed", "method not allowed");
	}
	Caller caller = requireCaller(ex, isUnsafe(method));
	if (segs.size() == 2 && segs[1] == "me" && method == "GET") return handleMe(ex, caller);
	if (segs.size() == 3 && segs[1] == "me" && segs[2] == "org" && method == "POST") return handleSwitchOrg(ex, caller);
	if (segs.size() >= 3 && segs[1] == "me" && segs[2] != "org") return handlePersonal(ex, caller, segs);
	if (segs.size() == 2 && segs[1] == "menus" && method == "GET") return handleMenus(ex, caller);
	if (segs.size() == 3 && segs[1] == "directory" && segs[2] == "members" && method == "GET")
		return handleDirectoryMembers(ex, caller);
	if (segs.size() >= 2 && segs[1] == "notifications") return handleNotifications(ex, caller, segs);
	if (segs.size() >= 2 && segs[1] == "admin") return handleAdmin(ex, caller, segs);
	throw HttpError(404, "not_found", "not found");
}

std::optional<HostRequestHandler::Caller> HostRequestHandler::authenticate(Exchange& ex)
{
	std::string token = ex.cookie(kSessionCookie);
	if (token.empty()) return std::nullopt;
	std::optional<SessionInfo> s = _ctx.sessions->authenticate(token);
	if (!s) return std::nullopt;
	std::optional<User> u = _ctx.directory->userById(s->userId);
	std::optional<Membership> m = _ctx.directory->membership(s->orgId, s->userId);
	if (!u || !m) return std::nullopt;
	_userId = s->userId;
	return Caller{*s, *u, *m};
}

HostRequestHandler::Caller HostRequestHandler::requireCaller(Exchange& ex, bool unsafe)
{
	std::optional<Caller> caller = authenticate(ex);
	if (!caller) throw HttpError(401, "unauthenticated", "please log in");
	if (unsafe) checkCsrf(ex, *caller);
	return *caller;
}

void HostRequestHandler::checkCsrf(Exchange& ex, const Caller& caller)
{
	std::string token = ex.request().get("X-CSRF-Token", "");
	if (token.empty() || !Secrets::constantTimeEquals(token, caller.session.csrfToken))
		throw HttpError(403, "csrf_failed", "missing or wrong X-CSRF-Token header");
}

void HostRequestHandler::handleActivation(Exchange& ex, bool checkOnly)
{
	// Public: the person has no password yet. The token (256 bits) is the
	// credential; the body must be JSON, so no plain HTML form can post here.
	if (!_ctx.accounts) throw HttpError(404, "not_found", "not found");
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	for (const auto& key : body->getNames())
		if (key != "token" && (checkOnly || key != "password"))
			throw HttpError(400, "unknown_field", "unknown field " + key, key);
	if (!body->has("token") || !body->get("token").isString())
		throw HttpError(400, "validation_failed", "token is required", "token");
	std::string token = body->getValue<std::string>("token");
	try
	{
		if (checkOnly)
		{
			ExternalAccounts::Pending pending = _ctx.accounts->check(token);
			Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
			root->set("login", pending.login);
			root->set("displayName", pending.displayName);
			root->set("expiresAt", pending.expiresAt);
			root->set("minLength", static_cast<int>(PasswordPolicy::MIN_CHARS));
			ex.sendJson(200, root);
			return;
		}
		if (!body->has("password") || !body->get("password").isString())
			throw HttpError(400, "validation_failed", "password is required", "password");
		_ctx.accounts->activate(token, body->getValue<std::string>("password"));
		ex.sendEmpty(204);
	}
	catch (const ActivationLinkException&)
	{
		throw HttpError(404, "activation_link_invalid", "this activation link is not valid", "token");
	}
	catch (const ActivationExpiredException&)
	{
		throw HttpError(410, "activation_link_expired",
						"this activation link was used, replaced or has expired; ask for a new one", "token");
	}
	catch (const PasswordRejectedException& e)
	{
		throw HttpError(400, "password_" + e.code, e.what(), "password");
	}
}

void HostRequestHandler::handleLogin(Exchange& ex)
{
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	for (const char* field : {"login", "password"})
	{
		if (!body->has(field) || !body->get(field).isString() || body->getValue<std::string>(field).empty())
			throw HttpError(400, "validation_failed", std::string(field) + " is required", field);
	}
	std::string login = body->getValue<std::string>("login");
	std::string password = body->getValue<std::string>("password");
	if (login.size() > 64 || password.size() > 1024)
		throw HttpError(401, "invalid_credentials", "wrong login or password");
	std::optional<SessionManager::LoginResult> result;
	try
	{
		result = _ctx.sessions->login(login, password, ex.clientAddress());
	}
	catch (const LoginThrottledException& e)
	{
		HttpError err(429, "too_many_requests", "too many failed logins; try again later");
		err.retryAfter = e.retryAfterSeconds();
		throw err;
	}
	if (!result) throw HttpError(401, "invalid_credentials", "wrong login or password");
	// A leftover session of this browser ends with the new login (new id).
	std::string previous = ex.cookie(kSessionCookie);
	if (!previous.empty()) _ctx.sessions->logout(previous);
	Poco::Net::HTTPCookie cookie(kSessionCookie, result->token);
	cookie.setPath("/");
	cookie.setHttpOnly(true);
	cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
	cookie.setSecure(_ctx.secureCookies || ex.https());
	ex.response().addCookie(cookie);
	Caller caller{result->session, *_ctx.directory->userById(result->session.userId),
				  *_ctx.directory->membership(result->session.orgId, result->session.userId)};
	ex.sendJson(200, meJson(caller, ex.locale()));
}

void HostRequestHandler::handleLogout(Exchange& ex)
{
	std::optional<Caller> caller = authenticate(ex);
	if (caller)
	{
		checkCsrf(ex, *caller);
		_ctx.sessions->logout(ex.cookie(kSessionCookie));
	}
	Poco::Net::HTTPCookie cookie(kSessionCookie, "");
	cookie.setPath("/");
	cookie.setHttpOnly(true);
	cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
	cookie.setMaxAge(0);
	cookie.setSecure(_ctx.secureCookies || ex.https());
	ex.response().addCookie(cookie);
	ex.sendEmpty(204);
}

Poco::JSON::Object::Ptr HostRequestHandler::meJson(const Caller& caller, const std::string& locale)
{
	Poco::JSON::Object::Ptr user = new Poco::JSON::Object;
	user->set("id", caller.user.id);
	user->set("login", caller.user.login);
	user->set("displayName", caller.user.displayName);
	user->set("title", caller.user.title);
	user->set("email", caller.user.email);
	user->set("mobile", caller.user.mobile);
	user->set("discoverable", caller.user.discoverable);
	user->set("locale", locale);
	Poco::JSON::Object::Ptr org = new Poco::JSON::Object;
	org->set("id", caller.membership.orgId);
	org->set("name", caller.membership.orgName);
	org->set("kind", caller.membership.kind);
	org->set("isAdmin", caller.membership.isAdmin);
	org->set("securityLevel", caller.membership.securityLevel);
	Poco::JSON::Array::Ptr orgs = new Poco::JSON::Array;
	for (const Membership& m : _ctx.directory->membershipsOfUser(caller.user.id))
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("id", m.orgId);
		o->set("name", m.orgName);
		o->set("kind", m.kind);
		orgs->add(o);
	}
	Poco::JSON::Array::Ptr perms = new Poco::JSON::Array;
	if (caller.membership.kind == "member")
		for (const std::string& p : _ctx.directory->permissionsOf(caller.user.id, caller.membership.orgId))
			perms->add(p);
	Poco::JSON::Object::Ptr me = new Poco::JSON::Object;
	me->set("user", user);
	me->set("org", org);
	me->set("orgs", orgs);
	me->set("permissions", perms);
	me->set("csrfToken", caller.session.csrfToken);
	return me;
}

void HostRequestHandler::handleMe(Exchange& ex, const Caller& caller)
{
	ex.sendJson(200, meJson(caller, ex.locale()));
}

void HostRequestHandler::handleSwitchOrg(Exchange& ex, Caller caller)
{
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	Poco::Int64 orgId = 0;
	if (!body->has("orgId") || !body->get("orgId").isInteger() || (orgId = body->getValue<Poco::Int64>("orgId")) <= 0)
		throw HttpError(400, "validation_failed", "orgId must be a positive integer", "orgId");
	if (!_ctx.sessions->switchOrg(caller.session.idHash, caller.user.id, orgId))
		throw HttpError(404, "not_found", "no such organization");
	caller.session.orgId = orgId;
	caller.membership = *_ctx.directory->membership(orgId, caller.user.id);
	ex.sendJson(200, meJson(caller, ex.locale()));
}

void HostRequestHandler::handlePersonal(Exchange& ex, Caller caller, const std::vector<std::string>& segs)
{
	// R7.3: every logged-in user, members and external users alike.
	if (!_ctx.personal) throw HttpError(404, "not_found", "not found");
	const std::string& method = ex.method();
	enum class Op
	{
		Profile,
		Password,
		Bind,
		Confirm
	} op;
	std::string wanted = "POST";
	if (segs.size() == 3 && segs[2] == "profile")
		op = Op::Profile, wanted = "PUT";
	else if (segs.size() == 3 && segs[2] == "password")
		op = Op::Password;
	else if (segs.size() == 3 && segs[2] == "contact-bindings")
		op = Op::Bind;
	else if (segs.size() == 4 && segs[2] == "contact-bindings" && segs[3] == "confirm")
		op = Op::Confirm;
	else
		throw HttpError(404, "not_found", "not found");
	if (method != wanted) throw HttpError(405, "method_not_allowed", "method not allowed");
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	std::vector<std::string> fields;
	switch (op)
	{
	case Op::Profile:
		fields = {"displayName", "title", "discoverable"};
		break;
	case Op::Password:
		fields = {"currentPassword", "newPassword"};
		break;
	case Op::Bind:
		fields = {"channel", "value"};
		break;
	case Op::Confirm:
		fields = {"channel", "code"};
		break;
	}
	for (const auto& key : body->getNames())
		if (std::find(fields.begin(), fields.end(), key) == fields.end())
			throw HttpError(400, "unknown_field", "unknown field " + key, key);
	auto text = [&](const std::string& field, bool required)
	{
		if (!body->has(field) || body->isNull(field))
		{
			if (required) throw HttpError(400, "validation_failed", field + " is required", field);
			return std::string();
		}
		if (!body->get(field).isString()) throw HttpError(400, "validation_failed", field + " must be a string", field);
		std::string v = body->getValue<std::string>(field);
		if (v.size() > 4096) throw HttpError(400, "validation_failed", field + " is too long", field);
		return v;
	};
	try
	{
		switch (op)
		{
		case Op::Profile:
		{
			std::optional<bool> discoverable;
			if (body->has("discoverable"))
			{
				if (!body->get("discoverable").isBoolean())
					throw HttpError(400, "validation_failed", "discoverable must be true or false", "discoverable");
				discoverable = body->getValue<bool>("discoverable");
			}
			_ctx.personal->updateProfile(caller.user.id, text("displayName", true), text("title", false), discoverable);
			break;
		}
		case Op::Password:
		{
			std::string current = text("currentPassword", true);
			std::string next = text("newPassword", true);
			_ctx.personal->changePassword(caller.user.id, caller.session.idHash, current, next);
			ex.sendEmpty(204);
			return;
		}
		case Op::Bind:
		{
			std::string channel = text("channel", true);
			_ctx.personal->requestBinding(caller.user.id, channel, Poco::trim(text("value", true)));
			ex.sendEmpty(202);
			return;
		}
		case Op::Confirm:
		{
			std::string channel = text("channel", true);
			_ctx.personal->confirmBinding(caller.user.id, channel, Poco::trim(text("code", true)));
			break;
		}
		}
	}
	catch (const PersonalSettingsError& e)
	{
		if (e.attemptsLeft < 0)
		{
			HttpError err(e.status, e.code, e.what(), e.field);
			err.retryAfter = e.retryAfter;
			throw err;
		}
		Poco::JSON::Object::Ptr err = new Poco::JSON::Object;
		err->set("code", e.code);
		err->set("message", std::string(e.what()));
		err->set("field", e.field);
		err->set("attemptsLeft", e.attemptsLeft);
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("error", err);
		ex.sendJson(e.status, root);
		return;
	}
	std::optional<User> user = _ctx.directory->userById(caller.user.id);
	if (user)
	{
		caller.user = *user;
		// Plugins that keep a copy of the profile (e.g. a contact linked to
		// this account) follow it.
		Poco::JSON::Object payload;
		payload.set("userId", user->id);
		payload.set("displayName", user->displayName);
		payload.set("title", user->title);
		payload.set("email", user->email);
		payload.set("mobile", user->mobile);
		std::ostringstream s;
		payload.stringify(s);
		_ctx.plugins->fireHook(HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED, s.str());
	}
	ex.sendJson(200, meJson(caller, ex.locale()));
}

std::string HostRequestHandler::localized(const Poco::Dynamic::Var& labels, const std::string& locale)
{
	if (labels.type() != typeid(Poco::JSON::Object::Ptr)) return labels.isEmpty() ? "" : labels.toString();
	Poco::JSON::Object::Ptr o = labels.extract<Poco::JSON::Object::Ptr>();
	if (o->has(locale)) return o->getValue<std::string>(locale);
	return o->optValue<std::string>("zh-CN", "");
}

void HostRequestHandler::handleDirectoryMembers(Exchange& ex, const Caller& caller)
{
	// The org's members (kind member) by id, or those whose name or login
	// contains q. External users see only whom the plugins let them see
	// (hook 1, directory.will_list_members); without such a plugin, nobody.
	int limit = parseLimit(ex.queryParam("limit"));
	std::string q = ex.queryParam("q");
	Poco::Int64 after = 0;
	std::string cursor = ex.queryParam("cursor");
	if (!cursor.empty() && (!Poco::NumberParser::tryParse64(cursor, after) || after <= 0))
		throw HttpError(400, "validation_failed", "invalid cursor", "cursor");
	Poco::Int64 orgId = caller.membership.orgId;
	Directory::MemberPage page;
	try
	{
		page = q.empty() ? _ctx.directory->membersOfOrg(orgId, after, limit)
						 : _ctx.directory->searchMembers(orgId, q, after, limit);
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw HttpError(400, "validation_failed", e.message(), "q");
	}
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const auto& [m, u] : page.items)
	{
		if (m.kind != "member") continue;
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("id", u.id);
		o->set("displayName", u.displayName);
		o->set("login", u.login);
		o->set("title", u.title);
		items->add(o);
	}
	if (caller.membership.kind == "external")
	{
		Poco::JSON::Object payload;
		payload.set("orgId", orgId);
		payload.set("userId", caller.user.id);
		payload.set("items", items);
		std::ostringstream s;
		payload.stringify(s);
		std::string out;
		Poco::JSON::Array::Ptr allowed = new Poco::JSON::Array;
		if (_ctx.plugins->hasHooks(HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS) &&
			_ctx.plugins->runWillHook(HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS, s.str(), out) == HOSTSDK_OK)
		{
			// Only entries of the original list survive, whatever a plugin wrote.
			std::set<Poco::Int64> offered;
			for (std::size_t i = 0; i < items->size(); ++i)
				offered.insert(items->getObject(static_cast<unsigned>(i))->getValue<Poco::Int64>("id"));
			std::set<Poco::Int64> kept;
			try
			{
				Poco::JSON::Parser parser;
				Poco::JSON::Array::Ptr filtered =
					parser.parse(out).extract<Poco::JSON::Object::Ptr>()->getArray("items");
				for (std::size_t i = 0; filtered && i < filtered->size(); ++i)
				{
					Poco::JSON::Object::Ptr entry = filtered->getObject(static_cast<unsigned>(i));
					if (entry && entry->has("id")) kept.insert(entry->getValue<Poco::Int64>("id"));
				}
			}
			catch (const Poco::Exception&)
			{
				kept.clear(); // an unreadable answer hides everyone
			}
			for (std::size_t i = 0; i < items->size(); ++i)
			{
				Poco::JSON::Object::Ptr entry = items->getObject(static_cast<unsigned>(i));
				Poco::Int64 id = entry->getValue<Poco::Int64>("id");
				if (offered.count(id) && kept.count(id)) allowed->add(entry);
			}
		}
		items = allowed;
	}
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	root->set("nextCursor",
			  page.nextAfterId ? Poco::Dynamic::Var(std::to_string(page.nextAfterId)) : Poco::Dynamic::Var());
	ex.sendJson(200, root);
}

void HostRequestHandler::handleMenus(Exchange& ex, const Caller& caller)
{
	std::string location = ex.queryParam("location");
	if (location.empty()) throw HttpError(400, "validation_failed", "location is required", "location");
	std::string locale = ex.locale();
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	bool external = caller.membership.kind == "external";
	// The back office's switches (R7.2) win over what the plugin registered.
	std::map<MenuAccess::Key, MenuOverride> overrides;
	if (_ctx.menuAccess) overrides = _ctx.menuAccess->overrides(caller.membership.orgId);
	for (const MenuRegistration& m : _ctx.plugins->menus(location))
	{
		const Poco::JSON::Object::Ptr& reg = m.item;
		auto found = overrides.find({m.pluginId, m.id});
		MenuEffective effective = MenuAccess::effective(reg, found == overrides.end() ? nullptr : &found->second);
		if (!effective.visibleTo(external, caller.membership.securityLevel)) continue;
		std::string permission = reg->optValue<std::string>("permission", "");
		if (!permission.empty() && !_ctx.directory->hasPermission(caller.user.id, caller.membership.orgId, permission))
			continue;
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("id", m.id);
		o->set("pluginId", m.pluginId);
		o->set("label", localized(reg->get("label"), locale));
		o->set("order", m.order);
		o->set("target", reg->optValue<std::string>("target", ""));
		o->set("module", reg->optValue<std::string>("module", ""));
		o->set("available", reg->optValue<bool>("available", true));
		items->add(o);
	}
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	ex.sendJson(200, root);
}

void HostRequestHandler::handleNotifications(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs)
{
	const std::string& method = ex.method();
	if (segs.size() == 2 && method == "GET")
	{
		int limit = parseLimit(ex.queryParam("limit"));
		std::string cursor = ex.queryParam("cursor");
		Poco::Int64 before = 0;
		if (!cursor.empty() && (!Poco::NumberParser::tryParse64(cursor, before) || before <= 0))
			throw HttpError(400, "validation_failed", "invalid cursor", "cursor");
		NotificationCenter::Page page = _ctx.notifications->list(caller.user.id, before, limit);
		std::string locale = ex.locale();
		Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
		Poco::JSON::Parser parser;
		for (const Notification& n : page.items)
		{
			Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
			o->set("id", n.id);
			o->set("orgId", n.orgId);
			o->set("type", n.type);
			o->set("title", localized(parser.parse(n.titleJson), locale));
			parser.reset();
			o->set("body", localized(parser.parse(n.bodyJson), locale));
			parser.reset();
			Poco::JSON::Array::Ptr actions = new Poco::JSON::Array;
			Poco::JSON::Array::Ptr stored = parser.parse(n.actionsJson).extract<Poco::JSON::Array::Ptr>();
			parser.reset();
			for (std::size_t i = 0; stored && i < stored->size(); ++i)
			{
				Poco::JSON::Object::Ptr a = stored->getObject(static_cast<unsigned>(i));
				Poco::JSON::Object::Ptr action = new Poco::JSON::Object;
				action->set("id", a->getValue<std::string>("id"));
				action->set("label", localized(a->get("label"), locale));
				actions->add(action);
			}
			o->set("actions", actions);
			o->set("state", n.state);
			if (!n.outcomeJson.empty())
			{
				o->set("outcome", parser.parse(n.outcomeJson));
				parser.reset();
			}
			o->set("createdAt", n.createdAt);
			items->add(o);
		}
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("items", items);
		root->set("nextCursor",
				  page.nextBeforeId ? Poco::Dynamic::Var(std::to_string(page.nextBeforeId)) : Poco::Dynamic::Var());
		root->set("unread", _ctx.notifications->unreadCount(caller.user.id));
		ex.sendJson(200, root);
		return;
	}
	if (segs.size() == 3 && segs[2] == "unread-count" && method == "GET")
	{
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("count", _ctx.notifications->unreadCount(caller.user.id));
		ex.sendJson(200, root);
		return;
	}
	if (segs.size() == 4 && segs[3] == "read" && method == "POST")
	{
		if (!_ctx.notifications->markRead(parseId(segs[2], "notification"), caller.user.id))
			throw HttpError(404, "not_found", "no such notification");
		ex.sendEmpty(204);
		return;
	}
	if (segs.size() == 5 && segs[3] == "actions" && method == "POST")
	{
		std::optional<Notification> n = _ctx.notifications->get(parseId(segs[2], "notification"), caller.user.id);
		if (!n) throw HttpError(404, "not_found", "no such notification");
		Poco::JSON::Parser parser;
		Poco::JSON::Array::Ptr actions = parser.parse(n->actionsJson).extract<Poco::JSON::Array::Ptr>();
		Poco::JSON::Object::Ptr action;
		for (std::size_t i = 0; actions && i < actions->size(); ++i)
			if (actions->getObject(static_cast<unsigned>(i))->getValue<std::string>("id") == segs[4])
				action = actions->getObject(static_cast<unsigned>(i));
		if (!action) throw HttpError(404, "not_found", "no such action");
		if (n->state == "handled") throw HttpError(409, "conflict", "this notification has already been handled");
		Caller actor = caller;
		if (n->orgId != 0 && n->orgId != caller.membership.orgId)
		{
			// Act in the org the notification belongs to, as long as the user still belongs to it.
			std::optional<Membership> m = _ctx.directory->membership(n->orgId, caller.user.id);
			if (!m) throw HttpError(404, "not_found", "no such notification");
			actor.membership = *m;
		}
		std::string method = action->optValue<std::string>("method", "POST");
		std::string path = action->getValue<std::string>("path");
		std::string body = ex.body();
		if (body.empty() && action->has("body"))
		{
			std::ostringstream s;
			Poco::JSON::Stringifier::stringify(action->get("body"), s);
			body = s.str();
		}
		bool exists = false;
		auto call = _ctx.plugins->matchRoute(n->pluginId, method, path, false, exists);
		if (!call) throw HttpError(404, "not_found", "the action's target is not available");
		_ctx.notifications->markRead(n->id, caller.user.id);
		callPlugin(ex, *call, actor, path, body);
		return;
	}
	throw HttpError(404, "not_found", "not found");
}

void HostRequestHandler::handleAdmin(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs)
{
	if (caller.membership.kind != "member" || !caller.membership.isAdmin)
		throw HttpError(403, "forbidden", "only administrators of this organization may use the back office");
	const std::string& method = ex.method();
	std::string locale = ex.locale();
	if (segs.size() == 3 && segs[2] == "pages" && method == "GET")
	{
		Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
		for (const PageRegistration& p : _ctx.plugins->backofficePages())
		{
			Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
			o->set("pluginId", p.pluginId);
			o->set("section", p.page->getValue<std::string>("section"));
			o->set("sectionLabel", localized(p.page->get("sectionLabel"), locale));
			o->set("id", p.page->getValue<std::string>("id"));
			o->set("label", localized(p.page->get("label"), locale));
			o->set("target", p.page->optValue<std::string>("target", ""));
			o->set("module", p.page->optValue<std::string>("module", ""));
			items->add(o);
		}
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("items", items);
		ex.sendJson(200, root);
		return;
	}
	if (segs.size() >= 3 && segs[2] == "members") return handleAdminMembers(ex, caller, segs);
	if (segs.size() >= 3 && segs[2] == "menus" && _ctx.menuAccess) return handleAdminMenus(ex, caller, segs);
	if (segs.size() == 3 && segs[2] == "org-settings" && (method == "GET" || method == "PUT"))
	{
		Poco::Int64 orgId = caller.membership.orgId;
		if (method == "PUT")
		{
			Poco::JSON::Object::Ptr body = ex.jsonBody();
			for (const auto& key : body->getNames())
				if (key != "defaultSecurityLevel") throw HttpError(400, "unknown_field", "unknown field " + key, key);
			if (!body->has("defaultSecurityLevel") || !body->get("defaultSecurityLevel").isInteger() ||
				body->get("defaultSecurityLevel").isBoolean())
				throw HttpError(400, "validation_failed", "defaultSecurityLevel must be an integer",
								"defaultSecurityLevel");
			Poco::Int64 level = body->getValue<Poco::Int64>("defaultSecurityLevel");
			if (level < -999 || level > 0)
				throw HttpError(400, "validation_failed", "defaultSecurityLevel must be between -999 and 0",
								"defaultSecurityLevel");
			_ctx.directory->setDefaultSecurityLevel(orgId, static_cast<int>(level));
			Poco::JSON::Object payload;
			payload.set("orgId", orgId);
			payload.set("setting", "defaultSecurityLevel");
			payload.set("value", level);
			std::ostringstream s;
			payload.stringify(s);
			_ctx.plugins->fireHook(HOSTSDK_HOOK_ORG_SETTING_HAS_CHANGED, s.str());
		}
		std::optional<Org> org = _ctx.directory->orgById(orgId);
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("orgId", orgId);
		root->set("defaultSecurityLevel", org->defaultSecurityLevel);
		ex.sendJson(200, root);
		return;
	}
	throw HttpError(404, "not_found", "not found");
}

Poco::JSON::Object::Ptr HostRequestHandler::adminMemberJson(const Membership& m, const User& u, bool maintain)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("id", u.id);
	o->set("displayName", u.displayName);
	o->set("login", u.login);
	o->set("status", u.status);
	o->set("kind", m.kind);
	o->set("isAdmin", m.isAdmin);
	Poco::JSON::Array::Ptr permissions = new Poco::JSON::Array;
	if (maintain) permissions->add(Directory::grantablePermissions().front());
	o->set("permissions", permissions);
	return o;
}

std::optional<Poco::Int64> HostRequestHandler::successorOf(Exchange& ex, Poco::Int64 orgId, Poco::Int64 leaverId)
{
	if (ex.body().empty()) return std::nullopt;
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	for (const auto& key : body->getNames())
		if (key != "successorId") throw HttpError(400, "unknown_field", "unknown field " + key, key);
	if (!body->has("successorId") || body->isNull("successorId")) return std::nullopt;
	Poco::Dynamic::Var v = body->get("successorId");
	Poco::Int64 id = 0;
	if (!v.isInteger() || v.type() == typeid(bool) || (id = v.convert<Poco::Int64>()) <= 0)
		throw HttpError(400, "validation_failed", "successorId must be a positive integer or null", "successorId");
	if (id == leaverId)
		throw HttpError(422, "validation_failed", "the successor cannot be the member who leaves", "successorId");
	std::optional<Membership> m = _ctx.directory->membership(orgId, id);
	std::optional<User> u = _ctx.directory->userById(id);
	if (!m || !u || m->kind != "member" || u->status != "active")
		throw HttpError(422, "validation_failed", "the successor must be an active member of this organization",
						"successorId");
	return id;
}

Poco::JSON::Object::Ptr HostRequestHandler::willLeave(Exchange& ex, const Caller& caller, Poco::Int64 userId,
													  const std::optional<Poco::Int64>& successorId, bool dryRun)
{
	Poco::JSON::Object payload;
	payload.set("orgId", caller.membership.orgId);
	payload.set("userId", userId);
	payload.set("byUserId", caller.user.id);
	payload.set("successorId", successorId ? Poco::Dynamic::Var(*successorId) : Poco::Dynamic::Var());
	payload.set("dryRun", dryRun);
	payload.set("remoteAddr", ex.clientAddress());
	payload.set("preview", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
	std::ostringstream s;
	payload.stringify(s);
	std::string out, refusal;
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("preview", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
	if (!_ctx.plugins->hasHooks(HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG)) return answer;
	hostsdk_status st = _ctx.plugins->runWillHook(HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG, s.str(), out, &refusal);
	if (st == HOSTSDK_E_DENIED)
		throw HttpError(409, "conflict", refusal.empty() ? "a plugin refused this removal" : utf8Prefix(refusal, 500));
	if (st != HOSTSDK_OK) throw HttpError(503, "unavailable", "the removal cannot be checked now; try again");
	try
	{
		// Only objects of the preview array pass, whatever else a plugin wrote.
		Poco::JSON::Parser parser;
		Poco::JSON::Array::Ptr preview = parser.parse(out).extract<Poco::JSON::Object::Ptr>()->getArray("preview");
		Poco::JSON::Array::Ptr kept = answer->getArray("preview");
		for (std::size_t i = 0; preview && i < preview->size(); ++i)
			if (preview->isObject(static_cast<unsigned>(i))) kept->add(preview->getObject(static_cast<unsigned>(i)));
	}
	catch (const Poco::Exception&)
	{
		Poco::Logger::get("http").warning("member.will_leave_org: a plugin answered an unreadable payload");
	}
	return answer;
}

void HostRequestHandler::handleAdminMembers(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs)
{
	// 成员管理 (back office): who belongs to the org, their named permissions,
	// and removal with a preview and an optional successor (R9).
	Poco::Int64 orgId = caller.membership.orgId;
	const std::string& method = ex.method();
	if (segs.size() == 3)
	{
		if (method != "GET") throw HttpError(405, "method_not_allowed", "method not allowed");
		int limit = parseLimit(ex.queryParam("limit"));
		std::string q = ex.queryParam("q");
		Poco::Int64 after = 0;
		std::string cursor = ex.queryParam("cursor");
		if (!cursor.empty() && (!Poco::NumberParser::tryParse64(cursor, after) || after <= 0))
			throw HttpError(400, "validation_failed", "invalid cursor", "cursor");
		Directory::MemberPage page;
		try
		{
			page = q.empty() ? _ctx.directory->membersOfOrg(orgId, after, limit)
							 : _ctx.directory->membersByNamePrefix(orgId, q, after, limit);
		}
		catch (const Poco::NotFoundException&)
		{
			throw HttpError(400, "validation_failed", "invalid cursor", "cursor");
		}
		catch (const Poco::InvalidArgumentException& e)
		{
			throw HttpError(400, "validation_failed", e.message(), "q");
		}
		std::vector<Poco::Int64> ids;
		for (const auto& item : page.items)
			ids.push_back(item.second.id);
		std::set<Poco::Int64> maintain =
			_ctx.directory->holdersAmong(orgId, Directory::grantablePermissions().front(), ids);
		Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
		for (const auto& [m, u] : page.items)
			items->add(adminMemberJson(m, u, maintain.count(u.id) > 0));
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("items", items);
		root->set("nextCursor",
				  page.nextAfterId ? Poco::Dynamic::Var(std::to_string(page.nextAfterId)) : Poco::Dynamic::Var());
		ex.sendJson(200, root);
		return;
	}
	Poco::Int64 userId = parseId(segs[3], "member");
	if (segs.size() == 6 && segs[4] == "permissions")
	{
		// Grant (PUT) or revoke (DELETE) one named permission; idempotent.
		if (method != "PUT" && method != "DELETE") throw HttpError(405, "method_not_allowed", "method not allowed");
		const std::vector<std::string>& known = Directory::grantablePermissions();
		if (std::find(known.begin(), known.end(), segs[5]) == known.end())
			throw HttpError(404, "not_found", "no such permission");
		std::optional<Membership> m = _ctx.directory->membership(orgId, userId);
		std::optional<User> u = _ctx.directory->userById(userId);
		if (!m || !u) throw HttpError(404, "not_found", "no such member");
		if (userId == caller.user.id)
			throw HttpError(409, "conflict", "administrators cannot change their own permissions");
		if (m->kind != "member") throw HttpError(409, "conflict", "external users cannot hold permissions");
		if (method == "PUT")
			_ctx.directory->grantPermission(orgId, userId, segs[5]);
		else
			_ctx.directory->revokePermission(orgId, userId, segs[5]);
		bool maintain = !_ctx.directory->holdersAmong(orgId, known.front(), {userId}).empty();
		ex.sendJson(200, adminMemberJson(*m, *u, maintain));
		return;
	}
	bool preview = segs.size() == 5 && segs[4] == "removal-preview";
	if (!preview && segs.size() != 4) throw HttpError(404, "not_found", "not found");
	if (method != (preview ? "POST" : "DELETE")) throw HttpError(405, "method_not_allowed", "method not allowed");
	if (userId == caller.user.id)
		throw HttpError(409, "conflict", "administrators cannot remove themselves; ask another administrator");
	std::optional<Membership> leaver = _ctx.directory->membership(orgId, userId);
	std::optional<User> leaverUser = _ctx.directory->userById(userId);
	if (!leaver || !leaverUser) throw HttpError(404, "not_found", "no such member");
	std::optional<Poco::Int64> successorId = successorOf(ex, orgId, userId);
	// Plugins say what will happen to what the member holds (preview) and
	// may refuse; the removal asks them again, then ends the membership.
	Poco::JSON::Object::Ptr plan = willLeave(ex, caller, userId, successorId, preview);
	if (preview)
	{
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("member", adminMemberJson(*leaver, *leaverUser, false));
		root->set("successorId", successorId ? Poco::Dynamic::Var(*successorId) : Poco::Dynamic::Var());
		root->set("items", plan->getArray("preview"));
		ex.sendJson(200, root);
		return;
	}
	// A member leaves the org: membership, permissions and sessions there
	// end now; plugins hear of it (hook 100) to hand over what they held.
	if (!_ctx.directory->removeMembership(orgId, userId)) throw HttpError(404, "not_found", "no such member");
	Poco::JSON::Object payload;
	payload.set("orgId", orgId);
	payload.set("userId", userId);
	payload.set("byUserId", caller.user.id);
	payload.set("successorId", successorId ? Poco::Dynamic::Var(*successorId) : Poco::Dynamic::Var());
	payload.set("remoteAddr", ex.clientAddress());
	std::ostringstream s;
	payload.stringify(s);
	_ctx.plugins->fireHook(HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, s.str());
	ex.sendEmpty(204);
}

bool HostRequestHandler::externalMayUse(const Caller& caller, const std::string& pluginId)
{
	std::map<MenuAccess::Key, MenuOverride> overrides;
	if (_ctx.menuAccess) overrides = _ctx.menuAccess->overrides(caller.membership.orgId);
	for (const MenuRegistration& m : _ctx.plugins->menus("main.nav"))
	{
		if (m.pluginId != pluginId) continue;
		auto found = overrides.find({m.pluginId, m.id});
		if (MenuAccess::effective(m.item, found == overrides.end() ? nullptr : &found->second)
				.visibleTo(true, caller.membership.securityLevel))
			return true;
	}
	return false;
}

void HostRequestHandler::handleAdminMenus(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs)
{
	// Every main.nav item with its back-office switches (R7.2).
	Poco::Int64 orgId = caller.membership.orgId;
	std::string locale = ex.locale();
	const std::string& method = ex.method();
	auto itemJson = [&](const MenuRegistration& m, const std::map<MenuAccess::Key, MenuOverride>& overrides)
	{
		auto found = overrides.find({m.pluginId, m.id});
		const MenuOverride* override = found == overrides.end() ? nullptr : &found->second;
		MenuEffective effective = MenuAccess::effective(m.item, override);
		MenuOverride reg = MenuAccess::registered(m.item);
		auto level = [](const std::optional<int>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); };
		auto flag = [](const std::optional<bool>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); };
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("pluginId", m.pluginId);
		o->set("id", m.id);
		o->set("location", m.location);
		o->set("label", localized(m.item->get("label"), locale));
		o->set("openToExternal", effective.openToExternal);
		o->set("minSecurityLevel", level(effective.minSecurityLevel));
		Poco::JSON::Object::Ptr registered = new Poco::JSON::Object;
		registered->set("openToExternal", reg.openToExternal.value_or(false));
		registered->set("minSecurityLevel", level(reg.minSecurityLevel));
		o->set("registered", registered);
		Poco::JSON::Object::Ptr overridden = new Poco::JSON::Object;
		overridden->set("openToExternal", flag(override ? override->openToExternal : std::nullopt));
		overridden->set("minSecurityLevel", level(override ? override->minSecurityLevel : std::nullopt));
		o->set("override", overridden);
		return o;
	};
	if (segs.size() == 3 && method == "GET")
	{
		std::map<MenuAccess::Key, MenuOverride> overrides = _ctx.menuAccess->overrides(orgId);
		Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
		for (const MenuRegistration& m : _ctx.plugins->menus("main.nav"))
			items->add(itemJson(m, overrides));
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("items", items);
		ex.sendJson(200, root);
		return;
	}
	if (segs.size() == 5 && method == "PUT")
	{
		std::optional<MenuRegistration> item;
		for (const MenuRegistration& m : _ctx.plugins->menus("main.nav"))
			if (m.pluginId == segs[3] && m.id == segs[4]) item = m;
		if (!item) throw HttpError(404, "not_found", "no such menu item");
		Poco::JSON::Object::Ptr body = ex.jsonBody();
		for (const auto& key : body->getNames())
			if (key != "openToExternal" && key != "minSecurityLevel")
				throw HttpError(400, "unknown_field", "unknown field " + key, key);
		MenuOverride value;
		if (body->has("openToExternal") && !body->isNull("openToExternal"))
		{
			Poco::Dynamic::Var v = body->get("openToExternal");
			if (v.type() != typeid(bool))
				throw HttpError(400, "validation_failed", "openToExternal must be true, false or null",
								"openToExternal");
			value.openToExternal = v.extract<bool>();
		}
		if (body->has("minSecurityLevel") && !body->isNull("minSecurityLevel"))
		{
			Poco::Dynamic::Var v = body->get("minSecurityLevel");
			Poco::Int64 level = 0;
			if (!v.isInteger() || v.type() == typeid(bool) ||
				(level = v.convert<Poco::Int64>()) < MenuAccess::MIN_LEVEL || level > MenuAccess::MAX_LEVEL)
				throw HttpError(400, "validation_failed",
								"minSecurityLevel must be an integer from -999 to 1000 or null", "minSecurityLevel");
			value.minSecurityLevel = static_cast<int>(level);
		}
		try
		{
			_ctx.menuAccess->set(orgId, item->pluginId, item->id, value);
		}
		catch (const Poco::InvalidArgumentException& e)
		{
			throw HttpError(400, "validation_failed", e.message(), "minSecurityLevel");
		}
		ex.sendJson(200, itemJson(*item, _ctx.menuAccess->overrides(orgId)));
		return;
	}
	if (segs.size() == 3 || segs.size() == 5) throw HttpError(405, "method_not_allowed", "method not allowed");
	throw HttpError(404, "not_found", "not found");
}

bool HostRequestHandler::handlePluginRoute(Exchange& ex, const std::string& pluginId, const std::string& subpath,
										   bool publicMount)
{
	bool pathExists = false;
	auto call = _ctx.plugins->matchRoute(pluginId, ex.method(), subpath, publicMount, pathExists);
	if (!call)
	{
		if (pathExists) throw HttpError(405, "method_not_allowed", "method not allowed");
		return false;
	}
	_route = publicMount ? call->route.pattern : "/api/plugins/" + call->route.pluginId + call->route.pattern;
	std::optional<Caller> caller;
	if (!(call->route.flags & HOSTSDK_ROUTE_PUBLIC))
	{
		caller = requireCaller(ex, isUnsafe(ex.method()));
	}
	else
	{
		// A public route learns who is logged in only when the request could
		// not have been forged by another site.
		caller = authenticate(ex);
		if (caller && isUnsafe(ex.method()))
		{
			std::string token = ex.request().get("X-CSRF-Token", "");
			if (token.empty() || !Secrets::constantTimeEquals(token, caller->session.csrfToken)) caller.reset();
		}
	}
	callPlugin(ex, *call, caller, subpath, ex.body());
	return true;
}

void HostRequestHandler::callPlugin(Exchange& ex, const PluginManager::RouteCall& call,
									const std::optional<Caller>& caller, const std::string& subpath,
									const std::string& body)
{
	// External users reach only routes opened to them (or public ones);
	// everything else looks absent, however the call arrives.
	if (caller && caller->membership.kind == "external" &&
		!(call.route.flags & (HOSTSDK_ROUTE_EXTERNAL | HOSTSDK_ROUTE_PUBLIC)))
		throw HttpError(404, "not_found", "not found");
	// An external route also needs the plugin opened to external users in the
	// caller's org: one of its main.nav items they may see (R7.2).
	if (caller && caller->membership.kind == "external" && !(call.route.flags & HOSTSDK_ROUTE_PUBLIC) &&
		!externalMayUse(*caller, call.route.pluginId))
		throw HttpError(404, "not_found", "not found");
	Poco::JSON::Object params;
	for (const auto& kv : call.params)
		params.set(kv.first, kv.second);
	std::ostringstream paramsJson;
	params.stringify(paramsJson);
	Poco::JSON::Object headers;
	for (const auto& h : ex.request())
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
			std::string kept = withoutCookie(h.second, kSessionCookie);
			if (!kept.empty()) headers.set(name, kept);
			continue;
		}
		headers.set(name, h.second);
	}
	if (ex.fromTrustedProxy()) headers.set("x-forwarded-proto", ex.https() ? "https" : "http");
	std::ostringstream headersJson;
	headers.stringify(headersJson);

	std::string remote = ex.clientAddress();
	std::string locale = ex.locale();
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
	std::string query = ex.query();
	std::string pj = paramsJson.str();
	std::string hj = headersJson.str();
	hostsdk_request_v1 req{};
	req.struct_size = sizeof(req);
	req.method = ex.method().c_str();
	req.route = call.route.pattern.c_str();
	req.path = subpath.c_str();
	req.path_params = pj.c_str();
	req.query = query.c_str();
	req.headers = hj.c_str();
	req.body = body.data();
	req.body_len = body.size();
	req.caller = &c;

	ResponseCollector collector;
	hostsdk_response_v1 resp{};
	resp.struct_size = sizeof(resp);
	resp.ctx = &collector;
	resp.set_status = &ResponseCollector::setStatus;
	resp.set_header = &ResponseCollector::setHeader;
	resp.write = &ResponseCollector::write;
	hostsdk_status st = _ctx.plugins->callRoute(call, req, resp);
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
			ex.response().set(h.first, h.second);
	}
	if (collector.status == 204 || collector.status == 304)
		ex.sendEmpty(collector.status);
	else
		ex.send(collector.status, contentType.empty() ? "application/json; charset=utf-8" : contentType,
				collector.body);
}

bool HostRequestHandler::handleStatic(Exchange& ex)
{
	const std::string& path = ex.path();
	if (ex.method() != "GET" && ex.method() != "HEAD") return false;
	std::string root, rel;
	if (path == "/" || path == "/index.html")
	{
		root = _ctx.webRoot;
		rel = "index.html";
	}
	else if (path.compare(0, 8, "/assets/") == 0)
	{
		root = _ctx.webRoot;
		rel = path.substr(8);
	}
	else
	{
		std::vector<std::string> segs = PluginManager::splitPath(path);
		if (segs.size() >= 4 && segs[0] == "plugins" && segs[2] == "web")
		{
			root = _ctx.resourcesRoot + "/web/" + segs[1];
			rel = path.substr(std::string("/plugins/" + segs[1] + "/web/").size());
		}
		else
		{
			return false;
		}
	}
	static const Poco::RegularExpression safe("^[A-Za-z0-9_-][A-Za-z0-9._/-]*$");
	if (!safe.match(rel) || rel.find("..") != std::string::npos || rel.find("//") != std::string::npos)
		throw HttpError(404, "not_found", "not found");
	Poco::Path file(root + "/" + rel);
	Poco::File f(file);
	if (!f.exists() || !f.isFile()) throw HttpError(404, "not_found", "not found");
	Poco::FileInputStream in(file.toString());
	std::string data;
	Poco::StreamCopier::copyToString(in, data);
	std::string type = contentTypeFor(rel);
	if (rel == "index.html")
		ex.response().set(
			"Content-Security-Policy",
			"default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; object-src 'none'; "
			"base-uri 'none'; frame-ancestors 'none'");
	ex.response().set("Cache-Control", "no-cache");
	ex.send(200, type, data);
	return true;
}

} // namespace RefHost
