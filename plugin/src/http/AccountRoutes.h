#pragma once

#include "http/ErrorResponder.h"
#include "http/HostMetrics.h"
#include "http/RouteTable.h"
#include "service/AccountService.h"
#include "service/ApplicationService.h"
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class AccountRoutes
/// A contact's account (R3, R6.4; docs/API.md), under
/// /api/plugins/external-contacts:
///   GET  /contacts/{id}/account        the 账号信息 tab
///   POST /contacts/{id}/applications   申请开通 (201)
///   POST /applications/{id}/approve|reject  one decision
///   POST /contacts/{id}/account/activation-link
///   POST /contacts/{id}/account[/disable|/enable|/reset]  direct
/// Failures are answered by the ErrorResponder.
{
public:
	using Logger = ErrorResponder::Logger;

	AccountRoutes(ApplicationService& applications, AccountService& accounts, Logger logger,
				  const ErrorResponder& responder);
	/// applications takes and decides applications, accounts answers the
	/// rest; logger receives failed notifications (HOSTSDK_LOG_* levels).

	void registerWith(const HostSdk::HostApi& host);

	void countWith(HostMetrics* metrics)
	/// metrics, when given, counts application decisions; it outlives the routes.
	{
		_metrics = metrics;
	}

	void getAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void applyForAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void approveApplication(const HostSdk::Request& request, const HostSdk::Response& response);
	void rejectApplication(const HostSdk::Request& request, const HostSdk::Response& response);
	void activationLink(const HostSdk::Request& request, const HostSdk::Response& response);
	void assignAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void disableAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void enableAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void resetAccount(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<AccountRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	void changeAccount(const HostSdk::Request& request, const HostSdk::Response& response,
					   AccountService::AccountChange change);

	ApplicationService& _applications;
	AccountService& _accounts;
	Logger _logger;
	HostMetrics* _metrics = nullptr;
	RouteTable<AccountRoutes> _table;
};

} // namespace ExternalContacts
