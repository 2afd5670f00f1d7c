#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/WeChatAuthService.h"
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>
#include <string>

namespace ExternalContacts
{

class WeChatBindingRoutes
/// Binding one's own WeChat in personal settings (R7.3), for every
/// logged-in user, members and external users alike, under
/// /api/plugins/external-contacts (registered public so that external users
/// reach them whatever apps are opened to them; each checks the session):
///   GET    /me/wechat            {"bound":false} or the bound nickname / avatar
///   POST   /me/wechat/authorize  {"redirectUrl"} to WeChat; sets the browser cookie
///   GET    /me/wechat/callback   back from WeChat: an HTML page saying how it went
///   DELETE /me/wechat            unbind
{
public:
	static const char* const BROWSER_COOKIE; /// "ec_bind_wx"
	static const char* const MOUNT;          /// "/api/plugins/external-contacts"

	WeChatBindingRoutes(WeChatAuthService& wechat, const ErrorResponder& responder, std::string publicBaseUrl,
						ErrorResponder::Logger logger);

	void registerWith(const HostSdk::HostApi& host);

	void get(const HostSdk::Request& request, const HostSdk::Response& response);
	void authorize(const HostSdk::Request& request, const HostSdk::Response& response);
	void unbind(const HostSdk::Request& request, const HostSdk::Response& response);
	void callback(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<WeChatBindingRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	Actor user(const HostSdk::Request& request) const;
	void sendState(const HostSdk::Response& response, const std::optional<WeChatIdentity>& bound);

	WeChatAuthService& _wechat;
	RouteTable<WeChatBindingRoutes> _table;
	std::string _publicBaseUrl;
	ErrorResponder::Logger _logger;
};

} // namespace ExternalContacts
