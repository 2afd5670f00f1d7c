#pragma once

#include "http/ContactRoutes.h"
#include "service/AuditService.h"
#include <Poco/JSON/Object.h>
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class AuditRoutes
/// The back office's org-wide audit log (R10; docs/API.md), under
/// /api/plugins/external-contacts, admins only:
///   GET /admin/audit?actor=&action=&contact=&from=&to=&cursor=&limit=
///   GET /admin/audit/export?actor=&action=&contact=&from=&to=   (CSV)
/// Failures are answered by ContactRoutes::run.
{
public:
	AuditRoutes(AuditService& service, ContactRoutes& common);

	void registerWith(const HostSdk::HostApi& host);

	void list(const HostSdk::Request& request, const HostSdk::Response& response);
	void exportCsv(const HostSdk::Request& request, const HostSdk::Response& response);

	static Poco::JSON::Object::Ptr toJson(const AuditService::Item& item);

	using Handler = void (AuditRoutes::*)(const HostSdk::Request&, const HostSdk::Response&);

	template <Handler H>
	static hostsdk_status entry(void* routes, const hostsdk_request_v1* request,
								const hostsdk_response_v1* response) noexcept
	{
		auto* self = static_cast<AuditRoutes*>(routes);
		self->_common.run([self](const HostSdk::Request& in, const HostSdk::Response& out) { (self->*H)(in, out); },
						  request, response);
		return HOSTSDK_OK;
	}

private:
	AuditService& _service;
	ContactRoutes& _common;
};

} // namespace ExternalContacts
