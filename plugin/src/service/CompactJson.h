#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>
#include <string>

namespace ExternalContacts
{

inline std::string compactJson(const Poco::JSON::Object& object)
/// object without spaces, as audit rows and notification outcomes hold it.
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(object, out);
	return out.str();
}

} // namespace ExternalContacts
