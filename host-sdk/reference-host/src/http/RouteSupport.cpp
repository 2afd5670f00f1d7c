#include "RouteSupport.h"

#include <Poco/NumberParser.h>
#include <sstream>

namespace RefHost
{

Poco::Int64 RouteSupport::pathId(const RouteRequest& request, const std::string& param, const std::string& what)
{
	Poco::Int64 id = 0;
	if (!Poco::NumberParser::tryParse64(request.param(param), id) || id <= 0)
		throw HttpError(404, "not_found", "no such " + what);
	return id;
}

int RouteSupport::limit(const Exchange& ex)
{
	std::string text = ex.queryParam("limit");
	if (text.empty()) return 50;
	int limit = 0;
	if (!Poco::NumberParser::tryParse(text, limit) || limit < 1 || limit > 100)
		throw HttpError(400, "validation_failed", "limit must be an integer 1..100", "limit");
	return limit;
}

Poco::Int64 RouteSupport::cursor(const Exchange& ex)
{
	std::string text = ex.queryParam("cursor");
	Poco::Int64 id = 0;
	if (!text.empty() && (!Poco::NumberParser::tryParse64(text, id) || id <= 0))
		throw HttpError(400, "validation_failed", "invalid cursor", "cursor");
	return id;
}

Poco::Dynamic::Var RouteSupport::nextCursor(Poco::Int64 id)
{
	return id ? Poco::Dynamic::Var(std::to_string(id)) : Poco::Dynamic::Var();
}

std::string RouteSupport::localized(const Poco::Dynamic::Var& labels, const std::string& locale)
{
	if (labels.type() != typeid(Poco::JSON::Object::Ptr)) return labels.isEmpty() ? "" : labels.toString();
	Poco::JSON::Object::Ptr o = labels.extract<Poco::JSON::Object::Ptr>();
	if (o->has(locale)) return o->getValue<std::string>(locale);
	return o->optValue<std::string>("zh-CN", "");
}

std::string RouteSupport::stringify(const Poco::JSON::Object& payload)
{
	std::ostringstream s;
	payload.stringify(s);
	return s.str();
}

std::string RouteSupport::utf8Prefix(const std::string& text, std::size_t max)
{
	if (text.size() <= max) return text;
	std::size_t end = max;
	while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
		--end;
	return text.substr(0, end);
}

void RouteSupport::notAllowed(RouteRequest&)
{
	throw HttpError(405, "method_not_allowed", "method not allowed");
}

} // namespace RefHost
