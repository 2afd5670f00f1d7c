#pragma once

#include <Poco/JSON/Object.h>
#include <stdexcept>
#include <string>

namespace RefHost
{

class HttpError : public std::runtime_error
/// An answer other than success: {"error":{code,message,field}} with a
/// status, and Retry-After when retryAfter is set. Handlers throw it, and
/// the host's own refusals derive from it, so each carries its code and
/// status (ActivationLinkException, LoginThrottledException,
/// PersonalSettingsError, …): HostErrorResponder answers them all.
{
public:
	HttpError(int status, std::string code, const std::string& message, std::string field = "") :
		std::runtime_error(message), status(status), code(std::move(code)), field(std::move(field))
	{
	}

	virtual void describe(Poco::JSON::Object& error) const
	/// Adds what else the error object says (after code, message and
	/// field); nothing here.
	{
		(void)error;
	}

	int status;
	std::string code;
	std::string field;
	int retryAfter = 0; /// seconds; 0 for no Retry-After
};

} // namespace RefHost
