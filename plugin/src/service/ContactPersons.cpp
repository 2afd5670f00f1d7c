#include "service/ContactPersons.h"

#include "domain/AccountExceptions.h"

namespace ExternalContacts
{

ContactPersons::ContactPersons(Database& database, AccountGateway& accounts) : _database(database), _accounts(accounts)
{
}

ContactPerson ContactPersons::of(Poco::Data::Session& session, Poco::Int64 contactId) const
{
	return _store.personOf(session, contactId);
}

ContactPerson ContactPersons::of(Poco::Int64 contactId) const
{
	Poco::Data::Session s = _database.session();
	return _store.personOf(s, contactId);
}

std::vector<Poco::Int64> ContactPersons::contactsOf(Poco::Data::Session& session, Poco::Int64 orgId,
													Poco::Int64 userId) const
{
	return _store.contactsOfUser(session, orgId, userId);
}

void ContactPersons::refuseSecondLogin(const ContactPerson& person)
{
	if (person.hasOwnLogin()) throw PersonHasAccountException();
}

void ContactPersons::refuseNewAccount(const ContactPerson& person)
{
	refuseSecondLogin(person);
	if (person.account) throw AccountExistsException();
}

void ContactPersons::followLevel(Poco::Int64 orgId, const ContactPerson& person, int securityLevel)
{
	for (Poco::Int64 userId : person.usersInOrg())
		_accounts.setSecurityLevel(orgId, userId, securityLevel);
}

} // namespace ExternalContacts
