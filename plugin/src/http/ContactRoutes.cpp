#include "http/ContactRoutes.h"

#include "domain/AccessPolicy.h"
#include "domain/ContactValidator.h"
#include "domain/ValidationError.h"
#include "http/ContactJson.h"
#include "http/HttpError.h"
#include "http/QueryString.h"
#include "http/RouteSupport.h"
#include <Poco/JSON/Array.h>

namespace ExternalContacts
{

namespace
{

// The caller may use the contact routes at all: anonymous callers are asked
// to sign in, external users are refused.
void requireMember(const Actor& actor)
{
	if (actor.kind == Actor::Kind::Anonymous) throw HttpError::unauthenticated();
	if (actor.kind != Actor::Kind::Member) throw HttpError::forbidden("external users may not use external contacts");
}

} // namespace

ContactRoutes::ContactRoutes(ContactService& service, MemberSearchService& members, std::size_t defaultLimit,
							 const ErrorResponder& responder, AccountService* accounts) :
	_service(service),
	_members(members), _accounts(accounts), _defaultLimit(defaultLimit), _table(*this, responder)
{
}

void ContactRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/contacts", &ContactRoutes::listContacts);
	_table.add("POST", "/contacts", &ContactRoutes::createContact);
	_table.add("GET", "/contacts/{id}", &ContactRoutes::getContact);
	_table.add("PATCH", "/contacts/{id}", &ContactRoutes::updateContact);
	_table.add("DELETE", "/contacts/{id}", &ContactRoutes::deleteContact);
	_table.add("GET", "/groups", &ContactRoutes::listGroups);
	_table.add("GET", "/members", &ContactRoutes::searchMembers);
	_table.registerWith(host);
}

ListRequest ContactRoutes::listRequest(const HostSdk::Request& request, bool paged) const
{
	QueryString query(request.query());
	ListRequest list;
	std::string scope = query.get("scope", "mine");
	if (scope == "mine")
		list.scope = AccessPolicy::Scope::Mine;
	else if (scope == "all")
		list.scope = AccessPolicy::Scope::All;
	else
		throw ValidationError::failed("scope", "scope must be mine or all");
	std::string source = query.get("source", "");
	if (!source.empty())
	{
		list.source = parseContactSource(source);
		if (!list.source) throw ValidationError::failed("source", "source must be created, wechat_invite or other_org");
	}
	list.search = query.get("q", "");
	if (!paged) return list;
	list.cursor = query.get("cursor", "");
	list.limit = query.limit(_defaultLimit);
	return list;
}

void ContactRoutes::listContacts(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::actorOf(request);
	requireMember(actor);
	ContactPage page = _service.list(actor, listRequest(request, true));
	RouteSupport::sendJson(response, 200, ContactJson::page(page));
}

void ContactRoutes::listGroups(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::actorOf(request);
	requireMember(actor);
	GroupList groups = _service.groups(actor, listRequest(request, false));
	RouteSupport::sendJson(response, 200, ContactJson::groups(groups));
}

void ContactRoutes::createContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::actorOf(request);
	requireMember(actor);
	Poco::JSON::Object::Ptr body = RouteSupport::body(request);
	ContactFields draft = ContactValidator::validateCreate(*body);
	ContactView view =
		_service.create(actor, draft, RouteSupport::remoteAddr(request), ContactValidator::confirmDuplicate(*body));
	response.setHeader("Location", "/api/plugins/external-contacts/contacts/" + std::to_string(view.contact.id));
	RouteSupport::sendJson(response, 201, ContactJson::detail(view));
}

void ContactRoutes::getContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	// External users, ids that cannot exist and contacts the caller may not
	// see all answer as a missing contact.
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	std::optional<ContactView> view = _service.get(actor, id);
	if (!view) throw HttpError::notFound();
	RouteSupport::sendJson(response, 200, ContactJson::card(*view));
}

void ContactRoutes::updateContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	ContactEdit edit = ContactValidator::validateEdit(*RouteSupport::body(request));
	ContactView view = _service.update(actor, id, edit, RouteSupport::remoteAddr(request));
	RouteSupport::sendJson(response, 200, ContactJson::detail(view));
}

void ContactRoutes::deleteContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	_service.remove(actor, id, RouteSupport::remoteAddr(request));
	// R6.6: the contact's account is disabled and its sessions end.
	if (_accounts) _accounts->contactDeleted(actor, id, RouteSupport::remoteAddr(request));
	// R5: a person of another org leaves the org's external users.
	if (_deletionListener) _deletionListener(actor.orgId, id);
	response.setHeader("Cache-Control", "no-store");
	response.setStatus(204);
}

void ContactRoutes::searchMembers(const HostSdk::Request& request, const HostSdk::Response& response)
{
	// Anonymous callers 401, external users the 404 of every contact route.
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	std::optional<std::string> q = query.get("q");
	if (!q) throw ValidationError::failed("q", "q is required");
	std::vector<Directory::MemberMatch> matches =
		_members.search(actor, *q, query.limit(MemberSearchService::LIMIT_DEFAULT));
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const Directory::MemberMatch& match : matches)
	{
		Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		item->set("id", match.id);
		item->set("displayName", match.displayName);
		item->set("login", match.login);
		items->add(item);
	}
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	answer->set("items", items);
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

} // namespace ExternalContacts
