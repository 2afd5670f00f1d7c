#include "http/JsonBody.h"

#include "domain/ValidationError.h"
#include "http/HttpError.h"
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <typeinfo>

namespace ExternalContacts
{

Poco::JSON::Object::Ptr JsonBody::parseObject(const std::string& body, const std::string& contentType)
{
	if (body.size() > MAX_BYTES) throw HttpError::payloadTooLarge(MAX_BYTES);
	// A missing Content-Type is refused as well, as the host and the other routes do.
	std::string mediaType = Poco::toLower(Poco::trim(contentType.substr(0, contentType.find(';'))));
	if (mediaType != "application/json") throw HttpError::unsupportedMediaType();
	Poco::Dynamic::Var parsed;
	try
	{
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
		parser.setDepth(MAX_DEPTH);
		parsed = parser.parse(body);
	}
	catch (const Poco::Exception& e)
	{
		throw ValidationError(ValidationError::INVALID_JSON, "", "the body is not valid JSON: " + e.message());
	}
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
		throw ValidationError(ValidationError::INVALID_JSON, "", "the body must be a JSON object");
	return parsed.extract<Poco::JSON::Object::Ptr>();
}

} // namespace ExternalContacts
