#pragma once

#include "Database.h"
#include <Poco/JSON/Object.h>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace RefHost
{

struct MenuOverride
/// An org's back-office setting for one menu item; an empty field means
/// "as the plugin registered it".
{
	std::optional<bool> openToExternal;
	std::optional<int> minSecurityLevel;
};

struct MenuEffective
/// What applies to a menu item in an org: the override, else the
/// registration. No minSecurityLevel means no minimum.
{
	bool openToExternal = false;
	std::optional<int> minSecurityLevel;

	bool visibleTo(bool external, int securityLevel) const
	{
		if (external && !openToExternal) return false;
		return !minSecurityLevel || securityLevel >= *minSecurityLevel;
	}
};

class MenuAccess
/// The back office's per-org switches over registered menu items (R7.2):
/// open to external users and minimum security level (table menu_access).
{
public:
	static constexpr int MIN_LEVEL = -999;
	static constexpr int MAX_LEVEL = 1000;

	using Key = std::pair<std::string, std::string>; // plugin id, menu id

	explicit MenuAccess(Database& db);

	std::map<Key, MenuOverride> overrides(Poco::Int64 orgId);
	/// The org's overrides by plugin id and menu id.

	void set(Poco::Int64 orgId, const std::string& pluginId, const std::string& menuId, const MenuOverride& value);
	/// Stores the override (both fields empty removes it). Throws
	/// Poco::InvalidArgumentException for a level outside MIN_LEVEL..MAX_LEVEL
	/// (message starts with "minSecurityLevel") or ids that are too long.

	static MenuOverride registered(const Poco::JSON::Object::Ptr& registration);
	/// openToExternal and minSecurityLevel as the plugin registered them.

	static MenuEffective effective(const Poco::JSON::Object::Ptr& registration, const MenuOverride* override);
	/// override ?? registration ?? (closed to external users, no minimum).

private:
	Database& _db;
};

} // namespace RefHost
