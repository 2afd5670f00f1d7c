#pragma once
// What the files of the reference host's C table share (PluginHostTable.cpp,
// PluginHostDirectory.cpp, PluginHostNotify.cpp, PluginHostAccounts.cpp):
// the guard every callback runs in, the slot behind ctx, JSON out. Not a
// public interface: fillHostTable (PluginSlot.h) is.

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

namespace HostTable
{

using HostSdk::Error;
using HostSdk::writeTo;
using namespace HostSdk::JsonPayload;

template <typename F> hostsdk_status guard(hostsdk_sink err, F&& f) noexcept
// HostSdk::guard, except that a database failure of class Unavailable or
// Busy (HostSdk::SqlDatabase::classify: the one classifier of the host's
// and the plugins' responders) is HOSTSDK_E_UNAVAILABLE (the plugin answers
// 503), not HOSTSDK_E_INTERNAL.
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
								  switch (Database::classify(e))
								  {
								  case Database::Failure::Unavailable:
									  throw Error(HOSTSDK_E_UNAVAILABLE, "the host's database is unavailable");
								  case Database::Failure::Busy:
									  throw Error(HOSTSDK_E_UNAVAILABLE, "the host's database is busy; try again");
								  case Database::Failure::Other:
									  throw;
								  }
							  }
						  });
}

inline PluginSlot& slotOf(void* ctx)
{
	return *static_cast<PluginSlot*>(ctx);
}

inline const PluginManager::Services& servicesOf(void* ctx)
{
	return slotOf(ctx).manager->services();
}

inline void writeJson(hostsdk_sink out, const Poco::JSON::Object& obj)
{
	std::ostringstream s;
	obj.stringify(s);
	writeTo(out, s.str());
}

inline Poco::JSON::Object::Ptr userJson(const User& u)
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

inline Poco::JSON::Object::Ptr membershipJson(const Membership& m)
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

// The callbacks of the table defined in the other PluginHost*.cpp files.
hostsdk_status cbDirectory(void* ctx, const char* op, const char* requestJson, hostsdk_sink out, hostsdk_sink err);
hostsdk_status cbPermissionCheck(void* ctx, int64_t userId, int64_t orgId, const char* permission, int32_t* allowed,
								 hostsdk_sink err);
hostsdk_status cbNotify(void* ctx, const char* json, hostsdk_sink out, hostsdk_sink err);
hostsdk_status cbNotifyResolve(void* ctx, const char* groupKey, const char* outcomeJson, hostsdk_sink err);
hostsdk_status cbNotifyWithResolve(void* ctx, const char* groupKey, const char* outcomeJson, const char* json,
								   hostsdk_sink out, hostsdk_sink err);
hostsdk_status cbOutbound(void* ctx, const char* json, hostsdk_sink err);
hostsdk_status cbAccount(void* ctx, const char* op, const char* requestJson, hostsdk_sink out, hostsdk_sink err);

} // namespace HostTable

} // namespace RefHost
