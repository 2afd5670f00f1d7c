#pragma once

#include <Poco/JSON/Object.h>
#include <cstddef>
#include <string>

namespace ExternalContacts
{

class JsonBody
/// Reads a request body that must be one JSON object.
{
public:
	static constexpr std::size_t MAX_BYTES = 64 * 1024;
	static constexpr std::size_t MAX_DEPTH = 8;

	static Poco::JSON::Object::Ptr parseObject(const std::string& body, const std::string& contentType);
	/// The object in body, its members in document order. Throws
	/// HttpError 413 above MAX_BYTES, 415 when contentType is missing or
	/// is not application/json, and ValidationError "invalid_json" when
	/// body is not a JSON object (or nests deeper than MAX_DEPTH).
};

} // namespace ExternalContacts
