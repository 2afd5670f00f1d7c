#include "domain/Exceptions.h"

#include <typeinfo>

namespace ExternalContacts
{

ContactsException::ContactsException(Outcome outcome, std::string code, const std::string& message, std::string field) :
	Poco::Exception(message), _outcome(outcome), _code(std::move(code)), _field(std::move(field))
{
}

const char* ContactsException::name() const noexcept
{
	return "External contacts exception";
}

const char* ContactsException::className() const noexcept
{
	return typeid(*this).name();
}

Poco::Exception* ContactsException::clone() const
{
	return new ContactsException(*this);
}

void ContactsException::rethrow() const
{
	throw *this;
}

DuplicateContactException::DuplicateContactException(std::string field, std::vector<Match> visible,
													 std::size_t hidden) :
	ContactsException(Outcome::Conflict, "duplicate",
					  "a contact with this " + field + " already exists in this organization", field),
	_visible(std::move(visible)), _hidden(hidden)
{
}

const char* DuplicateContactException::name() const noexcept
{
	return "Duplicate contact";
}

Poco::Exception* DuplicateContactException::clone() const
{
	return new DuplicateContactException(*this);
}

void DuplicateContactException::rethrow() const
{
	throw *this;
}

} // namespace ExternalContacts
