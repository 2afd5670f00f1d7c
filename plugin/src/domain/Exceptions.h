#pragma once

#include <Poco/Exception.h>

namespace ExternalContacts
{

POCO_DECLARE_EXCEPTION(, ContactsException, Poco::Exception)
/// Base of every exception the plugin throws on purpose.

POCO_DECLARE_EXCEPTION(, AccessDeniedException, ContactsException)
/// The caller may not use this function at all (answers 403). A single
/// contact the caller may not see is never reported this way: it is
/// "not found", exactly like a missing one.

POCO_DECLARE_EXCEPTION(, ContactNotFoundException, ContactsException)
/// The contact does not exist, was deleted, or the caller may not see it
/// (answers 404, the same bytes in every case).

} // namespace ExternalContacts
