// A plugin that claims ABI major 2: the host must refuse it.
#include "hostsdk/abi.h"

extern "C" HOSTSDK_EXPORT hostsdk_status hostsdk_plugin_entry(const hostsdk_host_v1*, hostsdk_plugin_v1* plugin,
															  hostsdk_sink)
{
	plugin->abi_major = HOSTSDK_ABI_MAJOR + 1;
	plugin->abi_minor = 0;
	plugin->id = "wrong-major";
	plugin->version = "2.0.0";
	return HOSTSDK_OK;
}
