#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
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
/// Failures are answered by the ErrorResponder.
{
public:
	OrgRequestRoutes(OrgRequestService& service, const ErrorResponder& responder);

	void registerWith(const HostSdk::HostApi& host);

	void search(const HostSdk::Request& request, const HostSdk::Response& response);
	void create(const HostSdk::Request& request, const HostSdk::Response& response);
	void list(const HostSdk::Request& request, const HostSdk::Response& response);
	void accept(const HostSdk::Request& request, const HostSdk::Response& response);
	void decline(const HostSdk::Request& request, const HostSdk::Response& response);
	void cancel(const HostSdk::Request& request, const HostSdk::Response& response);

	static Poco::JSON::Object::Ptr toJson(const OrgRequest& request, Poco::Int64 nowMs);

	const RouteTable<OrgRequestRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	Actor caller(const HostSdk::Request& request) const;
	/// A member of the current org (anyone else: 401 / 404).
	Actor person(const HostSdk::Request& request) const;
	/// Anyone logged in, member or external user (else 401).
	void sendOne(const HostSdk::Response& response, int status, const OrgRequest& request);

	OrgRequestService& _service;
	RouteTable<OrgRequestRoutes> _table;
};

} // namespace ExternalContacts
