#pragma once

#include "Database.h"
#include "Directory.h"
#include "ExternalAccounts.h"
#include "MenuAccess.h"
#include "Metrics.h"
#include "NotificationCenter.h"
#include "PersonalSettings.h"
#include "PluginManager.h"
#include "SessionManager.h"
#include "TrustedProxies.h"
#include <string>

namespace RefHost
{

struct HostContext
/// What every request handler needs; owned by the application, alive
/// while the server runs.
{
	Database* db = nullptr;
	Directory* directory = nullptr;
	SessionManager* sessions = nullptr;
	ExternalAccounts* accounts = nullptr;
	NotificationCenter* notifications = nullptr;
	MenuAccess* menuAccess = nullptr;     // back-office menu switches (R7.2)
	PersonalSettings* personal = nullptr; // /api/me/profile, password, contact bindings (R7.3)
	PluginManager* plugins = nullptr;
	Metrics* metrics = nullptr; // null: no metrics listener, nothing recorded
	bool accessLog = false;    // one "http.access" line per request at information (logging.format=json), else at debug
	std::string webRoot;       // the shell's files, served at /assets/
	std::string resourcesRoot; // resources/, plugin web files under web/<id>/
	bool secureCookies = false; // Secure on the session cookie always (else only when a trusted proxy says https)
	const TrustedProxies* trustedProxies = nullptr; // http.trustedProxies; null: believe no X-Forwarded-*
};

} // namespace RefHost
