#pragma once

#include "domain/ContactPerson.h"
#include "service/AccountGateway.h"
#include "store/ContactPersonStore.h"
#include "store/Database.h"
#include <optional>

namespace ExternalContacts
{

class ContactPersons
/// The one rule for "who is this contact's person" (ContactPerson: none, an
/// account opened in the org, or a person of another org linked to the
/// contact) and what follows from it at the host. Every place that asks —
/// the directory an external user sees (AccountService::visibleTo), the
/// 安全级别 (SharingService::setPermissions), opening an account
/// (apply / approve / assign), deleting the contact — asks here.
/// Thread-safe.
{
public:
	ContactPersons(Database& database, AccountGateway& accounts);

	ContactPerson of(Poco::Data::Session& session, Poco::Int64 contactId) const;
	ContactPerson of(Poco::Int64 contactId) const;

	std::vector<Poco::Int64> contactsOf(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 userId) const;
	/// The org's contacts whose person is the host user userId (by account
	/// or by link; deleted ones included), ascending.

	static void refuseSecondLogin(const ContactPerson& person);
	/// Throws PersonHasAccountException when the person already logs in
	/// with their own account (a contact from another org).

	static void refuseNewAccount(const ContactPerson& person);
	/// What opening an account (apply, approve, assign) needs: no login of
	/// their own (refuseSecondLogin), and no account opened here yet, in any
	/// state (AccountExistsException).

	void followLevel(Poco::Int64 orgId, const ContactPerson& person, int securityLevel);
	/// Sets the 安全级别 of every host user of the person in the org
	/// (account.set_security_level): the account's, in any state, and the
	/// linked person's external membership. Nothing without a user yet.
	/// What the host throws goes to the caller.

	AccountGateway& accounts()
	{
		return _accounts;
	}

private:
	Database& _database;
	AccountGateway& _accounts;
	ContactPersonStore _store;
};

} // namespace ExternalContacts
