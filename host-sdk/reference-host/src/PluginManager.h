#pragma once

#include "Database.h"
#include "hostsdk/abi.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/SharedLibrary.h>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace RefHost
{

class Directory;
class NotificationCenter;
class SessionManager;
class ExternalAccounts;
class Metrics;

POCO_DECLARE_EXCEPTION(, PluginLoadException, Poco::Exception)

struct RouteRegistration
{
	std::string pluginId;
	std::string method;
	std::string pattern;
	std::vector<std::string> segments;
	uint32_t flags = 0;
	hostsdk_on_request_fn fn = nullptr;
	void* user = nullptr;
};

struct MenuRegistration
{
	std::string pluginId;
	std::string location;
	std::string id;
	int order = 0;
	Poco::JSON::Object::Ptr item; // as registered
};

struct PageRegistration
{
	std::string pluginId;
	Poco::JSON::Object::Ptr page;
};

struct PluginSlot;

class PluginManager
/// Loads plugins through the C ABI, keeps what they registered, and
/// calls into them. A plugin's registrations live exactly as long as it
/// is active; deactivate() waits for in-flight calls to return first.
{
public:
	struct Services
	{
		Database* db = nullptr;
		Directory* directory = nullptr;
		NotificationCenter* notifications = nullptr;
		SessionManager* sessions = nullptr;
		ExternalAccounts* accounts = nullptr; // account.create_pending / reset / set_security_level
		Metrics* metrics = nullptr;           // plugin call counts and cb_metric_add; null: not recorded
		std::string sqlRoot;
		std::string hostVersion;
		std::map<std::string, std::string> config; // flat "plugin.<id>.<key>" -> value
		Poco::Int64 clockOffsetMs = 0;
	};

	explicit PluginManager(const Services& services);
	~PluginManager();

	std::vector<std::string> loadAll(const std::string& directory);
	/// Loads every lib*.so in directory; refusals are logged, not thrown.

	std::string load(const std::string& path);
	/// Loads, configures and activates one plugin; returns its id.
	/// Throws PluginLoadException with a message naming the file and the
	/// reason (no entry symbol, ABI major mismatch, configure failure...).

	void deactivate(const std::string& pluginId);
	/// Drops the plugin's registrations, waits for in-flight calls, calls
	/// on_deactivate and on_destroy and unloads the library.

	std::vector<std::string> activePlugins() const;

	struct RouteCall
	{
		RouteRegistration route;
		std::map<std::string, std::string> params;
	};
	std::optional<RouteCall> matchRoute(const std::string& pluginId, const std::string& method,
										const std::string& subpath, bool publicMount, bool& pathExists) const;
	/// The registration for method + subpath; pathExists tells whether the
	/// path matched with another method (405 rather than 404).

	hostsdk_status callRoute(const RouteCall& call, const hostsdk_request_v1& request,
							 const hostsdk_response_v1& response);
	/// Calls the handler while holding the plugin's in-flight guard;
	/// HOSTSDK_E_UNAVAILABLE when the plugin went away meanwhile.

	std::vector<MenuRegistration> menus(const std::string& location) const;
	std::vector<PageRegistration> backofficePages() const;

	hostsdk_status renderQr(const std::string& kind, const std::string& text, const std::string& format, int size,
							std::string& out, std::string& err);

	hostsdk_status runWillHook(uint32_t hookId, const std::string& payload, std::string& out,
							   std::string* refusal = nullptr);
	/// Passes payload through every plugin's hook in load order; out is
	/// the last changed payload (or payload when nobody changed it).
	/// The first failure (a veto: HOSTSDK_E_DENIED) ends the walk; its
	/// status is returned and, with refusal, what the plugin wrote to
	/// err (its message, for the one who asked).

	bool hasHooks(uint32_t hookId) const;
	/// True when an active plugin registered hookId.

	void fireHook(uint32_t hookId, const std::string& payload);
	/// "has been" hooks: every failure is logged, none propagates.

	static std::vector<std::string> splitPath(const std::string& path);
	/// The non-empty segments of a '/'-separated path.

	const Services& services() const
	{
		return _services;
	}

	// Called by the host table's callbacks (PluginHostTable.cpp).
	hostsdk_status registerRoute(PluginSlot& slot, const hostsdk_route_v1& route, std::string& err);
	hostsdk_status registerMenu(PluginSlot& slot, const std::string& json, std::string& err);
	hostsdk_status registerPage(PluginSlot& slot, const std::string& json, std::string& err);
	hostsdk_status registerQr(PluginSlot& slot, const std::string& kind, hostsdk_on_qr_render_fn fn, void* user,
							  std::string& err);
	hostsdk_status registerHook(PluginSlot& slot, uint32_t hookId, hostsdk_on_hook_fn fn, void* user, std::string& err);

private:
	struct QrRegistration
	{
		std::string pluginId;
		hostsdk_on_qr_render_fn fn;
		void* user;
	};
	struct HookRegistration
	{
		std::string pluginId;
		uint32_t hookId;
		hostsdk_on_hook_fn fn;
		void* user;
	};

	std::vector<HookRegistration> hooksFor(uint32_t hookId) const;
	void dropRegistrations(const std::string& pluginId);
	std::shared_ptr<PluginSlot> slot(const std::string& pluginId) const;
	void destroySlot(PluginSlot& slot);

	Services _services;
	mutable std::shared_mutex _mutex; // guards everything below
	std::vector<std::shared_ptr<PluginSlot>> _slots;
	std::vector<RouteRegistration> _routes;
	std::vector<MenuRegistration> _menus;
	std::vector<PageRegistration> _pages;
	std::map<std::string, QrRegistration> _qr;
	std::vector<HookRegistration> _hooks;
};

} // namespace RefHost
