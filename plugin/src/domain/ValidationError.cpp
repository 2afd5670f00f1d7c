#include "domain/ValidationError.h"

#include <typeinfo>

namespace ExternalContacts
{

const std::string ValidationError::VALIDATION_FAILED("validation_failed");
const std::string ValidationError::UNKNOWN_FIELD("unknown_field");
const std::string ValidationError::INVALID_JSON("invalid_json");

ValidationError::ValidationError(const std::string& code, const std::string& field, const std::string& message) :
	ContactsException(message), _code(code), _field(field)
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

const char* ValidationError::className() const noexcept
{
	return typeid(*this).name();
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
