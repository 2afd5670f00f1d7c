#include "JsonLogFormatter.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Message.h>
#include <Poco/NumberParser.h>
#include <sstream>

namespace RefHost
{

const char* const JsonLogFormatter::kAccessFields[6] = {"requestId", "route",      "method",
														"status",    "durationMs", "userId"};

namespace
{

const char* levelName(Poco::Message::Priority p)
{
	switch (p)
	{
	case Poco::Message::PRIO_FATAL:
		return "fatal";
	case Poco::Message::PRIO_CRITICAL:
		return "critical";
	case Poco::Message::PRIO_ERROR:
		return "error";
	case Poco::Message::PRIO_WARNING:
		return "warning";
	case Poco::Message::PRIO_NOTICE:
		return "notice";
	case Poco::Message::PRIO_INFORMATION:
		return "info";
	case Poco::Message::PRIO_DEBUG:
		return "debug";
	case Poco::Message::PRIO_TRACE:
		return "trace";
	}
	return "info";
}

} // namespace

void JsonLogFormatter::format(const Poco::Message& msg, std::string& text)
{
	Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
	o.set("ts", Poco::DateTimeFormatter::format(msg.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ"));
	o.set("level", std::string(levelName(msg.getPriority())));
	o.set("logger", msg.getSource());
	o.set("msg", msg.getText());
	for (const char* field : kAccessFields)
	{
		if (!msg.has(field)) continue;
		const std::string& value = msg.get(field);
		Poco::Int64 n = 0;
		double d = 0;
		// Numbers stay numbers so log tools can compare them.
		if (Poco::NumberParser::tryParse64(value, n))
			o.set(field, n);
		else if (std::string(field) == "durationMs" && Poco::NumberParser::tryParseFloat(value, d))
			o.set(field, d);
		else
			o.set(field, value);
	}
	std::ostringstream out;
	o.stringify(out);
	text = out.str();
}

} // namespace RefHost
