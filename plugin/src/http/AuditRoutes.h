#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
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
/// Failures are answered by the ErrorResponder.
{
public:
	AuditRoutes(AuditService& service, const ErrorResponder& responder);

	void registerWith(const HostSdk::HostApi& host);

	void list(const HostSdk::Request& request, const HostSdk::Response& response);
	void exportCsv(const HostSdk::Request& request, const HostSdk::Response& response);

	static Poco::JSON::Object::Ptr toJson(const AuditService::Item& item);

	const RouteTable<AuditRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	AuditService& _service;
	RouteTable<AuditRoutes> _table;
};

} // namespace ExternalContacts
