#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/AccountService.h"
#include "service/ContactService.h"
#include "service/HistoryService.h"
#include "service/SharingService.h"
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class SharingRoutes
/// Who sees a contact and what happened to it (docs/API.md), under
/// /api/plugins/external-contacts:
///   GET|PUT /contacts/{id}/permissions visible members, security level
///   GET|PUT /contacts/{id}/shares      the share list
///   GET /contacts/{id}/history         the audit entries, for editors
/// Failures are answered by the ErrorResponder.
{
public:
	SharingRoutes(ContactService& service, std::size_t defaultLimit, const ErrorResponder& responder,
				  AccountService* accounts = nullptr);
	/// accounts, when given, sends a new security level to the
	/// contact's person at the host.

	void registerWith(const HostSdk::HostApi& host);

	void getPermissions(const HostSdk::Request& request, const HostSdk::Response& response);
	void putPermissions(const HostSdk::Request& request, const HostSdk::Response& response);
	void getShares(const HostSdk::Request& request, const HostSdk::Response& response);
	void putShares(const HostSdk::Request& request, const HostSdk::Response& response);
	void getHistory(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<SharingRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	SharingService _sharing;
	HistoryService _history;
	std::size_t _defaultLimit;
	RouteTable<SharingRoutes> _table;
};

} // namespace ExternalContacts
