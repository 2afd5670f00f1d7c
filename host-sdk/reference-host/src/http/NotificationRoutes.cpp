#include "NotificationRoutes.h"

#include "PluginRouteBridge.h"
#include "RouteSupport.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>

namespace RefHost
{

void NotificationRoutes::list(RouteRequest& request)
{
	Exchange& ex = request.ex;
	NotificationCenter& notifications = *request.ctx.notifications;
	const Caller& caller = request.me();
	int limit = RouteSupport::limit(ex);
	Poco::Int64 before = RouteSupport::cursor(ex);
	NotificationCenter::Page page = notifications.list(caller.user.id, before, limit);
	std::string locale = ex.locale();
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	Poco::JSON::Parser parser;
	for (const Notification& n : page.items)
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("id", n.id);
		o->set("orgId", n.orgId);
		o->set("type", n.type);
		o->set("title", RouteSupport::localized(parser.parse(n.titleJson), locale));
		parser.reset();
		o->set("body", RouteSupport::localized(parser.parse(n.bodyJson), locale));
		parser.reset();
		Poco::JSON::Array::Ptr actions = new Poco::JSON::Array;
		Poco::JSON::Array::Ptr stored = parser.parse(n.actionsJson).extract<Poco::JSON::Array::Ptr>();
		parser.reset();
		for (std::size_t i = 0; stored && i < stored->size(); ++i)
		{
			Poco::JSON::Object::Ptr a = stored->getObject(static_cast<unsigned>(i));
			Poco::JSON::Object::Ptr action = new Poco::JSON::Object;
			action->set("id", a->getValue<std::string>("id"));
			action->set("label", RouteSupport::localized(a->get("label"), locale));
			actions->add(action);
		}
		o->set("actions", actions);
		o->set("state", n.state);
		if (!n.outcomeJson.empty())
		{
			o->set("outcome", parser.parse(n.outcomeJson));
			parser.reset();
		}
		o->set("createdAt", n.createdAt);
		items->add(o);
	}
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	root->set("nextCursor", RouteSupport::nextCursor(page.nextBeforeId));
	root->set("unread", notifications.unreadCount(caller.user.id));
	ex.sendJson(200, root);
}

void NotificationRoutes::unreadCount(RouteRequest& request)
{
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("count", request.ctx.notifications->unreadCount(request.me().user.id));
	request.ex.sendJson(200, root);
}

void NotificationRoutes::markRead(RouteRequest& request)
{
	if (!request.ctx.notifications->markRead(RouteSupport::pathId(request, "id", "notification"), request.me().user.id))
		throw HttpError(404, "not_found", "no such notification");
	request.ex.sendEmpty(204);
}

void NotificationRoutes::act(RouteRequest& request)
{
	HostContext& ctx = request.ctx;
	const Caller& caller = request.me();
	std::optional<Notification> n =
		ctx.notifications->get(RouteSupport::pathId(request, "id", "notification"), caller.user.id);
	if (!n) throw HttpError(404, "not_found", "no such notification");
	Poco::JSON::Parser parser;
	Poco::JSON::Array::Ptr actions = parser.parse(n->actionsJson).extract<Poco::JSON::Array::Ptr>();
	Poco::JSON::Object::Ptr action;
	for (std::size_t i = 0; actions && i < actions->size(); ++i)
		if (actions->getObject(static_cast<unsigned>(i))->getValue<std::string>("id") == request.param("action"))
			action = actions->getObject(static_cast<unsigned>(i));
	if (!action) throw HttpError(404, "not_found", "no such action");
	if (n->state == "handled") throw HttpError(409, "conflict", "this notification has already been handled");
	Caller actor = caller;
	if (n->orgId != 0 && n->orgId != caller.membership.orgId)
	{
		// Act in the org the notification belongs to, as long as the user still belongs to it.
		std::optional<Membership> m = ctx.directory->membership(n->orgId, caller.user.id);
		if (!m) throw HttpError(404, "not_found", "no such notification");
		actor.membership = *m;
		actor.permissions.reset(); // read for the session's org only
	}
	std::string method = action->optValue<std::string>("method", "POST");
	std::string path = action->getValue<std::string>("path");
	std::string body = request.ex.body();
	if (body.empty() && action->has("body"))
	{
		std::ostringstream s;
		Poco::JSON::Stringifier::stringify(action->get("body"), s);
		body = s.str();
	}
	bool exists = false;
	auto call = ctx.plugins->matchRoute(n->pluginId, method, path, false, exists);
	if (!call) throw HttpError(404, "not_found", "the action's target is not available");
	ctx.notifications->markRead(n->id, caller.user.id);
	PluginRouteBridge::call(request, *call, &actor, path, body);
}

} // namespace RefHost
