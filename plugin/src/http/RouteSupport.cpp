#include "http/RouteSupport.h"

#include "http/ContactJson.h"
#include "http/HttpError.h"
#include "http/JsonBody.h"
#include "http/QueryString.h"
#include <Poco/JSON/Parser.h>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

Poco::JSON::Object::Ptr jsonObject(const std::string& json)
{
	if (json.empty()) return new Poco::JSON::Object;
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(json);
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return new Poco::JSON::Object;
	return parsed.extract<Poco::JSON::Object::Ptr>();
}

// The caller's permissions as the host passed them: a JSON array of
// strings. Anything else (no field, a host's mistake) is "not known", so
// that the services ask the host rather than deny or allow on a guess.
std::optional<std::vector<std::string>> permissionsOf(const char* json)
{
	if (!json) return std::nullopt;
	const std::string text(json);
	if (text == "[]") return std::vector<std::string>();
	try
	{
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var parsed = parser.parse(text);
		if (parsed.type() != typeid(Poco::JSON::Array::Ptr)) return std::nullopt;
		Poco::JSON::Array::Ptr names = parsed.extract<Poco::JSON::Array::Ptr>();
		std::vector<std::string> permissions;
		for (std::size_t i = 0; i < names->size(); ++i)
		{
			Poco::Dynamic::Var name = names->get(static_cast<unsigned>(i));
			if (!name.isString()) return std::nullopt;
			permissions.push_back(name.extract<std::string>());
		}
		return permissions;
	}
	catch (const Poco::Exception&)
	{
		return std::nullopt;
	}
}

} // namespace

Actor RouteSupport::actorOf(const HostSdk::Request& request)
{
	const hostsdk_caller_v1& caller = request.caller();
	Actor actor;
	actor.userId = caller.user_id;
	actor.orgId = caller.org_id;
	actor.isAdmin = caller.is_admin != 0;
	actor.securityLevel = caller.security_level;
	if (caller.user_id <= 0 || caller.kind == HOSTSDK_CALLER_ANONYMOUS)
		actor.kind = Actor::Kind::Anonymous;
	else if (caller.kind == HOSTSDK_CALLER_MEMBER)
		actor.kind = Actor::Kind::Member;
	else
		actor.kind = Actor::Kind::External;
	if (actor.kind != Actor::Kind::Anonymous) actor.permissions = permissionsOf(request.callerPermissions());
	return actor;
}

Actor RouteSupport::member(const HostSdk::Request& request)
{
	Actor actor = actorOf(request);
	if (actor.kind == Actor::Kind::Anonymous) throw HttpError::unauthenticated();
	// External users may not see contacts: every contact is "missing" to them.
	if (actor.kind != Actor::Kind::Member) throw HttpError::notFound();
	return actor;
}

std::optional<Poco::Int64> RouteSupport::idOf(const std::string& text)
{
	std::optional<Poco::UInt64> id = QueryString::digits(text, QueryString::ID_DIGITS);
	if (!id || *id == 0) return std::nullopt;
	return static_cast<Poco::Int64>(*id);
}

Poco::Int64 RouteSupport::pathId(const HostSdk::Request& request)
{
	std::optional<Poco::Int64> id = idOf(jsonObject(request.pathParamsJson())->optValue<std::string>("id", ""));
	if (!id) throw HttpError::notFound();
	return *id;
}

Poco::JSON::Object::Ptr RouteSupport::headers(const HostSdk::Request& request)
{
	return jsonObject(request.headersJson());
}

Poco::JSON::Object::Ptr RouteSupport::body(const HostSdk::Request& request)
{
	return JsonBody::parseObject(request.body(), headers(request)->optValue<std::string>("content-type", ""));
}

std::size_t RouteSupport::limit(const HostSdk::Request& request, std::size_t fallback)
{
	return QueryString(request.query()).limit(fallback);
}

std::string RouteSupport::cursor(const HostSdk::Request& request)
{
	return QueryString(request.query()).get("cursor", "");
}

std::string RouteSupport::remoteAddr(const HostSdk::Request& request)
{
	const char* addr = request.caller().remote_addr;
	return addr ? addr : "";
}

void RouteSupport::sendJson(const HostSdk::Response& response, int status, const Poco::JSON::Object::Ptr& answer)
{
	sendJson(response, status, ContactJson::toString(answer));
}

void RouteSupport::sendJson(const HostSdk::Response& response, int status, const std::string& body)
{
	response.setHeader("Cache-Control", "no-store");
	response.send(status, "application/json; charset=utf-8", body);
}

} // namespace ExternalContacts
