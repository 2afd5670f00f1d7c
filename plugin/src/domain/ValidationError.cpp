#include "domain/ValidationError.h"

namespace ExternalContacts
{

const std::string ValidationError::VALIDATION_FAILED("validation_failed");
const std::string ValidationError::UNKNOWN_FIELD("unknown_field");
const std::string ValidationError::INVALID_JSON("invalid_json");

ValidationError::ValidationError(const std::string& code, const std::string& field, const std::string& message) :
	ContactsException(Outcome::Invalid, code, message, field)
{
}

ValidationError ValidationError::failed(const std::string& field, const std::string& message)
{
	return ValidationError(VALIDATION_FAILED, field, message);
}

const char* ValidationError::name() const noexcept
{
	return "Validation error";
}

Poco::Exception* ValidationError::clone() const
{
	return new ValidationError(*this);
}

void ValidationError::rethrow() const
{
	throw *this;
}

} // namespace ExternalContacts
