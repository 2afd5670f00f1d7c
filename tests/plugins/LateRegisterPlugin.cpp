// Registers a route from a request instead of from on_activate: refused.
#include "hostsdk/HostApi.h"
#include "hostsdk/PluginEntry.h"
#include "hostsdk/Response.h"

namespace
{

const hostsdk_host_v1* gHost = nullptr;

hostsdk_status onLate(void*, const hostsdk_request_v1*, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	hostsdk_route_v1 route{sizeof(hostsdk_route_v1), "GET", "/later", 0, onLate, nullptr};
	hostsdk_status st = gHost->cb_register_route(gHost->ctx, &route, err.sink());
	HostSdk::Response(response).send(200, "text/plain", std::to_string(st) + " " + err.str());
	return HOSTSDK_OK;
}

class LatePlugin : public HostSdk::PluginInstance
{
public:
	using PluginInstance::PluginInstance;
	void configure(const std::string&) override
	{
		gHost = host();
	}
	void activate() override
	{
		HostSdk::HostApi(host()).registerRoute("GET", "/late", 0, onLate, nullptr);
	}
	void deactivate() override {}
};

} // namespace

HOSTSDK_DEFINE_PLUGIN(LatePlugin, "late-plugin", "1.0.0")
