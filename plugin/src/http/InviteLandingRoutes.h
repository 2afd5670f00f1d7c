#pragma once

#include "http/ErrorResponder.h"
#include "http/HostMetrics.h"
#include "http/RouteTable.h"
#include "service/InvitationService.h"
#include "service/WeChatAuthService.h"
#include <functional>
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>
#include <mutex>
#include <set>
#include <string>

namespace ExternalContacts
{

class InviteLandingRoutes
/// The public landing page of invitation links (R4.3-R4.6), mounted by the
/// host at the site root, no session needed:
///   GET  /invite/{token}                  the page with its form (410 / 404 pages)
///   POST /invite/{token}                  join (form-encoded); the done page;
///                                         403 from another site (Origin,
///                                         Sec-Fetch-Site, Referer; origins
///                                         compared after SiteOrigin::of)
///   GET  /invite/{token}/wechat           to WeChat web authorization (302)
///   GET  /invite/{token}/wechat/callback  back from WeChat: the form prefilled
/// Answers are HTML with Referrer-Policy strict-origin, no caching and a
/// Content-Security-Policy; no failure escapes as anything but a page.
{
public:
	using Logger = std::function<void(int level, const std::string& message)>;
	static constexpr std::size_t BODY_MAX_BYTES = 16 * 1024;
	static const char* const BROWSER_COOKIE; /// "ec_invite_wx"

	InviteLandingRoutes(InvitationService& invitations, WeChatAuthService* wechat, std::string publicBaseUrl,
						Logger logger);
	/// wechat: null when WeChat is not configured (no authorization offered,
	/// no share card).

	void registerWith(const HostSdk::HostApi& host);

	void countWith(HostMetrics* metrics)
	/// metrics, when given, counts joins; it outlives the routes.
	{
		_metrics = metrics;
	}

	void show(const HostSdk::Request& request, const HostSdk::Response& response);
	void submit(const HostSdk::Request& request, const HostSdk::Response& response);
	void authorize(const HostSdk::Request& request, const HostSdk::Response& response);
	void callback(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<InviteLandingRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	struct Prefill
	{
		std::string reference;
		std::string nickname;
		std::string avatarUrl;
		std::string error;
	};

	void sendForm(const HostSdk::Request& request, const HostSdk::Response& response, int status,
				  const InvitationService::Landing& landing, const InviteForm& values,
				  const std::vector<InviteForm::Problem>& problems, const Prefill& prefill);
	std::string tokenOf(const HostSdk::Request& request) const;
	std::string site(const HostSdk::Request& request) const;
	void refused(const char* reason, const std::string& seen, const std::string& site);
	/// Logs a refused form POST at warning level, once per reason.

	InvitationService& _invitations;
	WeChatAuthService* _wechat;
	std::string _publicBaseUrl;
	Logger _logger;
	HostMetrics* _metrics = nullptr;
	std::mutex _refusalsMutex;
	std::set<std::string> _refusalsLogged;
	ErrorResponder _responder; /// HTML pages: 404 / 410 / 429, else unavailable()
	RouteTable<InviteLandingRoutes> _table;
};

} // namespace ExternalContacts
