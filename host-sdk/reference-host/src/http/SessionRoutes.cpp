#include "SessionRoutes.h"

#include "HostFilters.h"
#include "MeRoutes.h"
#include <Poco/Net/HTTPCookie.h>

namespace RefHost
{

namespace
{

// The session cookie: HttpOnly, SameSite=Lax, Secure when the host says so
// or a trusted proxy received the request over https.
Poco::Net::HTTPCookie sessionCookie(RouteRequest& request, const std::string& value)
{
	Poco::Net::HTTPCookie cookie(HostFilters::kSessionCookie, value);
	cookie.setPath("/");
	cookie.setHttpOnly(true);
	cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
	cookie.setSecure(request.ctx.secureCookies || request.ex.https());
	return cookie;
}

void activation(RouteRequest& request, bool checkOnly)
{
	// Public: the person has no password yet. The token (256 bits) is the
	// credential; the body must be JSON, so no plain HTML form can post here.
	Exchange& ex = request.ex;
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	for (const auto& key : body->getNames())
		if (key != "token" && (checkOnly || key != "password"))
			throw HttpError(400, "unknown_field", "unknown field " + key, key);
	if (!body->has("token") || !body->get("token").isString())
		throw HttpError(400, "validation_failed", "token is required", "token");
	std::string token = body->getValue<std::string>("token");
	if (checkOnly)
	{
		ExternalAccounts::Pending pending = request.ctx.accounts->check(token);
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
	request.ctx.accounts->activate(token, body->getValue<std::string>("password"));
	ex.sendEmpty(204);
}

} // namespace

void SessionRoutes::activate(RouteRequest& request)
{
	activation(request, false);
}

void SessionRoutes::checkActivation(RouteRequest& request)
{
	activation(request, true);
}

void SessionRoutes::login(RouteRequest& request)
{
	Exchange& ex = request.ex;
	HostContext& ctx = request.ctx;
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
	std::optional<SessionManager::LoginResult> result = ctx.sessions->login(login, password, ex.clientAddress());
	if (!result) throw HttpError(401, "invalid_credentials", "wrong login or password");
	// A leftover session of this browser ends with the new login (new id).
	std::string previous = ex.cookie(HostFilters::kSessionCookie);
	if (!previous.empty()) ctx.sessions->logout(previous);
	ex.response().addCookie(sessionCookie(request, result->token));
	Caller caller{result->session, *ctx.directory->userById(result->session.userId),
				  *ctx.directory->membership(result->session.orgId, result->session.userId), std::nullopt};
	ex.sendJson(200, MeRoutes::json(request, caller));
}

void SessionRoutes::current(RouteRequest& request)
{
	const Caller& caller = request.me();
	Poco::JSON::Object answer;
	answer.set("userId", caller.session.userId);
	answer.set("orgId", caller.session.orgId);
	answer.set("expiresAt", caller.session.expiresAt);
	answer.set("idleExpiresAt", caller.session.lastSeenAt +
									static_cast<Poco::Int64>(request.ctx.sessions->settings().idleSeconds) * 1000);
	request.ex.sendJson(200, answer);
}

void SessionRoutes::logout(RouteRequest& request)
{
	// Behind Identify and Csrf: a caller's session ends only with its token.
	if (request.caller) request.ctx.sessions->logout(request.ex.cookie(HostFilters::kSessionCookie));
	Poco::Net::HTTPCookie cookie = sessionCookie(request, "");
	cookie.setMaxAge(0);
	request.ex.response().addCookie(cookie);
	request.ex.sendEmpty(204);
}

} // namespace RefHost
