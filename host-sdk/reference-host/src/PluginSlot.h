#pragma once

#include "hostsdk/abi.h"
#include <Poco/Logger.h>
#include <Poco/SharedLibrary.h>
#include <atomic>
#include <shared_mutex>
#include <string>

namespace RefHost
{

class PluginManager;

struct PluginSlot
/// One loaded plugin: its library, the host table handed to it (whose
/// ctx points back here) and the table it filled in.
{
	PluginManager* manager = nullptr;
	std::string path;
	std::string id;
	std::string version;
	Poco::SharedLibrary library;
	hostsdk_host_v1 host{};
	hostsdk_plugin_v1 plugin{};
	std::shared_mutex inflight;      // shared by calls, exclusive while deactivating
	std::atomic<bool> active{false}; // false once deactivation began
	std::atomic<bool> activating{false};
	Poco::Logger* logger = nullptr;
};

void fillHostTable(PluginSlot& slot);
/// Fills slot.host with the reference host's callbacks (PluginHostTable.cpp).

} // namespace RefHost
