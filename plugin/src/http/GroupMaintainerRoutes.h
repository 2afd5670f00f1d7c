#pragma once

#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/GroupMaintainerService.h"
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class GroupMaintainerRoutes
/// The maintainers of the contact groups (admins only; docs/API.md):
///   GET|PUT /admin/group-maintainers
/// Failures are answered by the ErrorResponder.
{
public:
	GroupMaintainerRoutes(GroupMaintainerService& groupMaintainers, std::size_t defaultLimit,
						  const ErrorResponder& responder);

	void registerWith(const HostSdk::HostApi& host);

	void listGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response);
	void putGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<GroupMaintainerRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	GroupMaintainerService& _groupMaintainers;
	std::size_t _defaultLimit;
	RouteTable<GroupMaintainerRoutes> _table;
};

} // namespace ExternalContacts
