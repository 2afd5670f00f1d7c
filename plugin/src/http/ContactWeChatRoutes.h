#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/ContactWeChatService.h"
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>

namespace ExternalContacts
{

class ContactWeChatRoutes
/// The WeChat identity on the contact card (docs/API.md), under
/// /api/plugins/external-contacts (members only; the host checks CSRF):
///   DELETE /contacts/{id}/wechat             解除绑定 (204; 404 when nothing is bound)
///   GET    /contacts/{id}/wechat/proposal    the pending WeChat proposal, or null
///   POST   /wechat-proposals/{id}/confirm    确认绑定 (200; 409 once decided)
///   POST   /wechat-proposals/{id}/ignore     忽略 (200; 409 once decided)
/// The proposal routes answer 404 to whoever may not edit the contact. The
/// identity itself is read with the contact (GET /contacts/{id}, "wechat").
/// Failures are answered by the ErrorResponder.
{
public:
	ContactWeChatRoutes(ContactWeChatService& service, const ErrorResponder& responder);

	void registerWith(const HostSdk::HostApi& host);

	void unbind(const HostSdk::Request& request, const HostSdk::Response& response);
	void proposal(const HostSdk::Request& request, const HostSdk::Response& response);
	void confirm(const HostSdk::Request& request, const HostSdk::Response& response);
	void ignore(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<ContactWeChatRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	void decide(const HostSdk::Request& request, const HostSdk::Response& response, bool confirm);

	ContactWeChatService& _service;
	RouteTable<ContactWeChatRoutes> _table;
};

} // namespace ExternalContacts
