#pragma once

#include "http/ContactRoutes.h"
#include "service/OrgRequestService.h"
#include <Poco/JSON/Object.h>
#include <hostsdk/HostApi.h>
#include <string>

namespace ExternalContacts
{

class OrgRequestRoutes
/// 从其他组织添加 (R5; docs/API.md), under /api/plugins/external-contacts:
///   GET  /directory/search?orgName=&q=    members of another org (masked)
///   POST /org-requests                    {"orgId","userId"}: send a request (201)
///   GET  /org-requests?box=outgoing|incoming&limit=&cursor=
///   POST /org-requests/{id}/accept|decline  the person answers
/// The incoming box and the answers are open to external users too (the
/// person asked may be one in the org they are in); the rest to members.
///   POST /org-requests/{id}/cancel          the requester takes it back
/// Failures are answered by ContactRoutes::run.
{
public:
	OrgRequestRoutes(OrgRequestService& service, ContactRoutes& common);

	void registerWith(const HostSdk::HostApi& host);

	void search(const HostSdk::Request& request, const HostSdk::Response& response);
	void create(const HostSdk::Request& request, const HostSdk::Response& response);
	void list(const HostSdk::Request& request, const HostSdk::Response& response);
	void accept(const HostSdk::Request& request, const HostSdk::Response& response);
	void decline(const HostSdk::Request& request, const HostSdk::Response& response);
	void cancel(const HostSdk::Request& request, const HostSdk::Response& response);

	static Poco::JSON::Object::Ptr toJson(const OrgRequest& request, Poco::Int64 nowMs);

	using Handler = void (OrgRequestRoutes::*)(const HostSdk::Request&, const HostSdk::Response&);

	template <Handler H>
	static hostsdk_status entry(void* routes, const hostsdk_request_v1* request,
								const hostsdk_response_v1* response) noexcept
	{
		auto* self = static_cast<OrgRequestRoutes*>(routes);
		self->_common.run([self](const HostSdk::Request& in, const HostSdk::Response& out) { (self->*H)(in, out); },
						  request, response);
		return HOSTSDK_OK;
	}

private:
	Actor caller(const HostSdk::Request& request) const;
	/// A member of the current org (anyone else: 401 / 404).
	Actor person(const HostSdk::Request& request) const;
	/// Anyone logged in, member or external user (else 401).
	void sendOne(const HostSdk::Response& response, int status, const OrgRequest& request);

	OrgRequestService& _service;
	ContactRoutes& _common;
};

} // namespace ExternalContacts
