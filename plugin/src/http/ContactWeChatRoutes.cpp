#include "http/ContactWeChatRoutes.h"

#include "http/RouteSupport.h"

#include "http/ContactJson.h"

namespace ExternalContacts
{

namespace
{

/// A proposal as the card and the notice's caller see it: never openid or
/// unionid.
Poco::JSON::Object::Ptr proposalJson(const WeChatProposal& p, WeChatProposal::Status status)
{
	Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
	out->set("id", p.id);
	out->set("contactId", p.contactId);
	out->set("nickname", p.wechat.nickname);
	out->set("avatarUrl", p.wechat.avatarUrl);
	out->set("proposedAt", p.wechat.boundAt);
	out->set("expiresAt", p.expiresAt);
	out->set("status", WeChatProposal::statusName(status));
	return out;
}

} // namespace

ContactWeChatRoutes::ContactWeChatRoutes(ContactWeChatService& service, const ErrorResponder& responder) :
	_service(service), _table(*this, responder)
{
}

void ContactWeChatRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("DELETE", "/contacts/{id}/wechat", &ContactWeChatRoutes::unbind);
	_table.add("GET", "/contacts/{id}/wechat/proposal", &ContactWeChatRoutes::proposal);
	_table.add("POST", "/wechat-proposals/{id}/confirm", &ContactWeChatRoutes::confirm);
	_table.add("POST", "/wechat-proposals/{id}/ignore", &ContactWeChatRoutes::ignore);
	_table.registerWith(host);
}

void ContactWeChatRoutes::unbind(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	_service.unbind(actor, id, RouteSupport::remoteAddr(request));
	response.setHeader("Cache-Control", "no-store");
	response.setStatus(204);
}

void ContactWeChatRoutes::proposal(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	std::optional<WeChatProposal> pending = _service.pendingProposal(actor, id);
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	// pendingProposal() answers only one that has not lapsed: it is pending.
	answer->set("proposal", pending ? Poco::Dynamic::Var(proposalJson(*pending, WeChatProposal::Status::Pending))
									: Poco::Dynamic::Var());
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void ContactWeChatRoutes::confirm(const HostSdk::Request& request, const HostSdk::Response& response)
{
	decide(request, response, true);
}

void ContactWeChatRoutes::ignore(const HostSdk::Request& request, const HostSdk::Response& response)
{
	decide(request, response, false);
}

void ContactWeChatRoutes::decide(const HostSdk::Request& request, const HostSdk::Response& response, bool confirm)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	std::string addr = RouteSupport::remoteAddr(request);
	ContactWeChatService::Decided decided =
		confirm ? _service.confirm(actor, id, addr) : _service.ignore(actor, id, addr);
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("proposal", proposalJson(decided.proposal, decided.proposal.status));
	if (decided.wechat)
	{
		Poco::JSON::Object::Ptr wechat = new Poco::JSON::Object;
		wechat->set("bound", true);
		wechat->set("nickname", decided.wechat->nickname);
		wechat->set("avatarUrl", decided.wechat->avatarUrl);
		wechat->set("boundAt", decided.wechat->boundAt);
		answer->set("wechat", wechat);
	}
	else
		answer->set("wechat", Poco::Dynamic::Var());
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

} // namespace ExternalContacts
