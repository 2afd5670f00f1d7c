#include "MeRoutes.h"

#include "RouteSupport.h"
#include <Poco/JSON/Array.h>
#include <Poco/String.h>
#include <algorithm>

namespace RefHost
{

namespace
{

// The JSON body of a personal-settings route, with no field but fields.
Poco::JSON::Object::Ptr personalBody(Exchange& ex, const std::vector<std::string>& fields)
{
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	for (const auto& key : body->getNames())
		if (std::find(fields.begin(), fields.end(), key) == fields.end())
			throw HttpError(400, "unknown_field", "unknown field " + key, key);
	return body;
}

// A string field of at most 4096 bytes; "" when absent and not required.
std::string text(const Poco::JSON::Object::Ptr& body, const std::string& field, bool required)
{
	if (!body->has(field) || body->isNull(field))
	{
		if (required) throw HttpError(400, "validation_failed", field + " is required", field);
		return std::string();
	}
	if (!body->get(field).isString()) throw HttpError(400, "validation_failed", field + " must be a string", field);
	std::string v = body->getValue<std::string>(field);
	if (v.size() > 4096) throw HttpError(400, "validation_failed", field + " is too long", field);
	return v;
}

// After the profile changed: plugins that keep a copy of it (e.g. a contact
// linked to this account) follow it; the answer is /api/me's.
void profileChanged(RouteRequest& request)
{
	Caller caller = request.me();
	std::optional<User> user = request.ctx.directory->userById(caller.user.id);
	if (user)
	{
		caller.user = *user;
		Poco::JSON::Object payload;
		payload.set("userId", user->id);
		payload.set("displayName", user->displayName);
		payload.set("title", user->title);
		payload.set("email", user->email);
		payload.set("mobile", user->mobile);
		request.ctx.plugins->fireHook(HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED, RouteSupport::stringify(payload));
	}
	request.ex.sendJson(200, MeRoutes::json(request, caller));
}

} // namespace

Poco::JSON::Object::Ptr MeRoutes::json(const RouteRequest& request, const Caller& caller)
{
	Directory& directory = *request.ctx.directory;
	Poco::JSON::Object::Ptr user = new Poco::JSON::Object;
	user->set("id", caller.user.id);
	user->set("login", caller.user.login);
	user->set("displayName", caller.user.displayName);
	user->set("title", caller.user.title);
	user->set("email", caller.user.email);
	user->set("mobile", caller.user.mobile);
	user->set("discoverable", caller.user.discoverable);
	user->set("locale", request.ex.locale());
	Poco::JSON::Object::Ptr org = new Poco::JSON::Object;
	org->set("id", caller.membership.orgId);
	org->set("name", caller.membership.orgName);
	org->set("kind", caller.membership.kind);
	org->set("isAdmin", caller.membership.isAdmin);
	org->set("securityLevel", caller.membership.securityLevel);
	Poco::JSON::Array::Ptr orgs = new Poco::JSON::Array;
	for (const Membership& m : directory.membershipsOfUser(caller.user.id))
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("id", m.orgId);
		o->set("name", m.orgName);
		o->set("kind", m.kind);
		orgs->add(o);
	}
	Poco::JSON::Array::Ptr perms = new Poco::JSON::Array;
	if (caller.membership.kind == "member")
		for (const std::string& p : directory.permissionsOf(caller.user.id, caller.membership.orgId))
			perms->add(p);
	Poco::JSON::Object::Ptr me = new Poco::JSON::Object;
	me->set("user", user);
	me->set("org", org);
	me->set("orgs", orgs);
	me->set("permissions", perms);
	me->set("csrfToken", caller.session.csrfToken);
	return me;
}

void MeRoutes::me(RouteRequest& request)
{
	request.ex.sendJson(200, json(request, request.me()));
}

void MeRoutes::switchOrg(RouteRequest& request)
{
	Caller caller = request.me();
	Poco::JSON::Object::Ptr body = request.ex.jsonBody();
	Poco::Int64 orgId = 0;
	if (!body->has("orgId") || !body->get("orgId").isInteger() || (orgId = body->getValue<Poco::Int64>("orgId")) <= 0)
		throw HttpError(400, "validation_failed", "orgId must be a positive integer", "orgId");
	if (!request.ctx.sessions->switchOrg(caller.session.idHash, caller.user.id, orgId))
		throw HttpError(404, "not_found", "no such organization");
	caller.session.orgId = orgId;
	caller.membership = *request.ctx.directory->membership(orgId, caller.user.id);
	request.ex.sendJson(200, json(request, caller));
}

void MeRoutes::profile(RouteRequest& request)
{
	Poco::JSON::Object::Ptr body = personalBody(request.ex, {"displayName", "title", "discoverable"});
	const Caller& caller = request.me();
	std::optional<bool> discoverable;
	if (body->has("discoverable"))
	{
		if (!body->get("discoverable").isBoolean())
			throw HttpError(400, "validation_failed", "discoverable must be true or false", "discoverable");
		discoverable = body->getValue<bool>("discoverable");
	}
	request.ctx.personal->updateProfile(caller.user.id, text(body, "displayName", true), text(body, "title", false),
										discoverable);
	profileChanged(request);
}

void MeRoutes::password(RouteRequest& request)
{
	Poco::JSON::Object::Ptr body = personalBody(request.ex, {"currentPassword", "newPassword"});
	const Caller& caller = request.me();
	std::string current = text(body, "currentPassword", true);
	std::string next = text(body, "newPassword", true);
	request.ctx.personal->changePassword(caller.user.id, caller.session.idHash, current, next);
	request.ex.sendEmpty(204);
}

void MeRoutes::bindContact(RouteRequest& request)
{
	Poco::JSON::Object::Ptr body = personalBody(request.ex, {"channel", "value"});
	const Caller& caller = request.me();
	std::string channel = text(body, "channel", true);
	request.ctx.personal->requestBinding(caller.user.id, channel, Poco::trim(text(body, "value", true)));
	request.ex.sendEmpty(202);
}

void MeRoutes::confirmContact(RouteRequest& request)
{
	Poco::JSON::Object::Ptr body = personalBody(request.ex, {"channel", "code"});
	const Caller& caller = request.me();
	std::string channel = text(body, "channel", true);
	request.ctx.personal->confirmBinding(caller.user.id, channel, Poco::trim(text(body, "code", true)));
	profileChanged(request);
}

void MeRoutes::menus(RouteRequest& request)
{
	Exchange& ex = request.ex;
	HostContext& ctx = request.ctx;
	const Caller& caller = request.me();
	std::string location = ex.queryParam("location");
	if (location.empty()) throw HttpError(400, "validation_failed", "location is required", "location");
	std::string locale = ex.locale();
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	bool external = caller.membership.kind == "external";
	// The back office's switches (R7.2) win over what the plugin registered.
	std::map<MenuAccess::Key, MenuOverride> overrides;
	if (ctx.menuAccess) overrides = ctx.menuAccess->overrides(caller.membership.orgId);
	for (const MenuRegistration& m : ctx.plugins->menus(location))
	{
		const Poco::JSON::Object::Ptr& reg = m.item;
		auto found = overrides.find({m.pluginId, m.id});
		MenuEffective effective = MenuAccess::effective(reg, found == overrides.end() ? nullptr : &found->second);
		if (!effective.visibleTo(external, caller.membership.securityLevel)) continue;
		std::string permission = reg->optValue<std::string>("permission", "");
		if (!permission.empty() && !ctx.directory->hasPermission(caller.user.id, caller.membership.orgId, permission))
			continue;
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("id", m.id);
		o->set("pluginId", m.pluginId);
		o->set("label", RouteSupport::localized(reg->get("label"), locale));
		o->set("order", m.order);
		o->set("target", reg->optValue<std::string>("target", ""));
		o->set("module", reg->optValue<std::string>("module", ""));
		o->set("available", reg->optValue<bool>("available", true));
		items->add(o);
	}
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	ex.sendJson(200, root);
}

} // namespace RefHost
