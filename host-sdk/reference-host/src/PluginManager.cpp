#include "PluginManager.h"

#include "Metrics.h"
#include "PluginSlot.h"
#include "RoutePattern.h"
#include "hostsdk/Error.h"
#include "hostsdk/support/JsonPayload.h"
#include <Poco/DirectoryIterator.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/RegularExpression.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>

namespace RefHost
{

POCO_IMPLEMENT_EXCEPTION(PluginLoadException, Poco::Exception, "Plugin refused")

namespace
{

// The plugins this thread is inside right now (a route that calls the host,
// which fires a hook back into the same plugin).
thread_local std::vector<const PluginSlot*> tEntered;

class InflightGuard
/// Holds a plugin's in-flight lock for a call into it. Re-entering the
/// same plugin on the same thread does not lock again: a second shared
/// lock by one thread is undefined and can deadlock against deactivate().
{
public:
	explicit InflightGuard(PluginSlot& slot)
	{
		if (std::find(tEntered.begin(), tEntered.end(), &slot) == tEntered.end())
			_lock = std::shared_lock<std::shared_mutex>(slot.inflight);
		tEntered.push_back(&slot);
	}

	~InflightGuard()
	{
		tEntered.pop_back();
	}

	InflightGuard(const InflightGuard&) = delete;
	InflightGuard& operator=(const InflightGuard&) = delete;

private:
	std::shared_lock<std::shared_mutex> _lock;
};

} // namespace

std::vector<std::string> PluginManager::splitPath(const std::string& path)
{
	std::vector<std::string> segments;
	Poco::StringTokenizer tok(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& s : tok)
		segments.push_back(s);
	return segments;
}

PluginManager::PluginManager(const Services& services) : _services(services) {}

PluginManager::~PluginManager()
{
	for (const std::string& id : activePlugins())
		deactivate(id);
}

std::vector<std::string> PluginManager::loadAll(const std::string& directory)
{
	std::vector<std::string> paths;
	for (Poco::DirectoryIterator it(directory), end; it != end; ++it)
	{
		const std::string name = it.name();
		if (it->isFile() && name.size() > 6 && name.compare(0, 3, "lib") == 0 &&
			name.compare(name.size() - 3, 3, ".so") == 0)
			paths.push_back(it->path());
	}
	std::sort(paths.begin(), paths.end());
	std::vector<std::string> loaded;
	for (const std::string& p : paths)
	{
		try
		{
			loaded.push_back(load(p));
		}
		catch (const PluginLoadException& e)
		{
			Poco::Logger::get("PluginManager").error(e.message());
		}
	}
	return loaded;
}

std::string PluginManager::load(const std::string& path)
{
	auto slot = std::make_shared<PluginSlot>();
	slot->manager = this;
	slot->path = path;
	const std::string file = Poco::Path(path).getFileName();
	try
	{
		slot->library.load(path);
	}
	catch (const Poco::Exception& e)
	{
		throw PluginLoadException("plugin " + file + " refused: cannot load library: " + e.displayText());
	}
	if (!slot->library.hasSymbol(HOSTSDK_ENTRY_SYMBOL))
	{
		slot->library.unload();
		throw PluginLoadException("plugin " + file +
								  " refused: it does not export the entry symbol " HOSTSDK_ENTRY_SYMBOL);
	}
	auto entry = reinterpret_cast<hostsdk_plugin_entry_fn>(slot->library.getSymbol(HOSTSDK_ENTRY_SYMBOL));
	fillHostTable(*slot);
	slot->plugin.struct_size = sizeof(hostsdk_plugin_v1);
	HostSdk::StringSink err;
	hostsdk_status st = entry(&slot->host, &slot->plugin, err.sink());
	auto refuse = [&](const std::string& why)
	{
		// Only a table of our own major version may be touched beyond its header.
		if (st == HOSTSDK_OK && slot->plugin.abi_major == HOSTSDK_ABI_MAJOR && slot->plugin.on_destroy)
			slot->plugin.on_destroy(slot->plugin.ctx);
		slot->library.unload();
		throw PluginLoadException("plugin " + file + " refused: " + why);
	};
	if (st != HOSTSDK_OK)
		refuse("entry returned status " + std::to_string(st) + (err.str().empty() ? "" : ": " + err.str()));
	if (slot->plugin.abi_major != HOSTSDK_ABI_MAJOR)
		refuse("built for host SDK ABI major " + std::to_string(slot->plugin.abi_major) + ", this host speaks " +
			   std::to_string(HOSTSDK_ABI_MAJOR));
	static const Poco::RegularExpression idPattern("^[a-z0-9][a-z0-9.-]{0,63}$");
	if (!slot->plugin.id || !idPattern.match(slot->plugin.id)) refuse("missing or malformed plugin id");
	if (!slot->plugin.on_configure || !slot->plugin.on_activate || !slot->plugin.on_deactivate ||
		!slot->plugin.on_destroy)
		refuse("plugin table is missing lifecycle functions");
	slot->id = slot->plugin.id;
	slot->version = slot->plugin.version ? slot->plugin.version : "0.0.0";
	if (this->slot(slot->id)) refuse("a plugin with id " + slot->id + " is already loaded");
	slot->logger = &Poco::Logger::get("plugin." + slot->id);
	{
		std::unique_lock<std::shared_mutex> lock(_mutex);
		_slots.push_back(slot);
	}

	Poco::JSON::Object config;
	const std::string prefix = "plugin." + slot->id + ".";
	for (const auto& kv : _services.config)
		if (kv.first.compare(0, prefix.size(), prefix) == 0) config.set(kv.first.substr(prefix.size()), kv.second);
	std::ostringstream configJson;
	config.stringify(configJson);
	HostSdk::StringSink cerr;
	st = slot->plugin.on_configure(slot->plugin.ctx, configJson.str().c_str(), cerr.sink());
	if (st == HOSTSDK_OK)
	{
		slot->activating = true;
		st = slot->plugin.on_activate(slot->plugin.ctx, cerr.sink());
		slot->activating = false;
	}
	if (st != HOSTSDK_OK)
	{
		dropRegistrations(slot->id);
		{
			std::unique_lock<std::shared_mutex> lock(_mutex);
			_slots.erase(std::remove(_slots.begin(), _slots.end(), slot), _slots.end());
		}
		slot->plugin.on_deactivate(slot->plugin.ctx);
		slot->plugin.on_destroy(slot->plugin.ctx);
		slot->library.unload();
		throw PluginLoadException("plugin " + slot->id + " (" + file + ") failed to start: status " +
								  std::to_string(st) + (cerr.str().empty() ? "" : ": " + cerr.str()));
	}
	slot->active = true;
	Poco::Logger::get("PluginManager").information("plugin %s %s loaded from %s", slot->id, slot->version, path);
	return slot->id;
}

std::shared_ptr<PluginSlot> PluginManager::slot(const std::string& pluginId) const
{
	std::shared_lock<std::shared_mutex> lock(_mutex);
	for (const auto& s : _slots)
		if (s->id == pluginId) return s;
	return nullptr;
}

std::vector<std::string> PluginManager::activePlugins() const
{
	std::shared_lock<std::shared_mutex> lock(_mutex);
	std::vector<std::string> ids;
	for (const auto& s : _slots)
		if (s->active) ids.push_back(s->id);
	return ids;
}

void PluginManager::dropRegistrations(const std::string& pluginId)
{
	std::unique_lock<std::shared_mutex> lock(_mutex);
	auto byPlugin = [&](const auto& r) { return r.pluginId == pluginId; };
	_routes.erase(std::remove_if(_routes.begin(), _routes.end(), byPlugin), _routes.end());
	_menus.erase(std::remove_if(_menus.begin(), _menus.end(), byPlugin), _menus.end());
	_pages.erase(std::remove_if(_pages.begin(), _pages.end(), byPlugin), _pages.end());
	_hooks.erase(std::remove_if(_hooks.begin(), _hooks.end(), byPlugin), _hooks.end());
	for (auto it = _qr.begin(); it != _qr.end();)
		it = it->second.pluginId == pluginId ? _qr.erase(it) : std::next(it);
}

void PluginManager::deactivate(const std::string& pluginId)
{
	std::shared_ptr<PluginSlot> s = slot(pluginId);
	if (!s) return;
	s->active = false;
	dropRegistrations(pluginId);
	{
		// Wait until every call that started before the drop has returned.
		std::unique_lock<std::shared_mutex> drain(s->inflight);
	}
	s->plugin.on_deactivate(s->plugin.ctx);
	s->plugin.on_destroy(s->plugin.ctx);
	{
		std::unique_lock<std::shared_mutex> lock(_mutex);
		_slots.erase(std::remove(_slots.begin(), _slots.end(), s), _slots.end());
	}
	s->library.unload();
	Poco::Logger::get("PluginManager").information("plugin %s deactivated", pluginId);
}

std::optional<PluginManager::RouteCall> PluginManager::matchRoute(const std::string& pluginId,
																  const std::string& method, const std::string& subpath,
																  bool publicMount, bool& pathExists) const
{
	pathExists = false;
	std::vector<std::string> segs = splitPath(subpath);
	std::shared_lock<std::shared_mutex> lock(_mutex);
	for (const RouteRegistration& r : _routes)
	{
		if (!pluginId.empty() && r.pluginId != pluginId) continue;
		if (publicMount != ((r.flags & HOSTSDK_ROUTE_PUBLIC_MOUNT) != 0)) continue;
		std::map<std::string, std::string> params;
		if (!RoutePattern::match(r.segments, segs, &params)) continue;
		if (r.method != method)
		{
			pathExists = true;
			continue;
		}
		return RouteCall{r, params};
	}
	return std::nullopt;
}

hostsdk_status PluginManager::callRoute(const RouteCall& call, const hostsdk_request_v1& request,
										const hostsdk_response_v1& response)
{
	std::shared_ptr<PluginSlot> s = slot(call.route.pluginId);
	if (!s) return HOSTSDK_E_UNAVAILABLE;
	InflightGuard guard(*s);
	if (!s->active) return HOSTSDK_E_UNAVAILABLE;
	hostsdk_status st = call.route.fn(call.route.user, &request, &response);
	if (_services.metrics) _services.metrics->pluginCall(s->id, "route", st != HOSTSDK_OK);
	return st;
}

std::vector<MenuRegistration> PluginManager::menus(const std::string& location) const
{
	std::vector<MenuRegistration> result;
	{
		std::shared_lock<std::shared_mutex> lock(_mutex);
		for (const auto& m : _menus)
			if (m.location == location) result.push_back(m);
	}
	std::stable_sort(result.begin(), result.end(),
					 [](const MenuRegistration& a, const MenuRegistration& b) { return a.order < b.order; });
	return result;
}

std::vector<PageRegistration> PluginManager::backofficePages() const
{
	std::shared_lock<std::shared_mutex> lock(_mutex);
	return _pages;
}

hostsdk_status PluginManager::renderQr(const std::string& kind, const std::string& text, const std::string& format,
									   int size, std::string& out, std::string& err)
{
	QrRegistration reg{};
	{
		std::shared_lock<std::shared_mutex> lock(_mutex);
		auto it = _qr.find(kind);
		if (it == _qr.end())
		{
			err = "no QR renderer for kind " + kind;
			return HOSTSDK_E_UNSUPPORTED;
		}
		reg = it->second;
	}
	std::shared_ptr<PluginSlot> s = slot(reg.pluginId);
	if (!s) return HOSTSDK_E_UNAVAILABLE;
	InflightGuard guard(*s);
	if (!s->active) return HOSTSDK_E_UNAVAILABLE;
	HostSdk::StringSink o, e;
	hostsdk_status st = reg.fn(reg.user, text.c_str(), format.c_str(), size, o.sink(), e.sink());
	if (_services.metrics) _services.metrics->pluginCall(s->id, "qr", st != HOSTSDK_OK);
	out.swap(o.str());
	err = e.str();
	return st;
}

std::vector<PluginManager::HookRegistration> PluginManager::hooksFor(uint32_t hookId) const
{
	std::shared_lock<std::shared_mutex> lock(_mutex);
	std::vector<HookRegistration> hooks;
	for (const auto& h : _hooks)
		if (h.hookId == hookId) hooks.push_back(h);
	return hooks;
}

hostsdk_status PluginManager::runWillHook(uint32_t hookId, const std::string& payload, std::string& out,
										  std::string* refusal)
{
	std::vector<HookRegistration> hooks = hooksFor(hookId);
	out = payload;
	for (const auto& h : hooks)
	{
		std::shared_ptr<PluginSlot> s = slot(h.pluginId);
		if (!s) continue;
		InflightGuard guard(*s);
		if (!s->active) continue;
		HostSdk::StringSink o, e;
		hostsdk_status st = h.fn(h.user, hookId, out.c_str(), o.sink(), e.sink());
		if (_services.metrics) _services.metrics->pluginCall(s->id, "hook", st != HOSTSDK_OK);
		if (st != HOSTSDK_OK)
		{
			s->logger->warning("hook %u answered %d: %s", hookId, st, e.str());
			if (refusal) *refusal = e.str();
			return st;
		}
		if (!o.str().empty()) out = o.str();
	}
	return HOSTSDK_OK;
}

bool PluginManager::hasHooks(uint32_t hookId) const
{
	return !hooksFor(hookId).empty();
}

void PluginManager::fireHook(uint32_t hookId, const std::string& payload)
{
	for (const auto& h : hooksFor(hookId))
	{
		std::shared_ptr<PluginSlot> s = slot(h.pluginId);
		if (!s) continue;
		InflightGuard guard(*s);
		if (!s->active) continue;
		HostSdk::StringSink o, e;
		hostsdk_status st = h.fn(h.user, hookId, payload.c_str(), o.sink(), e.sink());
		if (_services.metrics) _services.metrics->pluginCall(s->id, "hook", st != HOSTSDK_OK);
		if (st != HOSTSDK_OK) s->logger->error("hook %u failed with %d: %s", hookId, st, e.str());
	}
}

hostsdk_status PluginManager::registerRoute(PluginSlot& slot, const hostsdk_route_v1& route, std::string& err)
{
	static const Poco::RegularExpression methods("^(GET|POST|PUT|PATCH|DELETE)$");
	static const Poco::RegularExpression pattern("^(/([A-Za-z0-9._-]+|\\{[a-zA-Z][a-zA-Z0-9_]*\\}))+$");
	if (route.struct_size < sizeof(hostsdk_route_v1) || !route.method || !route.pattern || !route.on_request)
	{
		err = "incomplete route";
		return HOSTSDK_E_INVALID;
	}
	if (!methods.match(route.method) || !pattern.match(route.pattern))
	{
		err = std::string("bad route ") + route.method + " " + route.pattern;
		return HOSTSDK_E_INVALID;
	}
	RouteRegistration r;
	r.pluginId = slot.id;
	r.method = route.method;
	r.pattern = route.pattern;
	r.segments = splitPath(route.pattern);
	r.flags = route.flags;
	r.fn = route.on_request;
	r.user = route.user;
	std::unique_lock<std::shared_mutex> lock(_mutex);
	for (const auto& existing : _routes)
		if (existing.pluginId == r.pluginId && existing.method == r.method && existing.pattern == r.pattern)
		{
			err = "route registered twice: " + r.method + " " + r.pattern;
			return HOSTSDK_E_CONFLICT;
		}
	_routes.push_back(std::move(r));
	return HOSTSDK_OK;
}

hostsdk_status PluginManager::registerMenu(PluginSlot& slot, const std::string& json, std::string& err)
{
	static const std::vector<std::string> locations{"main.nav", "contacts.new", "contact.card.actions",
													"backoffice.nav", "me.bindings"};
	HostSdk::JsonPayload::MenuItem read;
	try
	{
		read = HostSdk::JsonPayload::readMenuItem(json.c_str(), locations);
	}
	catch (const HostSdk::Error& e)
	{
		err = e.what();
		return HOSTSDK_E_INVALID;
	}
	const std::string& location = read.location;
	const std::string& id = read.id;
	MenuRegistration m{slot.id, location, id, read.order, read.item};
	std::unique_lock<std::shared_mutex> lock(_mutex);
	for (const auto& existing : _menus)
		if (existing.location == location && existing.id == id)
		{
			err = "menu item registered twice: " + id;
			return HOSTSDK_E_CONFLICT;
		}
	_menus.push_back(m);
	return HOSTSDK_OK;
}

hostsdk_status PluginManager::registerPage(PluginSlot& slot, const std::string& json, std::string& err)
{
	Poco::JSON::Object::Ptr page;
	try
	{
		page = HostSdk::JsonPayload::readPage(json.c_str());
	}
	catch (const HostSdk::Error& e)
	{
		err = e.what();
		return HOSTSDK_E_INVALID;
	}
	std::unique_lock<std::shared_mutex> lock(_mutex);
	_pages.push_back({slot.id, page});
	return HOSTSDK_OK;
}

hostsdk_status PluginManager::registerQr(PluginSlot& slot, const std::string& kind, hostsdk_on_qr_render_fn fn,
										 void* user, std::string& err)
{
	if (kind.empty() || !fn)
	{
		err = "a QR renderer needs a kind and a function";
		return HOSTSDK_E_INVALID;
	}
	std::unique_lock<std::shared_mutex> lock(_mutex);
	if (_qr.count(kind))
	{
		err = "QR renderer for " + kind + " registered twice";
		return HOSTSDK_E_CONFLICT;
	}
	_qr[kind] = QrRegistration{slot.id, fn, user};
	return HOSTSDK_OK;
}

hostsdk_status PluginManager::registerHook(PluginSlot& slot, uint32_t hookId, hostsdk_on_hook_fn fn, void* user,
										   std::string& err)
{
	static const std::vector<uint32_t> known{
		HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS, HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG,
		HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG,         HOSTSDK_HOOK_USER_HAS_BEEN_DISABLED,
		HOSTSDK_HOOK_ORG_SETTING_HAS_CHANGED,     HOSTSDK_HOOK_USER_HAS_BEEN_DELETED,
		HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED};
	if (!fn || std::find(known.begin(), known.end(), hookId) == known.end())
	{
		err = "unknown hook id " + std::to_string(hookId);
		return HOSTSDK_E_UNSUPPORTED;
	}
	std::unique_lock<std::shared_mutex> lock(_mutex);
	_hooks.push_back({slot.id, hookId, fn, user});
	return HOSTSDK_OK;
}

} // namespace RefHost
