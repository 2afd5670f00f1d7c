#pragma once

#include "domain/ContactPerson.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <vector>

namespace ExternalContacts
{

class ContactPersonStore
/// Reads ec_contact_accounts and ec_contact_links together: the store side
/// of the rule "who is this contact's person" (ContactPersons). Works in
/// the session it is given.
{
public:
	ContactPerson personOf(Poco::Data::Session& session, Poco::Int64 contactId) const;
	/// The contact's account row and link, whichever exist.

	std::vector<Poco::Int64> contactsOfUser(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 userId) const;
	/// The org's contacts whose person is userId: by account or by link,
	/// deleted contacts included (the caller checks), ascending.
};

} // namespace ExternalContacts
