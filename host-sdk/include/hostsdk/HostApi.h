#pragma once

#include "hostsdk/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace HostSdk
{

class HostApi
/// Header-only C++ view of a hostsdk_host_v1 table for plugin code.
/// Every method throws HostSdk::Error when the host reports a failure.
/// JSON goes in and out as text; the plugin parses it with the JSON
/// library of its choice.
{
public:
	explicit HostApi(const hostsdk_host_v1* host) : _host(host) {}

	const hostsdk_host_v1* table() const noexcept
	{
		return _host;
	}

	void log(int level, const std::string& message) const noexcept
	{
		_host->cb_log(_host->ctx, level, message.c_str());
	}

	std::string config() const
	{
		StringSink out, err;
		check(_host->cb_config(_host->ctx, out.sink(), err.sink()), err, "config");
		return out.str();
	}

	std::string dbSettings() const
	{
		StringSink out, err;
		check(_host->cb_db_settings(_host->ctx, out.sink(), err.sink()), err, "db settings");
		return out.str();
	}

	void migrate(const std::string& component) const
	{
		StringSink err;
		check(_host->cb_db_migrate(_host->ctx, component.c_str(), err.sink()), err, "migrate");
	}

	void registerRoute(const char* method, const char* pattern, uint32_t flags, hostsdk_on_request_fn fn,
					   void* user) const
	{
		hostsdk_route_v1 route{};
		route.struct_size = sizeof(route);
		route.method = method;
		route.pattern = pattern;
		route.flags = flags;
		route.on_request = fn;
		route.user = user;
		StringSink err;
		check(_host->cb_register_route(_host->ctx, &route, err.sink()), err, "register route");
	}

	void registerMenu(const std::string& menuJson) const
	{
		StringSink err;
		check(_host->cb_register_menu(_host->ctx, menuJson.c_str(), err.sink()), err, "register menu");
	}

	void registerBackofficePage(const std::string& pageJson) const
	{
		StringSink err;
		check(_host->cb_register_backoffice_page(_host->ctx, pageJson.c_str(), err.sink()), err,
			  "register back-office page");
	}

	void registerQrRenderer(const char* kind, hostsdk_on_qr_render_fn fn, void* user) const
	{
		StringSink err;
		check(_host->cb_register_qr_renderer(_host->ctx, kind, fn, user, err.sink()), err, "register QR renderer");
	}

	void registerHook(uint32_t hookId, hostsdk_on_hook_fn fn, void* user) const
	{
		StringSink err;
		check(_host->cb_register_hook(_host->ctx, hookId, fn, user, err.sink()), err, "register hook");
	}

	std::string directory(const std::string& op, const std::string& requestJson) const
	{
		StringSink out, err;
		check(_host->cb_directory(_host->ctx, op.c_str(), requestJson.c_str(), out.sink(), err.sink()), err,
			  "directory");
		return out.str();
	}

	bool hasPermission(int64_t userId, int64_t orgId, const std::string& permission) const
	{
		int32_t allowed = 0;
		StringSink err;
		check(_host->cb_permission_check(_host->ctx, userId, orgId, permission.c_str(), &allowed, err.sink()), err,
			  "permission check");
		return allowed != 0;
	}

	std::string notify(const std::string& notificationJson) const
	{
		StringSink out, err;
		check(_host->cb_notify(_host->ctx, notificationJson.c_str(), out.sink(), err.sink()), err, "notify");
		return out.str();
	}

	void resolveNotifications(const std::string& groupKey, const std::string& outcomeJson) const
	{
		StringSink err;
		check(_host->cb_notify_resolve(_host->ctx, groupKey.c_str(), outcomeJson.c_str(), err.sink()), err,
			  "resolve notifications");
	}

	bool hasNotifyWithResolve() const noexcept
	/// True when the host speaks ABI 1.5 or later (cb_notify_with_resolve).
	{
		return HOSTSDK_HAS_FIELD(_host, hostsdk_host_v1, cb_notify_with_resolve) &&
			   _host->cb_notify_with_resolve != nullptr;
	}

	std::string notifyWithResolve(const std::string& groupKey, const std::string& outcomeJson,
								  const std::string& notificationJson) const
	/// resolveNotifications(groupKey, outcomeJson), then notify(notificationJson),
	/// in one transaction of the host's; on a host older than ABI 1.5, the
	/// two calls one after the other (the first may then stand alone).
	{
		if (!hasNotifyWithResolve())
		{
			resolveNotifications(groupKey, outcomeJson);
			return notify(notificationJson);
		}
		StringSink out, err;
		check(_host->cb_notify_with_resolve(_host->ctx, groupKey.c_str(), outcomeJson.c_str(), notificationJson.c_str(),
											out.sink(), err.sink()),
			  err, "notify with resolve");
		return out.str();
	}

	void sendOutbound(const std::string& messageJson) const
	{
		StringSink err;
		check(_host->cb_outbound_send(_host->ctx, messageJson.c_str(), err.sink()), err, "outbound");
	}

	std::string account(const std::string& op, const std::string& requestJson) const
	{
		StringSink out, err;
		check(_host->cb_account(_host->ctx, op.c_str(), requestJson.c_str(), out.sink(), err.sink()), err, "account");
		return out.str();
	}

	int64_t nowMs() const noexcept
	{
		return _host->cb_clock_now_ms(_host->ctx);
	}

	std::vector<uint8_t> randomBytes(size_t n) const
	{
		std::vector<uint8_t> buf(n);
		StringSink err;
		check(_host->cb_random_bytes(_host->ctx, buf.data(), n, err.sink()), err, "random bytes");
		return buf;
	}

	bool hasMetrics() const noexcept
	/// True when the host speaks ABI 1.2 or later (cb_metric_add).
	{
		return HOSTSDK_HAS_FIELD(_host, hostsdk_host_v1, cb_metric_add) && _host->cb_metric_add != nullptr;
	}

	void addMetric(const std::string& name, const std::string& labelsJson, int64_t delta = 1) const
	/// Adds delta to the plugin's counter name{labels}; does nothing on a
	/// host older than ABI 1.2. Throws HostSdk::Error when the host refuses
	/// (bad name or labels, series limit).
	{
		if (!hasMetrics()) return;
		StringSink err;
		check(_host->cb_metric_add(_host->ctx, name.c_str(), labelsJson.c_str(), delta, err.sink()), err, "metric");
	}

private:
	const hostsdk_host_v1* _host;
};

} // namespace HostSdk
