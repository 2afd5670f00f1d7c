// A minimal plugin that registers one of everything, for the ABI tests.
#include "hostsdk/HostApi.h"
#include "hostsdk/PluginEntry.h"
#include "hostsdk/Response.h"

namespace {

hostsdk_status onPing(void*, const hostsdk_request_v1*, const hostsdk_response_v1* response)
{
	return HostSdk::guard(hostsdk_sink{nullptr, nullptr},
		[&] { HostSdk::Response(response).send(200, "application/json", "{\"pong\":true}"); });
}

hostsdk_status onHook(void*, uint32_t, const char*, hostsdk_sink, hostsdk_sink)
{
	return HOSTSDK_OK;
}

hostsdk_status onQr(void*, const char* text, const char*, int32_t, hostsdk_sink out, hostsdk_sink)
{
	HostSdk::writeTo(out, std::string("qr:") + text);
	return HOSTSDK_OK;
}

class GoodPlugin: public HostSdk::PluginInstance
{
public:
	using PluginInstance::PluginInstance;

	void configure(const std::string&) override
	{
	}

	void activate() override
	{
		HostSdk::HostApi api(host());
		api.registerRoute("GET", "/ping", 0, onPing, nullptr);
		api.registerMenu(R"({"location":"main.nav","id":"good","label":{"zh-CN":"好","en":"Good"},"order":1})");
		api.registerBackofficePage(R"({"section":"s","id":"good-page","label":{"zh-CN":"页","en":"Page"}})");
		api.registerHook(HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, onHook, nullptr);
		api.registerQrRenderer("good", onQr, nullptr);
	}

	void deactivate() override
	{
	}
};

} // namespace

HOSTSDK_DEFINE_PLUGIN(GoodPlugin, "good-plugin", "1.0.0")
