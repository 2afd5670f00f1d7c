#include "http/OrgRequestRoutes.h"

#include "http/RouteSupport.h"

#include "domain/ValidationError.h"
#include "http/BodyReaders.h"
#include "http/ContactJson.h"
#include "http/HttpError.h"
#include "http/QueryString.h"
#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>

namespace ExternalContacts
{

OrgRequestRoutes::OrgRequestRoutes(OrgRequestService& service, const ErrorResponder& responder) :
	_service(service), _table(*this, responder)
{
}

void OrgRequestRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/directory/search", &OrgRequestRoutes::search);
	_table.add("POST", "/org-requests", &OrgRequestRoutes::create);
	// The person asked may be an external user in the org they are in: the
	// incoming box and the answers are open to them (while the 外部联系人申请
	// menu is open to external users there, R7.2).
	_table.add("GET", "/org-requests", &OrgRequestRoutes::list, HOSTSDK_ROUTE_EXTERNAL);
	_table.add("POST", "/org-requests/{id}/accept", &OrgRequestRoutes::accept, HOSTSDK_ROUTE_EXTERNAL);
	_table.add("POST", "/org-requests/{id}/decline", &OrgRequestRoutes::decline, HOSTSDK_ROUTE_EXTERNAL);
	_table.add("POST", "/org-requests/{id}/cancel", &OrgRequestRoutes::cancel);
	_table.registerWith(host);
}

Actor OrgRequestRoutes::caller(const HostSdk::Request& request) const
{
	return RouteSupport::member(request);
}

Actor OrgRequestRoutes::person(const HostSdk::Request& request) const
{
	Actor actor = RouteSupport::actorOf(request);
	if (actor.kind == Actor::Kind::Anonymous) throw HttpError::unauthenticated();
	return actor;
}

Poco::JSON::Object::Ptr OrgRequestRoutes::toJson(const OrgRequest& r, Poco::Int64 nowMs)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("id", r.id);
	o->set("status", OrgRequest::statusName(r.statusAt(nowMs)));
	o->set("orgId", r.orgId);
	o->set("requesterId", r.requesterId);
	Poco::JSON::Object::Ptr target = new Poco::JSON::Object;
	target->set("userId", r.targetUserId);
	target->set("displayName", r.targetName);
	target->set("orgId", r.targetOrgId);
	target->set("orgName", r.targetOrgName);
	o->set("target", target);
	o->set("createdAt", r.createdAt);
	o->set("expiresAt", r.expiresAt);
	o->set("decidedAt", r.decidedAt ? Poco::Dynamic::Var(*r.decidedAt) : Poco::Dynamic::Var());
	o->set("contactId", r.contactId ? Poco::Dynamic::Var(*r.contactId) : Poco::Dynamic::Var());
	return o;
}

void OrgRequestRoutes::sendOne(const HostSdk::Response& response, int status, const OrgRequest& request)
{
	RouteSupport::sendJson(response, status, ContactJson::toString(toJson(request, _service.nowMs())));
}

void OrgRequestRoutes::search(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = caller(request);
	QueryString query(request.query());
	Directory::Found found = _service.search(actor, query.get("orgName", ""), query.get("q", ""));
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const Directory::FoundMember& m : found.items)
	{
		Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
		item->set("userId", m.userId);
		item->set("displayName", m.displayName);
		item->set("title", m.title);
		item->set("mobileMasked", m.mobileMasked);
		item->set("emailMasked", m.emailMasked);
		items->add(item);
	}
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	if (found.orgId)
	{
		Poco::JSON::Object::Ptr org = new Poco::JSON::Object;
		org->set("id", found.orgId);
		org->set("name", found.orgName);
		answer->set("org", org);
	}
	else
	{
		answer->set("org", Poco::Dynamic::Var());
	}
	answer->set("items", items);
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void OrgRequestRoutes::create(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = caller(request);
	BodyReaders::OrgRequestTarget target = BodyReaders::orgRequestTarget(*RouteSupport::body(request));
	sendOne(response, 201, _service.request(actor, target.orgId, target.userId, RouteSupport::remoteAddr(request)));
}

void OrgRequestRoutes::list(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = person(request);
	QueryString query(request.query());
	std::string box = query.get("box", "outgoing");
	if (box != "outgoing" && box != "incoming")
		throw ValidationError::failed("box", "box must be outgoing or incoming");
	bool incoming = box == "incoming";
	if (!incoming) actor = caller(request); // one's own requests: members only
	std::optional<Poco::Int64> before = query.idCursor();
	std::size_t limit = query.limit(20);
	OrgRequestService::Page page =
		incoming ? _service.incoming(actor, before, limit) : _service.outgoing(actor, before, limit);
	Poco::Int64 now = _service.nowMs();
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const OrgRequest& r : page.items)
	{
		Poco::JSON::Object::Ptr item = toJson(r, now);
		if (incoming)
		{
			// Who asks, from which org: what the person needs to answer.
			Poco::JSON::Object::Ptr requester = new Poco::JSON::Object;
			requester->set("userId", r.requesterId);
			requester->set("displayName", page.requesterNames[r.requesterId]);
			requester->set("orgId", r.orgId);
			requester->set("orgName", page.orgNames[r.orgId]);
			item->set("requester", requester);
		}
		items->add(item);
	}
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("items", items);
	answer->set("nextCursor",
				page.nextBefore ? Poco::Dynamic::Var(std::to_string(*page.nextBefore)) : Poco::Dynamic::Var());
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void OrgRequestRoutes::accept(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = person(request);
	sendOne(response, 200, _service.accept(actor, RouteSupport::pathId(request), RouteSupport::remoteAddr(request)));
}

void OrgRequestRoutes::decline(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = person(request);
	sendOne(response, 200, _service.decline(actor, RouteSupport::pathId(request), RouteSupport::remoteAddr(request)));
}

void OrgRequestRoutes::cancel(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = caller(request);
	sendOne(response, 200, _service.cancel(actor, RouteSupport::pathId(request), RouteSupport::remoteAddr(request)));
}

} // namespace ExternalContacts
