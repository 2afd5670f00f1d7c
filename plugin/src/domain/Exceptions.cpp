#include "domain/Exceptions.h"

#include <typeinfo>

namespace ExternalContacts
{

POCO_IMPLEMENT_EXCEPTION(ContactsException, Poco::Exception, "External contacts exception")
POCO_IMPLEMENT_EXCEPTION(AccessDeniedException, ContactsException, "Access denied")
POCO_IMPLEMENT_EXCEPTION(ContactNotFoundException, ContactsException, "Contact not found")

DuplicateContactException::DuplicateContactException(std::string field, std::vector<Match> visible,
													 std::size_t hidden) :
	ContactsException("a contact with this " + field + " already exists in this organization"),
	_field(std::move(field)), _visible(std::move(visible)), _hidden(hidden)
{
}

const char* DuplicateContactException::name() const noexcept
{
	return "Duplicate contact";
}

const char* DuplicateContactException::className() const noexcept
{
	return typeid(*this).name();
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
