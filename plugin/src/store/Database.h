#pragma once

#include "hostsdk/support/SqlDatabase.h"
#include <memory>
#include <string>

namespace ExternalContacts
{

class Database : public HostSdk::SqlDatabase
/// The plugin's own pool of sessions on the host's database (SQLite or
/// MySQL/MariaDB), built from the settings the host hands out through
/// cb_db_settings. Checkout validation, dialects and write transactions
/// come from HostSdk::SqlDatabase.
{
public:
	using HostSdk::SqlDatabase::SqlDatabase;

	static std::unique_ptr<Database> fromSettingsJson(const std::string& settingsJson);
	/// A pool for {"connector":"sqlite"|"mysql","connectionString":"…","poolSize":N}
	/// (poolSize optional, default 32). poolSize must cover the host's
	/// request threads: POCO's pool throws at once when exhausted. Throws
	/// Poco::Exception on bad settings or when the database cannot be opened.
};

} // namespace ExternalContacts
