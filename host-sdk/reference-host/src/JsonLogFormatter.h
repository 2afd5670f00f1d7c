#pragma once

#include <Poco/Formatter.h>

namespace RefHost
{

class JsonLogFormatter : public Poco::Formatter
/// logging.format = json: every log message as one JSON object on one
/// line, {"ts","level","logger","msg"}; an access line (logger
/// "http.access") adds the fields HostRequestHandler puts into the
/// message's parameters: requestId, route, method, status, durationMs,
/// userId. Nothing else of the request is logged.
{
public:
	static const char* const kAccessFields[6];
	/// The message parameters copied into the object when present.

	void format(const Poco::Message& msg, std::string& text) override;
};

} // namespace RefHost
