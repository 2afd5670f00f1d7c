#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/ApplicationLog.h"
#include "service/ApplicationService.h"
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class ApplicationLogRoutes
/// The back office's log of account applications (R6.5; docs/API.md):
///   GET /admin/applications?status=&from=&to=&applicant=&q=&cursor=&limit=
///   GET /admin/applications/export   the same filter as CSV
/// Failures are answered by the ErrorResponder.
{
public:
	ApplicationLogRoutes(ApplicationLog& log, ApplicationService& applications, std::size_t defaultLimit,
						 const ErrorResponder& responder);
	/// log reads the entries, applications names the people in them.

	void registerWith(const HostSdk::HostApi& host);

	void applicationLog(const HostSdk::Request& request, const HostSdk::Response& response);
	void exportApplicationLog(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<ApplicationLogRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	ApplicationLog& _log;
	ApplicationService& _applications;
	std::size_t _defaultLimit;
	RouteTable<ApplicationLogRoutes> _table;
};

} // namespace ExternalContacts
