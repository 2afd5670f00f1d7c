#pragma once

#include "http/ContactRoutes.h"
#include "service/ContactWeChatService.h"
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>

namespace ExternalContacts
{

class ContactWeChatRoutes
/// The WeChat identity on the contact card (docs/API.md), under
/// /api/plugins/external-contacts (members only; the host checks CSRF):
///   DELETE /contacts/{id}/wechat   解除绑定 (204; 404 when nothing is bound)
/// The identity itself is read with the contact (GET /contacts/{id},
/// "wechat"). Failures are answered by ContactRoutes::run.
{
public:
	ContactWeChatRoutes(ContactService& contacts, ContactRoutes& common);

	void registerWith(const HostSdk::HostApi& host);

	void unbind(const HostSdk::Request& request, const HostSdk::Response& response);

	using Handler = void (ContactWeChatRoutes::*)(const HostSdk::Request&, const HostSdk::Response&);

	template <Handler H>
	static hostsdk_status entry(void* routes, const hostsdk_request_v1* request,
								const hostsdk_response_v1* response) noexcept
	{
		auto* self = static_cast<ContactWeChatRoutes*>(routes);
		self->_common.run([self](const HostSdk::Request& in, const HostSdk::Response& out) { (self->*H)(in, out); },
						  request, response);
		return HOSTSDK_OK;
	}

private:
	ContactWeChatService _service;
	ContactRoutes& _common;
};

} // namespace ExternalContacts
