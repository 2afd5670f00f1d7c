#include "http/WeChatBindingRoutes.h"

#include "http/RouteSupport.h"

#include "domain/ValidationError.h"
#include "http/ContactJson.h"
#include "http/HttpError.h"
#include "http/InvitationRoutes.h"
#include "http/QueryString.h"
#include "web/InvitePage.h"
#include "wechat/WeChatErrors.h"
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

const char* const WeChatBindingRoutes::BROWSER_COOKIE = "ec_bind_wx";
const char* const WeChatBindingRoutes::MOUNT = "/api/plugins/external-contacts";

namespace
{

std::string cookieValue(const HostSdk::Request& request, const std::string& name)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(request.headersJson().empty() ? "{}" : request.headersJson());
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return "";
	std::istringstream pairs(parsed.extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("cookie", ""));
	std::string pair;
	while (std::getline(pairs, pair, ';'))
	{
		std::size_t eq = pair.find('=');
		if (eq != std::string::npos && Poco::trim(pair.substr(0, eq)) == name) return Poco::trim(pair.substr(eq + 1));
	}
	return "";
}

} // namespace

WeChatBindingRoutes::WeChatBindingRoutes(WeChatAuthService& wechat, const ErrorResponder& responder,
										 std::string publicBaseUrl, ErrorResponder::Logger logger) :
	_wechat(wechat),
	_table(*this, responder), _publicBaseUrl(std::move(publicBaseUrl)), _logger(std::move(logger))
{
	while (!_publicBaseUrl.empty() && _publicBaseUrl.back() == '/')
		_publicBaseUrl.pop_back();
}

void WeChatBindingRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/me/wechat", &WeChatBindingRoutes::get, HOSTSDK_ROUTE_PUBLIC);
	_table.add("POST", "/me/wechat/authorize", &WeChatBindingRoutes::authorize, HOSTSDK_ROUTE_PUBLIC);
	_table.add("DELETE", "/me/wechat", &WeChatBindingRoutes::unbind, HOSTSDK_ROUTE_PUBLIC);
	_table.add("GET", "/me/wechat/callback", &WeChatBindingRoutes::callback, HOSTSDK_ROUTE_PUBLIC);
	_table.registerWith(host);
}

Actor WeChatBindingRoutes::user(const HostSdk::Request& request) const
{
	Actor actor = RouteSupport::actorOf(request);
	if (actor.kind == Actor::Kind::Anonymous) throw HttpError::unauthenticated();
	return actor;
}

void WeChatBindingRoutes::sendState(const HostSdk::Response& response, const std::optional<WeChatIdentity>& bound)
{
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("bound", bound.has_value());
	if (bound)
	{
		answer->set("nickname", bound->nickname);
		answer->set("avatarUrl", bound->avatarUrl);
		answer->set("boundAt", bound->boundAt);
	}
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void WeChatBindingRoutes::get(const HostSdk::Request& request, const HostSdk::Response& response)
{
	sendState(response, _wechat.binding(user(request)));
}

void WeChatBindingRoutes::unbind(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = user(request);
	_wechat.unbind(actor, RouteSupport::remoteAddr(request));
	sendState(response, std::nullopt);
}

void WeChatBindingRoutes::authorize(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = user(request);
	std::string base = InvitationRoutes::siteOf(_publicBaseUrl, request);
	WeChatAuthService::Start started =
		_wechat.startBinding(actor, base + MOUNT + "/me/wechat/callback", RouteSupport::remoteAddr(request));
	std::string cookie = std::string(BROWSER_COOKIE) + "=" + started.browserSecret + "; Path=" + MOUNT +
						 "/me/wechat/; Max-Age=600; HttpOnly; SameSite=Lax";
	if (base.rfind("https://", 0) == 0) cookie += "; Secure";
	response.setHeader("Set-Cookie", cookie);
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("redirectUrl", started.redirectUrl);
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void WeChatBindingRoutes::callback(const HostSdk::Request& request, const HostSdk::Response& response)
{
	auto page = [&](int status, bool bound, const std::string& text)
	{
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("Content-Security-Policy", InvitePage::contentSecurityPolicy(""));
		response.send(status, "text/html; charset=utf-8", InvitePage::bindingResult(bound, text));
	};
	Actor actor = RouteSupport::actorOf(request);
	if (actor.kind == Actor::Kind::Anonymous)
	{
		page(401, false, "登录已过期，请登录后在个人设置中重新绑定。");
		return;
	}
	std::string code, state;
	try
	{
		QueryString query(request.query());
		code = query.get("code", "");
		state = query.get("state", "");
	}
	catch (const ValidationError&)
	{
		state.clear();
	}
	if (code.empty())
	{
		page(200, false, "你未完成微信授权，微信没有绑定。");
		return;
	}
	try
	{
		WeChatIdentity bound = _wechat.finishBinding(actor, state, code, cookieValue(request, BROWSER_COOKIE),
													 RouteSupport::remoteAddr(request));
		page(200, true, bound.nickname.empty() ? "微信已绑定。" : "已绑定微信：" + bound.nickname + "。");
	}
	catch (const ValidationError& e)
	{
		page(400, false,
			 e.field() == "wechat" ? "这个微信已绑定其他账号，请先在那个账号中解除绑定。"
								   : "微信授权已失效或不是从此浏览器发起的，请重新绑定。");
	}
	catch (const WeChat::ApiError& e)
	{
		if (_logger) _logger(HOSTSDK_LOG_WARNING, "WeChat binding refused: " + e.displayText());
		page(502, false, "微信授权未成功（错误码 " + std::to_string(e.errcode()) + "），请稍后重试。");
	}
	catch (const WeChat::UnavailableError& e)
	{
		if (_logger) _logger(HOSTSDK_LOG_WARNING, "WeChat unavailable: " + e.displayText());
		page(503, false, "暂时无法连接微信，请稍后重试。");
	}
}

} // namespace ExternalContacts
