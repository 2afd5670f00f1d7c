#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/TransferService.h"
#include "service/TransferWorker.h"
#include <Poco/JSON/Object.h>
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class TransferRoutes
/// 在职继承 (docs/API.md), under /api/plugins/external-contacts, for admins
/// and maintain-holders:
///   POST /transfers       {"fromUserId","toUserId","contactIds":[..] | "all":true} → 202 {transfer}
///   GET  /transfers/{id}  the transfer's progress
///   GET  /transfers?limit=&cursor=   the org's transfers, newest first
///   GET  /transfers/contacts?fromUserId=&limit=&cursor=   a giver's contacts to choose from
/// A started transfer goes to the worker; reading one that runs without a
/// node (its node died) hands it to the worker again. Failures are answered
/// by the ErrorResponder.
{
public:
	TransferRoutes(TransferService& service, TransferWorker& worker, const ErrorResponder& responder);

	void registerWith(const HostSdk::HostApi& host);

	void create(const HostSdk::Request& request, const HostSdk::Response& response);
	void get(const HostSdk::Request& request, const HostSdk::Response& response);
	void list(const HostSdk::Request& request, const HostSdk::Response& response);
	void candidates(const HostSdk::Request& request, const HostSdk::Response& response);

	static Poco::JSON::Object::Ptr toJson(const TransferService::Item& item);

	const RouteTable<TransferRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	TransferService& _service;
	TransferWorker& _worker;
	RouteTable<TransferRoutes> _table;
};

} // namespace ExternalContacts
