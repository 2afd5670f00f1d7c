#pragma once

#include "Exchange.h"

namespace RefHost
{

class HostErrorResponder
/// The host's one answer to a request that failed, in the JSON error shape
/// {"error":{code,message,field}}: an HttpError — also each refusal of the
/// host's own, which derives from it (LoginThrottledException,
/// ActivationLinkException, PersonalSettingsError, …) — answers its own
/// status, code and Retry-After; a client that went away gets nothing; anything else is classified
/// by HostSdk::SqlDatabase::classify() and answered by answerFor() — a
/// database that is unavailable or busy 503 unavailable with Retry-After: 1,
/// everything else (an SQL error, a bug) 500 internal. The log line names
/// the class and the route pattern, never the path; no detail of the
/// server reaches the client.
{
public:
	static void answerCurrent(Exchange* ex, Poco::Net::HTTPServerResponse& response, const std::string& method,
							  const std::string& route) noexcept;
	/// Answers the exception being handled (call it inside a catch block).
	/// ex: null when the request could not even be read (the answer then
	/// closes the connection); nothing is sent when ex already answered.
};

} // namespace RefHost
