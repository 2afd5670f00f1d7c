#include "http/InviteLandingRoutes.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "http/BodyReaders.h"
#include "http/InvitationRoutes.h"
#include "http/QueryString.h"
#include "http/SiteOrigin.h"
#include "web/InvitePage.h"
#include "wechat/WeChatErrors.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

const char* const InviteLandingRoutes::BROWSER_COOKIE = "ec_invite_wx";

namespace
{

Poco::JSON::Object::Ptr objectOf(const std::string& json)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(json.empty() ? "{}" : json);
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return new Poco::JSON::Object;
	return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::string header(const HostSdk::Request& request, const std::string& name)
{
	return objectOf(request.headersJson())->optValue<std::string>(name, "");
}

// Why a browser's form POST does not come from a page of this site
// (issue 14), or nullptr when it may: Sec-Fetch-Site when sent, then Origin,
// then Referer, each compared with the site's origin after SiteOrigin::of
// on both sides (publicBaseUrl may say "HTTPS://X.example:443/", a browser
// says "https://x.example"). Origin "null" is refused: sandboxed frames,
// data: URLs and cross-site redirects send it, and the page's own form never
// does (Referrer-Policy strict-origin). No header at all is not a browser on
// another site: it is let through. seen: what was compared, for the log.
const char* foreignFormReason(const HostSdk::Request& request, const std::string& site, std::string& seen)
{
	std::string fetchSite = Poco::toLower(Poco::trim(header(request, "sec-fetch-site")));
	if (fetchSite == "cross-site" || fetchSite == "same-site")
	{
		seen = "Sec-Fetch-Site " + fetchSite;
		return fetchSite == "cross-site" ? "Sec-Fetch-Site cross-site" : "Sec-Fetch-Site same-site";
	}
	std::string origin = header(request, "origin");
	if (!origin.empty())
	{
		if (SiteOrigin::same(origin, site)) return nullptr;
		seen = "Origin " + (SiteOrigin::of(origin).empty() ? std::string("null") : SiteOrigin::of(origin));
		return SiteOrigin::of(origin).empty() ? "Origin null" : "Origin of another site";
	}
	std::string referer = header(request, "referer");
	if (!referer.empty())
	{
		if (SiteOrigin::same(referer, site)) return nullptr;
		// The Referer's origin only: a Referer may carry a path (and a token).
		seen = "Referer origin " + (SiteOrigin::of(referer).empty() ? std::string("none") : SiteOrigin::of(referer));
		return "Referer of another site";
	}
	return nullptr;
}

} // namespace

InviteLandingRoutes::InviteLandingRoutes(InvitationService& invitations, WeChatAuthService* wechat,
										 std::string publicBaseUrl, Logger logger) :
	_invitations(invitations),
	_wechat(wechat), _publicBaseUrl(std::move(publicBaseUrl)), _logger(logger),
	_responder(ErrorResponder::Rendering::Html, std::move(logger)), _table(*this, _responder)
{
	while (!_publicBaseUrl.empty() && _publicBaseUrl.back() == '/')
		_publicBaseUrl.pop_back();
}

void InviteLandingRoutes::registerWith(const HostSdk::HostApi& host)
{
	const uint32_t flags = HOSTSDK_ROUTE_PUBLIC | HOSTSDK_ROUTE_PUBLIC_MOUNT;
	_table.add("GET", "/invite/{token}", &InviteLandingRoutes::show, flags);
	_table.add("POST", "/invite/{token}", &InviteLandingRoutes::submit, flags);
	_table.add("GET", "/invite/{token}/wechat", &InviteLandingRoutes::authorize, flags);
	_table.add("GET", "/invite/{token}/wechat/callback", &InviteLandingRoutes::callback, flags);
	_table.registerWith(host);
}

std::string InviteLandingRoutes::tokenOf(const HostSdk::Request& request) const
{
	return objectOf(request.pathParamsJson())->optValue<std::string>("token", "");
}

std::string InviteLandingRoutes::site(const HostSdk::Request& request) const
{
	return InvitationRoutes::siteOf(_publicBaseUrl, request);
}

void InviteLandingRoutes::refused(const char* reason, const std::string& seen, const std::string& site)
{
	{
		std::lock_guard<std::mutex> lock(_refusalsMutex);
		if (!_refusalsLogged.insert(reason).second) return;
	}
	// The route pattern, never the path: the path holds the invitation's token.
	// Once per reason: another site's page may post as often as it likes.
	if (_logger)
		_logger(HOSTSDK_LOG_WARNING, "invitation landing: POST /invite/{token} refused with 403 (" +
										 std::string(reason) + ": " + seen.substr(0, 200) + ", this site is " +
										 SiteOrigin::of(site) +
										 "); when real visitors get this, publicBaseUrl (or X-Forwarded-Proto and Host "
										 "from the proxy) must match the origin their browsers show; logged once per "
										 "reason");
}

void InviteLandingRoutes::sendForm(const HostSdk::Request& request, const HostSdk::Response& response, int status,
								   const InvitationService::Landing& landing, const InviteForm& values,
								   const std::vector<InviteForm::Problem>& problems, const Prefill& prefill)
{
	InvitePage::Form page;
	page.token = tokenOf(request);
	page.inviterName = landing.inviterName;
	page.orgName = landing.orgName;
	page.values = values;
	page.problems = problems;
	page.wechatEnabled = _wechat != nullptr;
	page.wechatReference = prefill.reference;
	page.wechatNickname = prefill.nickname;
	page.wechatAvatarUrl = prefill.avatarUrl;
	page.wechatError = prefill.error;
	std::string jsSdkOrigin;
	if (_wechat)
	{
		std::string query = request.query();
		std::string pageUrl = site(request) + request.path() + (query.empty() ? "" : "?" + query);
		try
		{
			WeChat::JsSdkConfig signed_ = _wechat->share(pageUrl);
			Poco::JSON::Object card;
			card.set("appId", signed_.appId);
			card.set("timestamp", signed_.timestamp);
			card.set("nonceStr", signed_.nonceStr);
			card.set("signature", signed_.signature);
			card.set("title", landing.inviterName + " 邀请你成为外部联系人");
			card.set("desc", "来自「" + landing.orgName + "」的邀请，填写信息后即可保持联系。");
			card.set("link", site(request) + "/invite/" + page.token);
			card.set("imgUrl", site(request) + "/plugins/external-contacts/web/invite-card.png");
			std::ostringstream json;
			card.stringify(json);
			page.shareConfigJson = Poco::replace(json.str(), std::string("</"), std::string("<\\/"));
			page.jsSdkUrl = _wechat->config().jsSdkUrl;
			jsSdkOrigin = SiteOrigin::of(page.jsSdkUrl);
		}
		catch (const WeChat::BackingOffError&)
		{
			// The failure that started the back-off was logged; so is not each page of it.
		}
		catch (const Poco::Exception& e)
		{
			// The page works without its share card.
			if (_logger) _logger(HOSTSDK_LOG_WARNING, "invitation page: no WeChat share card: " + e.displayText());
		}
	}
	InvitePage::send(response, status, InvitePage::form(page), jsSdkOrigin);
}

void InviteLandingRoutes::show(const HostSdk::Request& request, const HostSdk::Response& response)
{
	InvitationService::Landing landing = _invitations.open(tokenOf(request));
	sendForm(request, response, 200, landing, InviteForm(), {}, Prefill());
}

void InviteLandingRoutes::submit(const HostSdk::Request& request, const HostSdk::Response& response)
{
	// A form of this site only: another site's page may not submit it.
	std::string here = site(request);
	std::string seen;
	if (const char* reason = foreignFormReason(request, here, seen))
	{
		refused(reason, seen, here);
		InvitePage::send(response, 403, InvitePage::foreignForm());
		return;
	}
	std::string type = Poco::toLower(header(request, "content-type"));
	if (type.rfind("application/x-www-form-urlencoded", 0) != 0)
	{
		InvitePage::send(response, 415, InvitePage::unavailable());
		return;
	}
	std::string body = request.body();
	if (body.size() > BODY_MAX_BYTES)
	{
		InvitePage::send(response, 413, InvitePage::unavailable());
		return;
	}
	InvitationService::Landing landing = _invitations.open(tokenOf(request));
	BodyReaders::InviteSubmission form = BodyReaders::inviteSubmission(body);
	InviteForm& values = form.values;
	const std::string& reference = form.reference;
	const std::vector<InviteForm::Problem>& problems = form.problems;
	Prefill prefill;
	prefill.reference = reference;
	if (!problems.empty())
	{
		sendForm(request, response, 400, landing, values, problems, prefill);
		return;
	}
	try
	{
		InvitationService::Joined joined = _invitations.join(
			tokenOf(request), values, reference, request.caller().remote_addr ? request.caller().remote_addr : "");
		if (!joined.notifyError.empty() && _logger)
			_logger(HOSTSDK_LOG_WARNING, "invitation joined, inviter not notified: " + joined.notifyError);
		if (_metrics) _metrics->invitationJoined();
		InvitePage::send(response, 200, InvitePage::done(joined.landing.inviterName, joined.landing.orgName));
	}
	catch (const ValidationError& e)
	{
		if (e.field() != "wx") throw;
		prefill = Prefill();
		prefill.error = "微信授权已失效，请重新授权，或直接提交。";
		sendForm(request, response, 400, landing, values, {}, prefill);
	}
}

void InviteLandingRoutes::authorize(const HostSdk::Request& request, const HostSdk::Response& response)
{
	if (!_wechat)
	{
		InvitePage::send(response, 404, InvitePage::notFound());
		return;
	}
	std::string token = tokenOf(request);
	std::string base = site(request);
	WeChatAuthService::Start started = _wechat->start(token, base + "/invite/" + token + "/wechat/callback",
													  request.caller().remote_addr ? request.caller().remote_addr : "");
	std::string cookieText = std::string(BROWSER_COOKIE) + "=" + started.browserSecret +
							 "; Path=/invite/; Max-Age=600; HttpOnly; SameSite=Lax";
	if (base.rfind("https://", 0) == 0) cookieText += "; Secure";
	response.setHeader("Set-Cookie", cookieText);
	response.setHeader("Location", started.redirectUrl);
	InvitePage::send(response, 302, InvitePage::moved(started.redirectUrl));
}

void InviteLandingRoutes::callback(const HostSdk::Request& request, const HostSdk::Response& response)
{
	if (!_wechat)
	{
		InvitePage::send(response, 404, InvitePage::notFound());
		return;
	}
	std::string token = tokenOf(request);
	InvitationService::Landing landing = _invitations.open(token);
	Prefill prefill;
	InviteForm values;
	std::string code;
	std::string state;
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
	try
	{
		if (code.empty())
		{
			prefill.error = "你未完成微信授权，可以直接填写下面的信息。";
		}
		else
		{
			WeChatAuthService::Profile profile = _wechat->finish(
				token, state, code, BodyReaders::cookieValue(header(request, "cookie"), BROWSER_COOKIE));
			prefill.reference = profile.reference;
			prefill.nickname = profile.nickname;
			prefill.avatarUrl = profile.avatarUrl;
			values.name = profile.nickname;
		}
	}
	catch (const ValidationError&)
	{
		prefill.error = "微信授权已失效或不是从此页面发起的，请重新授权，或直接填写。";
	}
	catch (const WeChat::ApiError& e)
	{
		if (_logger) _logger(HOSTSDK_LOG_WARNING, "WeChat authorization refused: " + e.displayText());
		prefill.error = "微信授权未成功（错误码 " + std::to_string(e.errcode()) + "），请重试，或直接填写。";
	}
	catch (const WeChat::UnavailableError& e)
	{
		if (_logger) _logger(HOSTSDK_LOG_WARNING, "WeChat unavailable: " + e.displayText());
		prefill.error = "暂时无法连接微信，请稍后重试，或直接填写。";
	}
	sendForm(request, response, 200, landing, values, {}, prefill);
}

} // namespace ExternalContacts
