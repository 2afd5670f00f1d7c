#include "http/HttpError.h"

namespace ExternalContacts
{

HttpError::HttpError(int status, const std::string& code, const std::string& message, const std::string& field) :
	ContactsException(Outcome::Other, code, message, field), _status(status)
{
}

HttpError HttpError::unauthenticated()
{
	return HttpError(401, "unauthenticated", "sign in first");
}

HttpError HttpError::forbidden(const std::string& message)
{
	return HttpError(403, "forbidden", message);
}

HttpError HttpError::notFound()
{
	return HttpError(404, "not_found", "not found");
}

HttpError HttpError::payloadTooLarge(std::size_t limit)
{
	return HttpError(413, "payload_too_large", "the body may hold at most " + std::to_string(limit) + " bytes");
}

HttpError HttpError::unsupportedMediaType()
{
	return HttpError(415, "unsupported_media_type", "send the body as application/json");
}

const char* HttpError::name() const noexcept
{
	return "HTTP error";
}

Poco::Exception* HttpError::clone() const
{
	return new HttpError(*this);
}

void HttpError::rethrow() const
{
	throw *this;
}

} // namespace ExternalContacts
