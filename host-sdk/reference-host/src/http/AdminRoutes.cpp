#include "AdminRoutes.h"

#include "RouteSupport.h"
#include <Poco/JSON/Array.h>

namespace RefHost
{

namespace
{

// A main.nav item with what the plugin registered, the org's switches and
// the effect of both.
Poco::JSON::Object::Ptr menuJson(const MenuRegistration& m, const std::map<MenuAccess::Key, MenuOverride>& overrides,
								 const std::string& locale)
{
	auto found = overrides.find({m.pluginId, m.id});
	const MenuOverride* override = found == overrides.end() ? nullptr : &found->second;
	MenuEffective effective = MenuAccess::effective(m.item, override);
	MenuOverride reg = MenuAccess::registered(m.item);
	auto level = [](const std::optional<int>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); };
	auto flag = [](const std::optional<bool>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); };
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("pluginId", m.pluginId);
	o->set("id", m.id);
	o->set("location", m.location);
	o->set("label", RouteSupport::localized(m.item->get("label"), locale));
	o->set("openToExternal", effective.openToExternal);
	o->set("minSecurityLevel", level(effective.minSecurityLevel));
	Poco::JSON::Object::Ptr registered = new Poco::JSON::Object;
	registered->set("openToExternal", reg.openToExternal.value_or(false));
	registered->set("minSecurityLevel", level(reg.minSecurityLevel));
	o->set("registered", registered);
	Poco::JSON::Object::Ptr overridden = new Poco::JSON::Object;
	overridden->set("openToExternal", flag(override ? override->openToExternal : std::nullopt));
	overridden->set("minSecurityLevel", level(override ? override->minSecurityLevel : std::nullopt));
	o->set("override", overridden);
	return o;
}

} // namespace

void AdminRoutes::pages(RouteRequest& request)
{
	std::string locale = request.ex.locale();
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const PageRegistration& p : request.ctx.plugins->backofficePages())
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("pluginId", p.pluginId);
		o->set("section", p.page->getValue<std::string>("section"));
		o->set("sectionLabel", RouteSupport::localized(p.page->get("sectionLabel"), locale));
		o->set("id", p.page->getValue<std::string>("id"));
		o->set("label", RouteSupport::localized(p.page->get("label"), locale));
		o->set("target", p.page->optValue<std::string>("target", ""));
		o->set("module", p.page->optValue<std::string>("module", ""));
		items->add(o);
	}
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	request.ex.sendJson(200, root);
}

void AdminRoutes::menus(RouteRequest& request)
{
	Poco::Int64 orgId = request.me().membership.orgId;
	std::map<MenuAccess::Key, MenuOverride> overrides = request.ctx.menuAccess->overrides(orgId);
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const MenuRegistration& m : request.ctx.plugins->menus("main.nav"))
		items->add(menuJson(m, overrides, request.ex.locale()));
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	request.ex.sendJson(200, root);
}

void AdminRoutes::setMenu(RouteRequest& request)
{
	Poco::Int64 orgId = request.me().membership.orgId;
	std::optional<MenuRegistration> item;
	for (const MenuRegistration& m : request.ctx.plugins->menus("main.nav"))
		if (m.pluginId == request.param("pluginId") && m.id == request.param("menuId")) item = m;
	if (!item) throw HttpError(404, "not_found", "no such menu item");
	Poco::JSON::Object::Ptr body = request.ex.jsonBody();
	for (const auto& key : body->getNames())
		if (key != "openToExternal" && key != "minSecurityLevel")
			throw HttpError(400, "unknown_field", "unknown field " + key, key);
	MenuOverride value;
	if (body->has("openToExternal") && !body->isNull("openToExternal"))
	{
		Poco::Dynamic::Var v = body->get("openToExternal");
		if (v.type() != typeid(bool))
			throw HttpError(400, "validation_failed", "openToExternal must be true, false or null", "openToExternal");
		value.openToExternal = v.extract<bool>();
	}
	if (body->has("minSecurityLevel") && !body->isNull("minSecurityLevel"))
	{
		Poco::Dynamic::Var v = body->get("minSecurityLevel");
		Poco::Int64 level = 0;
		if (!v.isInteger() || v.type() == typeid(bool) || (level = v.convert<Poco::Int64>()) < MenuAccess::MIN_LEVEL ||
			level > MenuAccess::MAX_LEVEL)
			throw HttpError(400, "validation_failed", "minSecurityLevel must be an integer from -999 to 1000 or null",
							"minSecurityLevel");
		value.minSecurityLevel = static_cast<int>(level);
	}
	try
	{
		request.ctx.menuAccess->set(orgId, item->pluginId, item->id, value);
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw HttpError(400, "validation_failed", e.message(), "minSecurityLevel");
	}
	request.ex.sendJson(200, menuJson(*item, request.ctx.menuAccess->overrides(orgId), request.ex.locale()));
}

void AdminRoutes::orgSettings(RouteRequest& request)
{
	Poco::Int64 orgId = request.me().membership.orgId;
	if (request.ex.method() == "PUT")
	{
		Poco::JSON::Object::Ptr body = request.ex.jsonBody();
		for (const auto& key : body->getNames())
			if (key != "defaultSecurityLevel") throw HttpError(400, "unknown_field", "unknown field " + key, key);
		if (!body->has("defaultSecurityLevel") || !body->get("defaultSecurityLevel").isInteger() ||
			body->get("defaultSecurityLevel").isBoolean())
			throw HttpError(400, "validation_failed", "defaultSecurityLevel must be an integer",
							"defaultSecurityLevel");
		Poco::Int64 level = body->getValue<Poco::Int64>("defaultSecurityLevel");
		if (level < -999 || level > 0)
			throw HttpError(400, "validation_failed", "defaultSecurityLevel must be between -999 and 0",
							"defaultSecurityLevel");
		request.ctx.directory->setDefaultSecurityLevel(orgId, static_cast<int>(level));
		Poco::JSON::Object payload;
		payload.set("orgId", orgId);
		payload.set("setting", "defaultSecurityLevel");
		payload.set("value", level);
		request.ctx.plugins->fireHook(HOSTSDK_HOOK_ORG_SETTING_HAS_CHANGED, RouteSupport::stringify(payload));
	}
	std::optional<Org> org = request.ctx.directory->orgById(orgId);
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("orgId", orgId);
	root->set("defaultSecurityLevel", org->defaultSecurityLevel);
	request.ex.sendJson(200, root);
}

} // namespace RefHost
