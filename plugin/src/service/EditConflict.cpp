#include "service/EditConflict.h"

#include <typeinfo>

namespace ExternalContacts
{

EditConflict::EditConflict(ContactView current) :
	ContactsException(Outcome::Conflict, "conflict",
					  "the contact was changed by someone else; reload it and apply your change again"),
	_current(std::move(current))
{
}

const char* EditConflict::name() const noexcept
{
	return "Edit conflict";
}

const char* EditConflict::className() const noexcept
{
	return typeid(*this).name();
}

Poco::Exception* EditConflict::clone() const
{
	return new EditConflict(*this);
}

void EditConflict::rethrow() const
{
	throw *this;
}

} // namespace ExternalContacts
