#include "MenuAccess.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace RefHost
{

MenuAccess::MenuAccess(Database& db) : _db(db) {}

std::map<MenuAccess::Key, MenuOverride> MenuAccess::overrides(Poco::Int64 orgId)
{
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT plugin_id, menu_id, open_to_external, min_security_level FROM menu_access WHERE org_id = ?",
		use(orgId), now;
	RecordSet rs(st);
	std::map<Key, MenuOverride> result;
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
	{
		MenuOverride o;
		Poco::Dynamic::Var open = rs.value(2, r);
		Poco::Dynamic::Var level = rs.value(3, r);
		if (!open.isEmpty()) o.openToExternal = open.convert<Poco::Int64>() != 0;
		if (!level.isEmpty()) o.minSecurityLevel = static_cast<int>(level.convert<Poco::Int64>());
		result[{rs.value(0, r).convert<std::string>(), rs.value(1, r).convert<std::string>()}] = o;
	}
	return result;
}

void MenuAccess::set(Poco::Int64 orgId, const std::string& pluginId, const std::string& menuId,
					 const MenuOverride& value)
{
	if (value.minSecurityLevel && (*value.minSecurityLevel < MIN_LEVEL || *value.minSecurityLevel > MAX_LEVEL))
		throw Poco::InvalidArgumentException("minSecurityLevel must be between -999 and 1000");
	if (pluginId.empty() || pluginId.size() > 64 || menuId.empty() || menuId.size() > 128)
		throw Poco::InvalidArgumentException("menu item ids are too long to be configured");
	// Both values are checked integers: written as literals so that NULL needs no special binding.
	std::string open = value.openToExternal ? (*value.openToExternal ? "1" : "0") : "NULL";
	std::string level = value.minSecurityLevel ? std::to_string(*value.minSecurityLevel) : "NULL";
	_db.write(
		[&](Poco::Data::Session& s)
		{
			s << "DELETE FROM menu_access WHERE org_id = ? AND plugin_id = ? AND menu_id = ?", use(orgId),
				useRef(pluginId), useRef(menuId), now;
			if (!value.openToExternal && !value.minSecurityLevel) return;
			s << "INSERT INTO menu_access (org_id, plugin_id, menu_id, open_to_external, min_security_level) VALUES "
				 "(?, ?, ?, " +
					 open + ", " + level + ")",
				use(orgId), useRef(pluginId), useRef(menuId), now;
		});
}

MenuOverride MenuAccess::registered(const Poco::JSON::Object::Ptr& registration)
{
	MenuOverride r;
	if (!registration) return r;
	if (registration->has("openToExternal") && !registration->isNull("openToExternal"))
		r.openToExternal = registration->getValue<bool>("openToExternal");
	if (registration->has("minSecurityLevel") && !registration->isNull("minSecurityLevel"))
		r.minSecurityLevel = registration->getValue<int>("minSecurityLevel");
	return r;
}

MenuEffective MenuAccess::effective(const Poco::JSON::Object::Ptr& registration, const MenuOverride* override)
{
	MenuOverride reg = registered(registration);
	MenuEffective e;
	if (override && override->openToExternal)
		e.openToExternal = *override->openToExternal;
	else
		e.openToExternal = reg.openToExternal.value_or(false);
	e.minSecurityLevel = override && override->minSecurityLevel ? override->minSecurityLevel : reg.minSecurityLevel;
	return e;
}

} // namespace RefHost
