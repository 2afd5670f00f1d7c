#include "http/GroupMaintainerRoutes.h"

#include "domain/ContactValidator.h"
#include "domain/Exceptions.h"
#include "http/ContactJson.h"
#include "http/QueryString.h"
#include "http/RouteSupport.h"

namespace ExternalContacts
{

GroupMaintainerRoutes::GroupMaintainerRoutes(GroupMaintainerService& groupMaintainers, std::size_t defaultLimit,
											 const ErrorResponder& responder) :
	_groupMaintainers(groupMaintainers),
	_defaultLimit(defaultLimit), _table(*this, responder)
{
}

void GroupMaintainerRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/admin/group-maintainers", &GroupMaintainerRoutes::listGroupMaintainers);
	_table.add("PUT", "/admin/group-maintainers", &GroupMaintainerRoutes::putGroupMaintainers);
	_table.registerWith(host);
}

void GroupMaintainerRoutes::listGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response)
{
	// External users answer 404 (contactActor), other members 403 (service).
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	GroupMaintainerService::Page page =
		_groupMaintainers.list(actor, query.get("cursor", ""), query.limit(_defaultLimit));
	RouteSupport::sendJson(response, 200, ContactJson::toString(ContactJson::groupMaintainers(page)));
}

void GroupMaintainerRoutes::putGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	// Non-admins are refused before their body is looked at.
	if (!actor.isAdmin) throw AccessDeniedException("only admins may set group maintainers");
	GroupMaintainers change = ContactValidator::validateGroupMaintainers(*RouteSupport::body(request));
	GroupMaintainerService::Entry entry = _groupMaintainers.set(actor, change, RouteSupport::remoteAddr(request));
	RouteSupport::sendJson(response, 200, ContactJson::toString(ContactJson::groupMaintainers(entry)));
}

} // namespace ExternalContacts
