// A minimal plugin that registers one of everything, for the ABI tests.
#include "hostsdk/HostApi.h"
#include "hostsdk/PluginEntry.h"
#include "hostsdk/Response.h"
#include <atomic>
#include <mutex>

namespace
{

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

std::string pathParam(const hostsdk_request_v1* request, const std::string& name)
{
	std::string params = request->path_params; // {"name":"value"}, values without quotes inside
	std::string::size_type at = params.find("\"" + name + "\":\"");
	if (at == std::string::npos) return "";
	std::string value = params.substr(at + name.size() + 4);
	return value.substr(0, value.find('"'));
}

// Sends the caller (or user {id} with /notify-user/{id}) a notification
// whose "ack" action calls POST /ack/{n}.
hostsdk_status onNotifyMe(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	return HostSdk::guard(
		err.sink(),
		[&]
		{
			HostSdk::HostApi api(gHost);
			hostsdk_caller_v1 c = *request->caller;
			std::string target = pathParam(request, "id");
			if (!target.empty()) c.user_id = std::stoll(target);
			std::string n = std::to_string(api.nowMs());
			std::string ids =
				api.notify("{\"orgId\":" + std::to_string(c.org_id) + ",\"userIds\":[" + std::to_string(c.user_id) +
						   "],\"type\":\"good.test\",\"title\":{\"zh-CN\":\"测试\",\"en\":\"Test\"}," +
						   "\"actions\":[{\"id\":\"ack\",\"label\":{\"zh-CN\":\"确认\",\"en\":\"Acknowledge\"},"
						   "\"method\":\"POST\"," +
						   "\"path\":\"/ack/" + n + "\"}],\"groupKey\":\"good:" + n + "\"}");
			HostSdk::Response(response).send(201, "application/json", ids);
		});
}

hostsdk_status onAck(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	return HostSdk::guard(
		err.sink(),
		[&]
		{
			HostSdk::HostApi api(gHost);
			std::string n = pathParam(request, "n");
			api.resolveNotifications("good:" + n, "{\"by\":" + std::to_string(request->caller->user_id) + "}");
			HostSdk::Response(response).send(200, "application/json",
											 "{\"acked\":" + jsonString(n) +
												 ",\"by\":" + std::to_string(request->caller->user_id) + "}");
		});
}

// Resolves the group "good:{from}" and tells the caller "Told" under the
// group "good:{to}" in one cb_notify_with_resolve (ABI 1.5); with the query
// "older", through a copy of the host table cut to an ABI 1.4 host's size
// (HostApi falls back to two calls). The body "bad" sends the notification
// without recipients (refused): answers 422 with the host's message.
hostsdk_status onAckAndTell(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	return HostSdk::guard(
		err.sink(),
		[&]
		{
			hostsdk_host_v1 older = *gHost;
			older.abi_minor = 4;
			older.struct_size = offsetof(hostsdk_host_v1, cb_notify_with_resolve);
			const bool useOlder = std::string(request->query) == "older";
			HostSdk::HostApi api(useOlder ? &older : gHost);
			const bool bad = std::string(request->body, request->body_len) == "bad";
			const std::string user = std::to_string(request->caller->user_id);
			try
			{
				std::string out = api.notifyWithResolve("good:" + pathParam(request, "from"), "{\"by\":" + user + "}",
														"{\"orgId\":" + std::to_string(request->caller->org_id) +
															",\"userIds\":[" + (bad ? "" : user) +
															"],\"type\":\"good.told\",\"title\":{\"zh-CN\":\"已告知\","
															"\"en\":\"Told\"},\"groupKey\":\"good:" +
															pathParam(request, "to") + "\"}");
				HostSdk::Response(response).send(
					200, "application/json",
					"{\"hasCall\":" + std::string(api.hasNotifyWithResolve() ? "true" : "false") +
						",\"answer\":" + (out.empty() ? "null" : out) + "}");
			}
			catch (const HostSdk::Error& e)
			{
				HostSdk::Response(response).send(422, "application/json", "{\"error\":" + jsonString(e.what()) + "}");
			}
		});
}

// Answers what the host told the plugin about the caller, through the host table.
hostsdk_status onWhoAmI(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	return HostSdk::guard(
		err.sink(),
		[&]
		{
			HostSdk::HostApi api(gHost);
			const hostsdk_caller_v1& c = *request->caller;
			std::string user = api.directory("user.get", "{\"id\":" + std::to_string(c.user_id) + "}");
			bool maintain = api.hasPermission(c.user_id, c.org_id, "external_contacts.maintain");
			std::string db = api.dbSettings();
			HostSdk::Response(response).send(
				200, "application/json",
				"{\"user\":" + user + ",\"orgId\":" + std::to_string(c.org_id) + ",\"kind\":" + std::to_string(c.kind) +
					",\"maintain\":" + (maintain ? "true" : "false") + ",\"db\":" + db +
					",\"locale\":" + jsonString(c.locale) +
					",\"permissions\":" + (request->caller_permissions ? request->caller_permissions : "null") + "}");
		});
}

// Tries to split the response and to override what the host owns.
hostsdk_status onHeaders(void*, const hostsdk_request_v1*, const hostsdk_response_v1* response)
{
	HostSdk::Response r(response);
	r.setHeader("X-Fine", "ok");
	r.setHeader("X-Echo", "a\r\nSet-Cookie: injected=1");
	r.setHeader("Set-Cookie", "rh_session=stolen");
	r.setHeader("Bad Name", "x");
	r.send(200, "application/json", "{}");
	return HOSTSDK_OK;
}

// Sets a cookie of its own and answers the Cookie header it was given.
hostsdk_status onCookies(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::Response r(response);
	r.setHeader("Set-Cookie", "good_pref=1; Path=/; HttpOnly; SameSite=Lax");
	r.send(200, "application/json", request->headers);
	return HOSTSDK_OK;
}

hostsdk_status onBadStatus(void*, const hostsdk_request_v1*, const hostsdk_response_v1* response)
{
	HostSdk::Response(response).send(99, "application/json", "{}");
	return HOSTSDK_OK;
}

// Public route that tells whom the host passed as caller.
hostsdk_status onPublicEcho(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::Response(response).send(200, "application/json",
									 "{\"userId\":" + std::to_string(request->caller->user_id) + "}");
	return HOSTSDK_OK;
}

// Disables user {id} through the host's account operations and answers the
// host's status code, so tests see what a plugin may and may not do.
hostsdk_status onDisable(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink out, err;
	std::string req = "{\"userId\":" + pathParam(request, "id") + "}";
	hostsdk_status st = gHost->cb_account(gHost->ctx, "account.disable", req.c_str(), out.sink(), err.sink());
	HostSdk::Response(response).send(200, "application/json", "{\"status\":" + std::to_string(st) + "}");
	return HOSTSDK_OK;
}

// Runs account operation "account.<op>" with the request body and answers
// {"status": host status, "out": host answer or null, "err": message}.
hostsdk_status onAccountOp(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink out, err;
	std::string op = "account." + pathParam(request, "op");
	std::string body(request->body, request->body_len);
	hostsdk_status st = gHost->cb_account(gHost->ctx, op.c_str(), body.c_str(), out.sink(), err.sink());
	std::string message;
	for (char c : err.str())
		if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) message += c;
	std::string json = "{\"status\":" + std::to_string(static_cast<int>(st)) +
					   ",\"out\":" + (out.str().empty() ? std::string("null") : out.str()) + ",\"err\":\"" + message +
					   "\"}";
	HostSdk::Response(response).send(200, "application/json", json);
	return HOSTSDK_OK;
}

std::atomic<int> gDisabledHooks{0};
std::atomic<int> gLeftHooks{0};
std::string gLastLeft; // payload of the last member.has_left_org
std::mutex gLastLeftMutex;

hostsdk_status onDisabledHook(void*, uint32_t, const char*, hostsdk_sink, hostsdk_sink)
{
	++gDisabledHooks;
	return HOSTSDK_OK;
}

hostsdk_status onLeftHook(void*, uint32_t, const char* payload, hostsdk_sink, hostsdk_sink)
{
	std::lock_guard<std::mutex> lock(gLastLeftMutex);
	gLastLeft = payload ? payload : "";
	++gLeftHooks;
	return HOSTSDK_OK;
}

std::atomic<int> gWillLeaveHooks{0};
std::atomic<bool> gVetoLeave{false};
std::string gLastWillLeave; // payload of the last member.will_leave_org

// Appends {"plugin":"good-plugin",...} to the preview of a dry run; refuses
// every removal while /veto-leave set the switch.
hostsdk_status onWillLeaveHook(void*, uint32_t, const char* payload, hostsdk_sink out, hostsdk_sink err)
{
	std::string text = payload ? payload : "";
	{
		std::lock_guard<std::mutex> lock(gLastLeftMutex);
		gLastWillLeave = text;
		++gWillLeaveHooks;
	}
	if (gVetoLeave)
	{
		HostSdk::writeTo(err, "good-plugin keeps this member");
		return HOSTSDK_E_DENIED;
	}
	std::size_t at = text.find("\"preview\":[]");
	if (text.find("\"dryRun\":true") != std::string::npos && at != std::string::npos)
		HostSdk::writeTo(out, text.substr(0, at) +
								  "\"preview\":[{\"plugin\":\"good-plugin\",\"rows\":[{\"count\":1}]},7]" +
								  text.substr(at + 12));
	return HOSTSDK_OK;
}

hostsdk_status onVetoLeave(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	gVetoLeave = std::string(request->body, request->body_len) == "true";
	HostSdk::Response(response).send(200, "application/json", "{}");
	return HOSTSDK_OK;
}

hostsdk_status onHookCount(void*, const hostsdk_request_v1*, const hostsdk_response_v1* response)
{
	std::lock_guard<std::mutex> lock(gLastLeftMutex);
	HostSdk::Response(response).send(
		200, "application/json",
		"{\"disabled\":" + std::to_string(gDisabledHooks.load()) + ",\"left\":" + std::to_string(gLeftHooks.load()) +
			",\"lastLeft\":" + (gLastLeft.empty() ? std::string("null") : gLastLeft) +
			",\"willLeave\":" + std::to_string(gWillLeaveHooks.load()) +
			",\"lastWillLeave\":" + (gLastWillLeave.empty() ? std::string("null") : gLastWillLeave) + "}");
	return HOSTSDK_OK;
}

// Sends the request body as an outbound message; answers the host's status.
hostsdk_status onOutbound(void*, const hostsdk_request_v1* request, const hostsdk_response_v1* response)
{
	HostSdk::StringSink err;
	std::string message(request->body, request->body_len);
	hostsdk_status st = gHost->cb_outbound_send(gHost->ctx, message.c_str(), err.sink());
	HostSdk::Response(response).send(200, "application/json", "{\"status\":" + std::to_string(st) + "}");
	return HOSTSDK_OK;
}

hostsdk_status onQr(void*, const char* text, const char*, int32_t, hostsdk_sink out, hostsdk_sink)
{
	HostSdk::writeTo(out, std::string("qr:") + text);
	return HOSTSDK_OK;
}

class GoodPlugin : public HostSdk::PluginInstance
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
		api.registerRoute("POST", "/notify-user/{id}", 0, onNotifyMe, nullptr);
		api.registerRoute("POST", "/ack/{n}", 0, onAck, nullptr);
		api.registerRoute("POST", "/tell/{from}/{to}", 0, onAckAndTell, nullptr);
		api.registerRoute("GET", "/headers", 0, onHeaders, nullptr);
		api.registerRoute("GET", "/bad-status", 0, onBadStatus, nullptr);
		api.registerRoute("GET", "/cookies", 0, onCookies, nullptr);
		api.registerRoute("POST", "/public-echo", HOSTSDK_ROUTE_PUBLIC | HOSTSDK_ROUTE_PUBLIC_MOUNT, onPublicEcho,
						  nullptr);
		api.registerRoute("GET", "/whoami", HOSTSDK_ROUTE_EXTERNAL, onWhoAmI, nullptr);
		api.registerRoute("GET", "/public/{token}", HOSTSDK_ROUTE_PUBLIC | HOSTSDK_ROUTE_PUBLIC_MOUNT, onPing, nullptr);
		api.registerMenu(
			R"({"location":"main.nav","id":"good","label":{"zh-CN":"好","en":"Good"},"order":1,"openToExternal":false})");
		api.registerBackofficePage(R"({"section":"s","id":"good-page","label":{"zh-CN":"页","en":"Page"}})");
		api.registerHook(HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, onLeftHook, nullptr);
		api.registerHook(HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG, onWillLeaveHook, nullptr);
		api.registerRoute("POST", "/veto-leave", 0, onVetoLeave, nullptr);
		api.registerHook(HOSTSDK_HOOK_USER_HAS_BEEN_DISABLED, onDisabledHook, nullptr);
		api.registerRoute("POST", "/disable/{id}", 0, onDisable, nullptr);
		api.registerRoute("POST", "/account/{op}", 0, onAccountOp, nullptr);
		api.registerRoute("GET", "/hook-count", 0, onHookCount, nullptr);
		api.registerRoute("POST", "/outbound", 0, onOutbound, nullptr);
		api.registerQrRenderer("good", onQr, nullptr);
	}

	void deactivate() override {}
};

} // namespace

HOSTSDK_DEFINE_PLUGIN(GoodPlugin, "good-plugin", "1.0.0")
