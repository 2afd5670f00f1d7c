#include "domain/Exceptions.h"

#include <typeinfo>

namespace ExternalContacts
{

POCO_IMPLEMENT_EXCEPTION(ContactsException, Poco::Exception, "External contacts exception")
POCO_IMPLEMENT_EXCEPTION(AccessDeniedException, ContactsException, "Access denied")
POCO_IMPLEMENT_EXCEPTION(ContactNotFoundException, ContactsException, "Contact not found")

} // namespace ExternalContacts
