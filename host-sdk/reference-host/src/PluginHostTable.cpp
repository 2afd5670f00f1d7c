// The reference host's side of the C ABI: every hostsdk_cb_* the plugins
// call. Each function is noexcept in effect (HostSdk::guard) and scoped to
// the calling plugin through the slot its ctx points to.
#include "Database.h"
#include "Directory.h"
#include "ExternalAccounts.h"
#include "Metrics.h"
#include "MigrationRunner.h"
#include "NotificationCenter.h"
#include "PluginManager.h"
#include "PluginSlot.h"
#include "Secrets.h"
#include "SessionManager.h"
#include "hostsdk/Error.h"
#include "hostsdk/support/JsonPayload.h"
#include <Poco/Data/DataException.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <algorithm>
#include <sstream>

namespace RefHost
{

namespace
{

using HostSdk::Error;
using HostSdk::writeTo;
using namespace HostSdk::JsonPayload;

template <typename F> hostsdk_status guard(hostsdk_sink err, F&& f) noexcept
// HostSdk::guard, except that a database the host cannot reach, or one
// that gave up on locks (deadlock, lock wait timeout: nothing written), is
// HOSTSDK_E_UNAVAILABLE (the plugin answers 503), not HOSTSDK_E_INTERNAL.
// The message names no server, user or statement: it crosses into the plugin.
{
	return HostSdk::guard(err,
						  [&]
						  {
							  try
							  {
								  f();
							  }
							  catch (const Poco::Data::DataException& e)
							  {
								  if (Database::isUnavailable(e))
									  throw Error(HOSTSDK_E_UNAVAILABLE, "the host's database is unavailable");
								  if (Database::isContention(e))
									  throw Error(HOSTSDK_E_UNAVAILABLE, "the host's database is busy; try again");
								  throw;
							  }
						  });
}

PluginSlot& slotOf(void* ctx)
{
	return *static_cast<PluginSlot*>(ctx);
}

const PluginManager::Services& servicesOf(void* ctx)
{
	return slotOf(ctx).manager->services();
}

void writeJson(hostsdk_sink out, const Poco::JSON::Object& obj)
{
	std::ostringstream s;
	obj.stringify(s);
	writeTo(out, s.str());
}

Poco::JSON::Object::Ptr userJson(const User& u)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("id", u.id);
	o->set("login", u.login);
	o->set("displayName", u.displayName);
	o->set("title", u.title);
	o->set("email", u.email);
	o->set("mobile", u.mobile);
	o->set("status", u.status);
	return o;
}

Poco::JSON::Object::Ptr membershipJson(const Membership& m)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("orgId", m.orgId);
	o->set("orgName", m.orgName);
	o->set("userId", m.userId);
	o->set("kind", m.kind);
	o->set("isAdmin", m.isAdmin);
	o->set("securityLevel", m.securityLevel);
	return o;
}

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

// {items: [user + kind + isAdmin], nextAfterUserId: 0 when last page}.
void writeMemberPage(const Directory::MemberPage& page, Poco::JSON::Object& result)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const auto& [m, u] : page.items)
	{
		Poco::JSON::Object::Ptr o = userJson(u);
		o->set("kind", m.kind);
		o->set("isAdmin", m.isAdmin);
		items->add(o);
	}
	result.set("items", items);
	result.set("nextAfterUserId", page.nextAfterId);
}

// members.find {orgName, q, limit?} → {org: {id, name} | null, items: [{userId,
// displayName, title, mobileMasked, emailMasked}]}: people of another org
// (R5.1), both fields required so that this never lists a directory.
void findMembers(Directory& dir, const Poco::JSON::Object::Ptr& req, Poco::JSON::Object& result)
{
	std::string orgName = requireText(req, "orgName");
	std::string q = requireText(req, "q");
	int limit = optionalInt(req, "limit", 10, 1, 20);
	Directory::FindResult found;
	try
	{
		found = dir.findMembers(orgName, q, limit);
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw Error(HOSTSDK_E_INVALID, e.message());
	}
	if (found.org)
	{
		Poco::JSON::Object::Ptr org = new Poco::JSON::Object;
		org->set("id", found.org->id);
		org->set("name", found.org->name);
		result.set("org", org);
	}
	else
	{
		result.set("org", Poco::Dynamic::Var());
	}
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const Directory::FoundMember& m : found.items)
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("userId", m.userId);
		o->set("displayName", m.displayName);
		o->set("title", m.title);
		o->set("mobileMasked", m.mobileMasked);
		o->set("emailMasked", m.emailMasked);
		items->add(o);
	}
	result.set("items", items);
}

hostsdk_status cbDirectory(void* ctx, const char* op, const char* requestJson, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 Directory& dir = *servicesOf(ctx).directory;
					 const std::string operation = op ? op : "";
					 Poco::JSON::Object::Ptr req = parseObject(requestJson);
					 Poco::JSON::Object result;
					 if (operation == "user.get")
					 {
						 auto u = dir.userById(requireId(req, "id"));
						 if (!u) throw Error(HOSTSDK_E_NOT_FOUND, "no such user");
						 writeJson(out, *userJson(*u));
						 return;
					 }
					 if (operation == "users.get")
					 {
						 std::vector<Poco::Int64> v = idList(req, "ids", 1000);
						 Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
						 for (const User& u : dir.usersByIds(v))
							 items->add(userJson(u));
						 result.set("items", items);
					 }
					 else if (operation == "org.get")
					 {
						 auto o = dir.orgById(requireId(req, "id"));
						 if (!o) throw Error(HOSTSDK_E_NOT_FOUND, "no such organization");
						 result.set("id", o->id);
						 result.set("name", o->name);
						 result.set("defaultSecurityLevel", o->defaultSecurityLevel);
					 }
					 else if (operation == "memberships.of_user")
					 {
						 Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
						 for (const Membership& m : dir.membershipsOfUser(requireId(req, "userId")))
							 items->add(membershipJson(m));
						 result.set("items", items);
					 }
					 else if (operation == "member.is_member")
					 {
						 auto m = dir.membership(requireId(req, "orgId"), requireId(req, "userId"));
						 result.set("member", m.has_value());
						 result.set("kind", m ? m->kind : std::string());
					 }
					 else if (operation == "members.of_org")
					 {
						 auto page = dir.membersOfOrg(requireId(req, "orgId"), afterUserId(req), pageLimit(req));
						 writeMemberPage(page, result);
					 }
					 else if (operation == "members.with_permission")
					 {
						 std::string permission = permissionName(req);
						 bool includeAdmins = optionalFlag(req, "includeAdmins", true);
						 auto page = dir.holdersOfPermission(requireId(req, "orgId"), permission, includeAdmins,
															 afterUserId(req), pageLimit(req));
						 writeMemberPage(page, result);
					 }
					 else if (operation == "members.search")
					 {
						 if (!req->has("q") || !req->get("q").isString())
							 throw Error(HOSTSDK_E_INVALID, "q must be a string");
						 try
						 {
							 auto page = dir.searchMembers(requireId(req, "orgId"), req->getValue<std::string>("q"),
														   afterUserId(req), pageLimit(req));
							 writeMemberPage(page, result);
						 }
						 catch (const Poco::InvalidArgumentException& e)
						 {
							 throw Error(HOSTSDK_E_INVALID, e.message());
						 }
					 }
					 else if (operation == "members.find")
					 {
						 findMembers(dir, req, result);
					 }
					 else
					 {
						 throw Error(HOSTSDK_E_UNSUPPORTED, "unknown directory operation '" + operation + "'");
					 }
					 writeJson(out, result);
				 });
}

hostsdk_status cbPermissionCheck(void* ctx, int64_t userId, int64_t orgId, const char* permission, int32_t* allowed,
								 hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 if (!allowed || !permission) throw Error(HOSTSDK_E_INVALID, "null argument");
					 *allowed = servicesOf(ctx).directory->hasPermission(userId, orgId, permission) ? 1 : 0;
				 });
}

hostsdk_status cbNotify(void* ctx, const char* json, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 std::vector<Poco::Int64> ids;
					 try
					 {
						 ids = servicesOf(ctx).notifications->notify(slotOf(ctx).id, json ? json : "");
					 }
					 catch (const Poco::InvalidArgumentException& e)
					 {
						 throw Error(HOSTSDK_E_INVALID, e.displayText());
					 }
					 Poco::JSON::Object result;
					 Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
					 for (auto id : ids)
						 arr->add(id);
					 result.set("ids", arr);
					 writeJson(out, result);
				 });
}

hostsdk_status cbNotifyResolve(void* ctx, const char* groupKey, const char* outcomeJson, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 parseObject(outcomeJson);
					 servicesOf(ctx).notifications->resolve(slotOf(ctx).id, groupKey ? groupKey : "", outcomeJson);
				 });
}

hostsdk_status cbOutbound(void* ctx, const char* json, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 try
					 {
						 servicesOf(ctx).notifications->enqueueOutbound(slotOf(ctx).id, json ? json : "");
					 }
					 catch (const Poco::InvalidArgumentException& e)
					 {
						 throw Error(HOSTSDK_E_INVALID, e.displayText());
					 }
				 });
}

void writeLink(const ExternalAccounts::Link& link, Poco::JSON::Object& result)
{
	Poco::JSON::Object::Ptr activation = new Poco::JSON::Object;
	activation->set("token", link.token);
	activation->set("path", link.path);
	activation->set("url", link.url);
	activation->set("expiresAt", link.expiresAt);
	result.set("activation", activation);
}

// account.create_pending {orgId, displayName, loginHint?, securityLevel?, ttlSeconds?}
//   → {userId, login, status:"pending", activation:{token, path, url, expiresAt}}
// account.reset {userId, ttlSeconds?} → {userId, status:"pending", activation:{…}}
// account.set_security_level {orgId, userId, securityLevel} → {orgId, userId, securityLevel}
void accountOperation(ExternalAccounts& accounts, const std::string& operation, const Poco::JSON::Object::Ptr& req,
					  Poco::JSON::Object& result)
{
	try
	{
		if (operation == "account.create_pending")
		{
			if (!req->has("displayName") || !req->get("displayName").isString())
				throw Error(HOSTSDK_E_INVALID, "displayName must be a string");
			std::string hint;
			if (req->has("loginHint"))
			{
				if (!req->get("loginHint").isString()) throw Error(HOSTSDK_E_INVALID, "loginHint must be a string");
				hint = req->getValue<std::string>("loginHint");
			}
			auto created =
				accounts.createPending(requireId(req, "orgId"), req->getValue<std::string>("displayName"), hint,
									   optionalInt(req, "securityLevel", 0, -999, 0),
									   optionalInt(req, "ttlSeconds", 0, 0, ExternalAccounts::TTL_MAX_SECONDS));
			result.set("userId", created.userId);
			result.set("login", created.login);
			result.set("status", "pending");
			writeLink(created.link, result);
		}
		else if (operation == "account.reset")
		{
			Poco::Int64 userId = requireId(req, "userId");
			writeLink(accounts.reset(userId, optionalInt(req, "ttlSeconds", 0, 0, ExternalAccounts::TTL_MAX_SECONDS)),
					  result);
			result.set("userId", userId);
			result.set("status", "pending");
		}
		else
		{
			if (!req->has("securityLevel")) throw Error(HOSTSDK_E_INVALID, "securityLevel is required");
			Poco::Int64 orgId = requireId(req, "orgId");
			Poco::Int64 userId = requireId(req, "userId");
			int level = optionalInt(req, "securityLevel", 0, -999, 0);
			accounts.setSecurityLevel(orgId, userId, level);
			result.set("orgId", orgId);
			result.set("userId", userId);
			result.set("securityLevel", level);
		}
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw Error(HOSTSDK_E_INVALID, e.message());
	}
	catch (const Poco::NotFoundException& e)
	{
		throw Error(HOSTSDK_E_NOT_FOUND, e.message());
	}
	catch (const Poco::NoPermissionException& e)
	{
		throw Error(HOSTSDK_E_DENIED, e.message());
	}
	catch (const Poco::IllegalStateException& e)
	{
		throw Error(HOSTSDK_E_CONFLICT, e.message());
	}
	catch (const Poco::ExistsException& e)
	{
		throw Error(HOSTSDK_E_CONFLICT, e.message());
	}
}

hostsdk_status cbAccount(void* ctx, const char* op, const char* requestJson, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 const auto& services = servicesOf(ctx);
					 Directory& dir = *services.directory;
					 const std::string operation = op ? op : "";
					 Poco::JSON::Object::Ptr req = parseObject(requestJson);
					 Poco::JSON::Object result;
					 if (operation == "account.get")
					 {
						 auto u = dir.userById(requireId(req, "userId"));
						 if (!u) throw Error(HOSTSDK_E_NOT_FOUND, "no such user");
						 writeJson(out, *userJson(*u));
						 return;
					 }
					 if (operation == "account.disable" || operation == "account.enable")
					 {
						 Poco::Int64 userId = requireId(req, "userId");
						 if (!dir.userById(userId)) throw Error(HOSTSDK_E_NOT_FOUND, "no such user");
						 // Plugins manage external accounts only: a user who is a member of
						 // any org (an admin, a colleague) is out of their reach.
						 std::vector<Membership> memberships = dir.membershipsOfUser(userId);
						 if (memberships.empty() ||
							 std::any_of(memberships.begin(), memberships.end(),
										 [](const Membership& m) { return m.kind != "external"; }))
							 throw Error(HOSTSDK_E_DENIED,
										 "only accounts of external users can be disabled or enabled by a plugin");
						 bool disable = operation == "account.disable";
						 // An account that never chose a password goes back to waiting for activation.
						 std::string status = disable                                      ? "disabled"
											  : dir.userById(userId)->passwordHash.empty() ? "pending"
																						   : "active";
						 dir.setUserStatus(userId, status);
						 if (disable)
						 {
							 int ended = services.sessions->endSessionsOfUser(userId);
							 result.set("sessionsEnded", ended);
							 Poco::JSON::Object payload;
							 payload.set("userId", userId);
							 std::ostringstream s;
							 payload.stringify(s);
							 slotOf(ctx).manager->fireHook(HOSTSDK_HOOK_USER_HAS_BEEN_DISABLED, s.str());
						 }
						 result.set("status", status);
					 }
					 else if (operation == "membership.add_external")
					 {
						 Poco::Int64 orgId = requireId(req, "orgId");
						 Poco::Int64 userId = requireId(req, "userId");
						 int level = membershipLevel(req);
						 if (!dir.orgById(orgId) || !dir.userById(userId))
							 throw Error(HOSTSDK_E_NOT_FOUND, "no such org or user");
						 if (dir.membership(orgId, userId))
							 throw Error(HOSTSDK_E_CONFLICT, "already a member of this org");
						 dir.addMembership(orgId, userId, "external", false, level);
						 result.set("orgId", orgId);
						 result.set("userId", userId);
						 result.set("kind", "external");
					 }
					 else if (operation == "membership.remove_external")
					 {
						 Poco::Int64 orgId = requireId(req, "orgId");
						 Poco::Int64 userId = requireId(req, "userId");
						 std::optional<Membership> m = dir.membership(orgId, userId);
						 if (m && m->kind != "external")
							 throw Error(HOSTSDK_E_DENIED, "a plugin removes external memberships only");
						 // Conditional on the kind in one statement, so a membership changed
						 // meanwhile is never removed as an external one.
						 if (!m || !dir.removeExternalMembership(orgId, userId))
							 throw Error(HOSTSDK_E_NOT_FOUND, "the user is no external member of this org");
						 result.set("removed", true);
					 }
					 else if (operation == "account.create_pending" || operation == "account.reset" ||
							  operation == "account.set_security_level")
					 {
						 if (!services.accounts)
							 throw Error(HOSTSDK_E_UNSUPPORTED, "this host does not manage external accounts");
						 accountOperation(*services.accounts, operation, req, result);
					 }
					 else
					 {
						 throw Error(HOSTSDK_E_UNSUPPORTED, "unknown account operation '" + operation + "'");
					 }
					 writeJson(out, result);
				 });
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

} // namespace

void fillHostTable(PluginSlot& slot)
{
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
}

} // namespace RefHost
