#include "http/InvitationRoutes.h"

#include "http/RouteSupport.h"

#include "domain/ValidationError.h"
#include "http/BodyReaders.h"
#include "http/ContactJson.h"
#include "http/HttpError.h"
#include "http/QueryString.h"
#include "qr/QrImage.h"
#include <Poco/JSON/Array.h>
#include <Poco/String.h>

namespace ExternalContacts
{

InvitationRoutes::InvitationRoutes(InvitationService& service, const ErrorResponder& responder,
								   std::string publicBaseUrl) :
	_service(service),
	_table(*this, responder), _publicBaseUrl(std::move(publicBaseUrl))
{
	while (!_publicBaseUrl.empty() && _publicBaseUrl.back() == '/')
		_publicBaseUrl.pop_back();
}

void InvitationRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("POST", "/invitations", &InvitationRoutes::create);
	_table.add("GET", "/invitations", &InvitationRoutes::list);
	_table.add("POST", "/invitations/{id}/regenerate", &InvitationRoutes::regenerate);
	_table.add("DELETE", "/invitations/{id}", &InvitationRoutes::revoke);
	_table.add("GET", "/invitations/{id}/qr.png", &InvitationRoutes::qrPng);
	_table.add("GET", "/invitations/{id}/qr.svg", &InvitationRoutes::qrSvg);
	_table.registerWith(host);
}

std::string InvitationRoutes::siteOf(const std::string& publicBaseUrl, const HostSdk::Request& request)
{
	if (!publicBaseUrl.empty()) return publicBaseUrl;
	Poco::JSON::Object::Ptr headers = RouteSupport::headers(request);
	std::string host = headers->optValue<std::string>("host", "");
	bool clean = !host.empty() && host.size() <= 255 &&
				 host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
					 std::string::npos;
	if (!clean) throw HttpError(400, "bad_request", "the request has no usable Host header", "host");
	std::string proto = Poco::toLower(headers->optValue<std::string>("x-forwarded-proto", ""));
	return (proto == "https" ? "https://" : "http://") + host;
}

Poco::JSON::Object::Ptr InvitationRoutes::toJson(const Invitation& invitation, Poco::Int64 nowMs)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("id", invitation.id);
	o->set("state", Invitation::stateName(invitation.stateAt(nowMs)));
	o->set("createdAt", invitation.createdAt);
	o->set("expiresAt", invitation.expiresAt);
	o->set("ttlHours", invitation.ttlHours);
	o->set("maxUses", invitation.maxUses ? Poco::Dynamic::Var(*invitation.maxUses) : Poco::Dynamic::Var());
	o->set("uses", invitation.uses);
	o->set("revokedAt", invitation.revokedAt ? Poco::Dynamic::Var(*invitation.revokedAt) : Poco::Dynamic::Var());
	o->set("lastUsedAt", invitation.lastUsedAt ? Poco::Dynamic::Var(*invitation.lastUsedAt) : Poco::Dynamic::Var());
	return o;
}

void InvitationRoutes::sendIssued(const HostSdk::Request& request, const HostSdk::Response& response,
								  const InvitationService::Issued& issued)
{
	Poco::Int64 now = _service.nowMs();
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("invitation", toJson(issued.invitation, now));
	answer->set("url", siteOf(_publicBaseUrl, request) + "/invite/" + issued.token);
	answer->set("token", issued.token);
	if (issued.revoked) answer->set("revoked", toJson(*issued.revoked, now));
	RouteSupport::sendJson(response, 201, ContactJson::toString(answer));
}

void InvitationRoutes::create(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	InvitationSettings settings = BodyReaders::invitationSettings(*RouteSupport::body(request));
	sendIssued(request, response, _service.create(actor, settings, RouteSupport::remoteAddr(request)));
}

void InvitationRoutes::list(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	std::size_t limit = query.limit(20);
	std::optional<Poco::Int64> before = query.idCursor();
	InvitationService::Page page = _service.list(actor, before, limit);
	Poco::Int64 now = _service.nowMs();
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const Invitation& invitation : page.items)
		items->add(toJson(invitation, now));
	Poco::JSON::Object::Ptr settings = new Poco::JSON::Object;
	settings->set("ttlHoursMin", Invitation::TTL_HOURS_MIN);
	settings->set("ttlHoursMax", Invitation::TTL_HOURS_MAX);
	settings->set("ttlHoursDefault", Invitation::TTL_HOURS_DEFAULT);
	settings->set("maxUsesMax", Invitation::MAX_USES_MAX);
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("items", items);
	answer->set("nextCursor",
				page.nextBefore ? Poco::Dynamic::Var(std::to_string(*page.nextBefore)) : Poco::Dynamic::Var());
	answer->set("settings", settings);
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void InvitationRoutes::regenerate(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	sendIssued(request, response, _service.regenerate(actor, id, RouteSupport::remoteAddr(request)));
}

void InvitationRoutes::revoke(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	Invitation invitation = _service.revoke(actor, id, RouteSupport::remoteAddr(request));
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("invitation", toJson(invitation, _service.nowMs()));
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void InvitationRoutes::qrPng(const HostSdk::Request& request, const HostSdk::Response& response)
{
	qr(request, response, true);
}

void InvitationRoutes::qrSvg(const HostSdk::Request& request, const HostSdk::Response& response)
{
	qr(request, response, false);
}

void InvitationRoutes::qr(const HostSdk::Request& request, const HostSdk::Response& response, bool png)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	QueryString query(request.query());
	int size = Qr::MODULE_PIXELS_DEFAULT;
	if (std::optional<std::string> text = query.get("size"))
	{
		size = static_cast<int>(QueryString::digits(*text, 3).value_or(0));
		if (size < Qr::MODULE_PIXELS_MIN || size > Qr::MODULE_PIXELS_MAX)
			throw ValidationError::failed("size", "size must be an integer from 2 to 32 (pixels per module)");
	}
	std::string token = RouteSupport::headers(request)->optValue<std::string>("x-invite-token", "");
	_service.requireOwn(actor, id, token);
	std::string link = siteOf(_publicBaseUrl, request) + "/invite/" + token;
	std::string image = png ? Qr::renderPng(link, size) : Qr::renderSvg(link, size);
	// The image depends only on the link and the size: the browser may keep
	// it privately; another token is another image.
	response.setHeader("Cache-Control", "private, max-age=3600");
	response.setHeader("Vary", "X-Invite-Token");
	if (!png) response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
	response.send(200, png ? "image/png" : "image/svg+xml", image);
}

} // namespace ExternalContacts
