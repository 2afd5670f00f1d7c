#pragma once

#include "hostsdk/support/SqlDatabase.h"

namespace RefHost
{

using Database = HostSdk::SqlDatabase;
/// The host's pool on its database; plugins open their own from the
/// settings of cb_db_settings.

} // namespace RefHost
