// The reference host's side of the C ABI: every hostsdk_cb_* the plugins
// call. Each function is noexcept in effect (HostSdk::guard) and scoped to
// the calling plugin through the slot its ctx points to.
#include "PluginHostSupport.h"

namespace RefHost
{

namespace HostTable
{

void cbLog(void* ctx, int32_t level, const char* message)
{
	try
	{
		Poco::Logger& logger = *slotOf(ctx).logger;
		std::string text = message ? message : "";
		if (level <= HOSTSDK_LOG_ERROR)
			logger.error(text);
		else if (level == HOSTSDK_LOG_WARNING)
			logger.warning(text);
		else if (level == HOSTSDK_LOG_INFO)
			logger.information(text);
		else
			logger.debug(text);
	}
	catch (...)
	{
	}
}

hostsdk_status cbConfig(void* ctx, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 const PluginSlot& slot = slotOf(ctx);
					 Poco::JSON::Object config;
					 const std::string prefix = "plugin." + slot.id + ".";
					 for (const auto& kv : servicesOf(ctx).config)
						 if (kv.first.compare(0, prefix.size(), prefix) == 0)
							 config.set(kv.first.substr(prefix.size()), kv.second);
					 writeJson(out, config);
				 });
}

hostsdk_status cbDbSettings(void* ctx, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 const Database& db = *servicesOf(ctx).db;
					 Poco::JSON::Object o;
					 o.set("connector", db.connector());
					 o.set("connectionString", db.connectionString());
					 o.set("poolSize", static_cast<int>(db.poolSize()));
					 writeJson(out, o);
				 });
}

hostsdk_status cbDbMigrate(void* ctx, const char* component, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 const PluginSlot& slot = slotOf(ctx);
					 // A plugin migrates its own schema only.
					 if (!component || slot.id != component)
						 throw Error(HOSTSDK_E_DENIED, "a plugin may migrate only the component named after its id");
					 const auto& services = servicesOf(ctx);
					 MigrationRunner runner(*services.db, services.sqlRoot);
					 int n = runner.migrate(component);
					 if (n > 0) slot.logger->information("applied %d migration(s) of %s", n, std::string(component));
				 });
}

hostsdk_status requireActivating(PluginSlot& slot)
{
	if (!slot.activating) throw Error(HOSTSDK_E_DENIED, "registration is only allowed during on_activate");
	return HOSTSDK_OK;
}

template <typename F> hostsdk_status registration(void* ctx, hostsdk_sink err, F&& f)
{
	return guard(err,
				 [&]
				 {
					 PluginSlot& slot = slotOf(ctx);
					 requireActivating(slot);
					 std::string message;
					 hostsdk_status st = f(slot, message);
					 if (st != HOSTSDK_OK) throw Error(st, message);
				 });
}

hostsdk_status cbRegisterRoute(void* ctx, const hostsdk_route_v1* route, hostsdk_sink err)
{
	return registration(ctx, err,
						[&](PluginSlot& slot, std::string& message)
						{
							if (!route)
							{
								message = "null route";
								return static_cast<hostsdk_status>(HOSTSDK_E_INVALID);
							}
							return slot.manager->registerRoute(slot, *route, message);
						});
}

hostsdk_status cbRegisterMenu(void* ctx, const char* json, hostsdk_sink err)
{
	return registration(ctx, err,
						[&](PluginSlot& slot, std::string& message)
						{ return slot.manager->registerMenu(slot, json ? json : "", message); });
}

hostsdk_status cbRegisterPage(void* ctx, const char* json, hostsdk_sink err)
{
	return registration(ctx, err,
						[&](PluginSlot& slot, std::string& message)
						{ return slot.manager->registerPage(slot, json ? json : "", message); });
}

hostsdk_status cbRegisterQr(void* ctx, const char* kind, hostsdk_on_qr_render_fn fn, void* user, hostsdk_sink err)
{
	return registration(ctx, err,
						[&](PluginSlot& slot, std::string& message)
						{ return slot.manager->registerQr(slot, kind ? kind : "", fn, user, message); });
}

hostsdk_status cbRegisterHook(void* ctx, uint32_t hookId, hostsdk_on_hook_fn fn, void* user, hostsdk_sink err)
{
	return registration(ctx, err,
						[&](PluginSlot& slot, std::string& message)
						{ return slot.manager->registerHook(slot, hookId, fn, user, message); });
}

int64_t cbClock(void* ctx)
{
	return Secrets::nowMs() + servicesOf(ctx).clockOffsetMs;
}

hostsdk_status cbRandom(void*, uint8_t* buf, size_t n, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 if (!buf && n) throw Error(HOSTSDK_E_INVALID, "null buffer");
					 Secrets::randomBytes(buf, n);
				 });
}

hostsdk_status cbMetricAdd(void* ctx, const char* name, const char* labelsJson, int64_t delta, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 PluginSlot& slot = slotOf(ctx);
					 Metrics* metrics = slot.manager->services().metrics;
					 std::string message;
					 hostsdk_status st;
					 if (metrics)
					 {
						 st = metrics->pluginCounter(slot.id, name, labelsJson, delta, message);
					 }
					 else
					 {
						 // No metrics listener: checked all the same, so a plugin's mistake
						 // shows in every configuration, then dropped.
						 Metrics::Labels labels;
						 st = Metrics::validatePluginCounter(name, labelsJson, delta, labels, message);
					 }
					 if (st != HOSTSDK_OK) throw Error(st, message);
				 });
}

} // namespace HostTable

void fillHostTable(PluginSlot& slot)
{
	using namespace HostTable;
	hostsdk_host_v1& h = slot.host;
	h = hostsdk_host_v1{};
	h.struct_size = sizeof(hostsdk_host_v1);
	h.abi_major = HOSTSDK_ABI_MAJOR;
	h.abi_minor = HOSTSDK_ABI_MINOR;
	h.ctx = &slot;
	h.host_name = "reference-host";
	h.host_version = slot.manager->services().hostVersion.c_str();
	h.cb_log = cbLog;
	h.cb_config = cbConfig;
	h.cb_db_settings = cbDbSettings;
	h.cb_db_migrate = cbDbMigrate;
	h.cb_register_route = cbRegisterRoute;
	h.cb_register_menu = cbRegisterMenu;
	h.cb_register_backoffice_page = cbRegisterPage;
	h.cb_register_qr_renderer = cbRegisterQr;
	h.cb_register_hook = cbRegisterHook;
	h.cb_directory = cbDirectory;
	h.cb_permission_check = cbPermissionCheck;
	h.cb_notify = cbNotify;
	h.cb_notify_resolve = cbNotifyResolve;
	h.cb_outbound_send = cbOutbound;
	h.cb_account = cbAccount;
	h.cb_clock_now_ms = cbClock;
	h.cb_random_bytes = cbRandom;
	h.cb_metric_add = cbMetricAdd;
	h.cb_notify_with_resolve = cbNotifyWithResolve;
}

} // namespace RefHost
