#include "http/ContactWeChatRoutes.h"

namespace ExternalContacts
{

ContactWeChatRoutes::ContactWeChatRoutes(ContactService& contacts, ContactRoutes& common) :
	_service(contacts), _common(common)
{
}

void ContactWeChatRoutes::registerWith(const HostSdk::HostApi& host)
{
	host.registerRoute("DELETE", "/contacts/{id}/wechat", 0, &entry<&ContactWeChatRoutes::unbind>, this);
}

void ContactWeChatRoutes::unbind(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = _common.contactActor(request);
	Poco::Int64 id = _common.contactId(request);
	_service.unbind(actor, id, ContactRoutes::remoteAddr(request));
	response.setHeader("Cache-Control", "no-store");
	response.setStatus(204);
}

} // namespace ExternalContacts
