#include "http/SharingRoutes.h"

#include "domain/ContactValidator.h"
#include "domain/ValidationError.h"
#include "http/ContactJson.h"
#include "http/QueryString.h"
#include "http/RouteSupport.h"

namespace ExternalContacts
{

SharingRoutes::SharingRoutes(ContactService& service, std::size_t defaultLimit, const ErrorResponder& responder,
							 AccountService* accounts) :
	_sharing(service, accounts ? &accounts->persons() : nullptr),
	_history(service), _defaultLimit(defaultLimit), _table(*this, responder)
{
}

void SharingRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/contacts/{id}/permissions", &SharingRoutes::getPermissions);
	_table.add("PUT", "/contacts/{id}/permissions", &SharingRoutes::putPermissions);
	_table.add("GET", "/contacts/{id}/shares", &SharingRoutes::getShares);
	_table.add("PUT", "/contacts/{id}/shares", &SharingRoutes::putShares);
	_table.add("GET", "/contacts/{id}/history", &SharingRoutes::getHistory);
	_table.registerWith(host);
}

void SharingRoutes::getPermissions(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	ContactView view = _sharing.permissions(actor, RouteSupport::pathId(request));
	RouteSupport::sendJson(response, 200, ContactJson::toString(ContactJson::permissions(view)));
}

void SharingRoutes::putPermissions(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	ContactPermissions permissions = ContactValidator::validatePermissions(*RouteSupport::body(request));
	ContactView view = _sharing.setPermissions(actor, id, permissions, RouteSupport::remoteAddr(request));
	RouteSupport::sendJson(response, 200, ContactJson::toString(ContactJson::permissions(view)));
}

void SharingRoutes::getShares(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	std::vector<ContactView::Person> members = _sharing.shares(actor, RouteSupport::pathId(request));
	RouteSupport::sendJson(response, 200, ContactJson::toString(ContactJson::members(members)));
}

void SharingRoutes::putShares(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	std::vector<Poco::Int64> memberIds = ContactValidator::validateShares(*RouteSupport::body(request));
	std::vector<ContactView::Person> members =
		_sharing.setShares(actor, id, memberIds, RouteSupport::remoteAddr(request));
	RouteSupport::sendJson(response, 200, ContactJson::toString(ContactJson::members(members)));
}

void SharingRoutes::getHistory(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	QueryString query(request.query());
	std::string cursor = query.get("cursor", "");
	std::optional<Poco::Int64> before = RouteSupport::idOf(cursor);
	if (!cursor.empty() && !before) throw ValidationError::failed("cursor", "cursor is not one this list handed out");
	HistoryService::Page page = _history.history(actor, id, before.value_or(0), query.limit(_defaultLimit));
	RouteSupport::sendJson(response, 200, ContactJson::toString(ContactJson::history(page)));
}

} // namespace ExternalContacts
