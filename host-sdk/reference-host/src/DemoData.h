#pragma once

#include "Directory.h"
#include "ExternalAccounts.h"
#include <ostream>

namespace RefHost
{

class DemoData
/// The demo organizations and logins of `make run`: seeded once, printed
/// at every start so a person trying the product knows how to log in.
{
public:
	static bool seed(Directory& directory);
	/// Creates the demo data unless it exists; true when it was created.

	static bool activateExternal(Directory& directory, ExternalAccounts& accounts);
	/// The demo external login (EXTERNAL_LOGIN, Emily Chen): the
	/// External Contacts plugin makes the account, pending activation, when
	/// it seeds its demo contacts (setting demoContacts); this chooses its
	/// password as its owner would on the activation page. Only for that
	/// login while it is pending and an external user of 星河科技 only;
	/// true when it was activated. Call after the plugins started.

	static void printLogins(std::ostream& out);

	static const char* const EXTERNAL_LOGIN;    /// "emily.chen"
	static const char* const EXTERNAL_PASSWORD; /// "Demo-External-2026!"
};

} // namespace RefHost
