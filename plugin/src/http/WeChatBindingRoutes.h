#pragma once

#include "http/ContactRoutes.h"
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

	WeChatBindingRoutes(WeChatAuthService& wechat, ContactRoutes& common, std::string publicBaseUrl,
						ContactRoutes::Logger logger);

	void registerWith(const HostSdk::HostApi& host);

	void get(const HostSdk::Request& request, const HostSdk::Response& response);
	void authorize(const HostSdk::Request& request, const HostSdk::Response& response);
	void unbind(const HostSdk::Request& request, const HostSdk::Response& response);
	void callback(const HostSdk::Request& request, const HostSdk::Response& response);

	using Handler = void (WeChatBindingRoutes::*)(const HostSdk::Request&, const HostSdk::Response&);

	template <Handler H>
	static hostsdk_status entry(void* routes, const hostsdk_request_v1* request,
								const hostsdk_response_v1* response) noexcept
	{
		auto* self = static_cast<WeChatBindingRoutes*>(routes);
		self->_common.run([self](const HostSdk::Request& in, const HostSdk::Response& out) { (self->*H)(in, out); },
						  request, response);
		return HOSTSDK_OK;
	}

private:
	Actor user(const HostSdk::Request& request) const;
	void sendState(const HostSdk::Response& response, const std::optional<WeChatIdentity>& bound);

	WeChatAuthService& _wechat;
	ContactRoutes& _common;
	std::string _publicBaseUrl;
	ContactRoutes::Logger _logger;
};

} // namespace ExternalContacts
