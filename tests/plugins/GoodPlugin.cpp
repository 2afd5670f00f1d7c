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

const hostsdk_host_v1* gHost = nullptr;

std::string jsonString(const std::string& s)
{
	std::string out = "\"";
	for (char c : s)
	{
		if (c == '"' || c == '\\') out += '\\';
		out += c;
	}
	return out + "\"";
}

// Sends the caller a notification whose "ack" action calls POST /ack/{n}.
hostsdk_status onNotifyMe(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	return HostSdk::guard(err.sink(), [&] {
		HostSdk::HostApi api(gHost);
		const hostsdk_caller_v1& c = *request->caller;
		std::string n = std::to_string(api.nowMs());
		std::string ids = api.notify("{\"orgId\":" + std::to_string(c.org_id) + ",\"userIds\":[" +
			std::to_string(c.user_id) + "],\"type\":\"good.test\",\"title\":{\"zh-CN\":\"测试\",\"en\":\"Test\"}," +
			"\"actions\":[{\"id\":\"ack\",\"label\":{\"zh-CN\":\"确认\",\"en\":\"Acknowledge\"},\"method\":\"POST\"," +
			"\"path\":\"/ack/" + n + "\"}],\"groupKey\":\"good:" + n + "\"}");
		HostSdk::Response(response).send(201, "application/json", ids);
	});
}

hostsdk_status onAck(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	return HostSdk::guard(err.sink(), [&] {
		HostSdk::HostApi api(gHost);
		std::string params = request->path_params; // {"n":"..."}
		std::string n = params.substr(params.find(":\"") + 2);
		n = n.substr(0, n.find('"'));
		api.resolveNotifications("good:" + n, "{\"by\":" + std::to_string(request->caller->user_id) + "}");
		HostSdk::Response(response).send(200, "application/json",
			"{\"acked\":" + jsonString(n) + ",\"by\":" + std::to_string(request->caller->user_id) + "}");
	});
}

// Answers what the host told the plugin about the caller, through the host table.
hostsdk_status onWhoAmI(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	return HostSdk::guard(err.sink(), [&] {
		HostSdk::HostApi api(gHost);
		const hostsdk_caller_v1& c = *request->caller;
		std::string user = api.directory("user.get", "{\"id\":" + std::to_string(c.user_id) + "}");
		bool maintain = api.hasPermission(c.user_id, c.org_id, "external_contacts.maintain");
		std::string db = api.dbSettings();
		HostSdk::Response(response).send(200, "application/json",
			"{\"user\":" + user + ",\"orgId\":" + std::to_string(c.org_id) + ",\"kind\":" + std::to_string(c.kind) +
			",\"maintain\":" + (maintain ? "true" : "false") + ",\"db\":" + db + ",\"locale\":" +
			jsonString(c.locale) + "}");
	});
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
		gHost = host();
	}

	void activate() override
	{
		HostSdk::HostApi api(host());
		api.registerRoute("GET", "/ping", 0, onPing, nullptr);
		api.registerRoute("POST", "/notify-me", 0, onNotifyMe, nullptr);
		api.registerRoute("POST", "/ack/{n}", 0, onAck, nullptr);
		api.registerRoute("GET", "/whoami", HOSTSDK_ROUTE_EXTERNAL, onWhoAmI, nullptr);
		api.registerRoute("GET", "/public/{token}", HOSTSDK_ROUTE_PUBLIC | HOSTSDK_ROUTE_PUBLIC_MOUNT, onPing, nullptr);
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
