#pragma once

#include <Poco/JSON/Object.h>
#include <exception>
#include <functional>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>
#include <string>
#include <utility>
#include <vector>

namespace ExternalContacts
{

class ErrorResponder
/// The plugin's one failure policy: whatever a route handler throws is
/// answered here (describe()), in one of two renderings —
/// JSON {"error":{"code","message","field"}, …} for the API routes, an HTML
/// page for the public invitation page. Database failures go by
/// HostSdk::SqlDatabase::classify() and answerFor(): Unavailable and Busy
/// 503 with Retry-After, Other 500 (issue 15, item 1).
{
public:
	enum class Rendering
	{
		Json,
		Html
	};

	struct Failure
	/// The answer to one exception.
	{
		int status = 500;
		std::string code = "internal";
		std::string message = "internal error";
		std::string field;
		std::string retryAfter;                                        /// the Retry-After header, "" for none
		std::vector<std::pair<std::string, Poco::Dynamic::Var>> extra; /// JSON members after "error"
		std::string page;                                              /// HTML body, "" for InvitePage::unavailable()
		int logLevel = 0;                                              /// HOSTSDK_LOG_* level, 0 when not logged
		std::string logText;
	};

	using Logger = std::function<void(int level, const std::string& message)>;
	using PersonJson = std::function<Poco::JSON::Object::Ptr(Poco::Int64 userId)>;
	using Body = std::function<void(const HostSdk::Request&, const HostSdk::Response&)>;

	ErrorResponder(Rendering rendering, Logger logger, PersonJson person = PersonJson());
	/// logger receives internal failures ("METHOD path: text"; the HTML
	/// rendering logs the route pattern: the path holds a token). person
	/// names who decided an application (already_decided), when given.

	void run(const Body& body, const hostsdk_request_v1* request, const hostsdk_response_v1* response) const noexcept;
	/// Runs body; answers any exception it throws. Never throws.

	Failure describe(const std::exception_ptr& error) const;
	/// The answer to error: the plugin's own exceptions (ContactsException)
	/// by their outcome's status (an HttpError's own), code, message and
	/// field, plus what the few that say more add; host errors by their
	/// status; every other exception by SqlDatabase::classify().

	void send(const HostSdk::Response& response, const Failure& failure) const;
	/// Writes failure in this responder's rendering.

private:
	Rendering _rendering;
	Logger _logger;
	PersonJson _person;
};

} // namespace ExternalContacts
