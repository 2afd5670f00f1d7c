#pragma once

#include "hostsdk/Error.h"
#include <string>

namespace HostSdk
{

class PluginInstance
/// Base class for a plugin written in C++. Implement configure(),
/// activate() and deactivate(); throw HostSdk::Error (or any exception)
/// on failure. HOSTSDK_DEFINE_PLUGIN generates the extern "C" entry.
{
public:
	explicit PluginInstance(const hostsdk_host_v1* host) : _host(host) {}

	virtual ~PluginInstance() = default;

	virtual void configure(const std::string& configJson) = 0;
	virtual void activate() = 0;
	virtual void deactivate() = 0;

	const hostsdk_host_v1* host() const noexcept
	{
		return _host;
	}

	template <typename T>
	static hostsdk_status entry(const hostsdk_host_v1* host, hostsdk_plugin_v1* plugin, hostsdk_sink err,
								const char* id, const char* version) noexcept
	{
		if (!host || !plugin) return HOSTSDK_E_INVALID;
		if (host->abi_major != HOSTSDK_ABI_MAJOR)
		{
			writeTo(err, "plugin " + std::string(id) + " needs host ABI major " + std::to_string(HOSTSDK_ABI_MAJOR) +
							 ", host has " + std::to_string(host->abi_major));
			return HOSTSDK_E_ABI;
		}
		if (plugin->struct_size < sizeof(hostsdk_plugin_v1))
		{
			writeTo(err, "plugin table too small");
			return HOSTSDK_E_ABI;
		}
		T* instance = nullptr;
		hostsdk_status st = guard(err, [&] { instance = new T(host); });
		if (st != HOSTSDK_OK) return st;
		plugin->abi_major = HOSTSDK_ABI_MAJOR;
		plugin->abi_minor = HOSTSDK_ABI_MINOR;
		plugin->ctx = instance;
		plugin->id = id;
		plugin->version = version;
		plugin->on_configure = [](void* ctx, const char* config, hostsdk_sink e) noexcept -> hostsdk_status
		{ return guard(e, [&] { static_cast<PluginInstance*>(ctx)->configure(config ? config : "{}"); }); };
		plugin->on_activate = [](void* ctx, hostsdk_sink e) noexcept -> hostsdk_status
		{ return guard(e, [&] { static_cast<PluginInstance*>(ctx)->activate(); }); };
		plugin->on_deactivate = [](void* ctx) noexcept
		{
			hostsdk_sink none{nullptr, nullptr};
			guard(none, [&] { static_cast<PluginInstance*>(ctx)->deactivate(); });
		};
		plugin->on_destroy = [](void* ctx) noexcept { delete static_cast<PluginInstance*>(ctx); };
		return HOSTSDK_OK;
	}

private:
	const hostsdk_host_v1* _host;
};

} // namespace HostSdk

/// Defines the plugin's one exported symbol for PluginClass (a subclass of
/// HostSdk::PluginInstance constructible from const hostsdk_host_v1*).
#define HOSTSDK_DEFINE_PLUGIN(PluginClass, id, version)                                                                \
	extern "C" HOSTSDK_EXPORT hostsdk_status hostsdk_plugin_entry(const hostsdk_host_v1* host,                         \
																  hostsdk_plugin_v1* plugin, hostsdk_sink err)         \
	{                                                                                                                  \
		return HostSdk::PluginInstance::entry<PluginClass>(host, plugin, err, id, version);                            \
	}
