#pragma once

#include "domain/Exceptions.h"
#include <string>

namespace ExternalContacts
{

class ValidationError : public ContactsException
/// Input that breaks a rule (Invalid): carries the API error code
/// ("validation_failed", "unknown_field", "invalid_json") and the name of
/// the field at fault ("" when no single field is).
{
public:
	static const std::string VALIDATION_FAILED;
	static const std::string UNKNOWN_FIELD;
	static const std::string INVALID_JSON;

	ValidationError(const std::string& code, const std::string& field, const std::string& message);

	static ValidationError failed(const std::string& field, const std::string& message);
	/// A "validation_failed" error naming field.

	const char* name() const noexcept override;
	Poco::Exception* clone() const override;
	void rethrow() const override;
};

} // namespace ExternalContacts
