#pragma once

#include "Directory.h"
#include <ostream>

namespace RefHost {

class DemoData
	/// The demo organizations and logins of `make run`: seeded once, printed
	/// at every start so a person trying the product knows how to log in.
{
public:
	static bool seed(Directory& directory);
		/// Creates the demo data unless it exists; true when it was created.

	static void printLogins(std::ostream& out);
};

} // namespace RefHost
