#pragma once

#include "domain/AccountApplication.h"
#include "domain/Exceptions.h"

namespace ExternalContacts
{

class ApplicationPendingException : public ContactsException
/// The contact already has a pending application (one at a time, R3.1).
{
public:
	explicit ApplicationPendingException(Poco::Int64 pendingId) :
		ContactsException(Outcome::Conflict, "application_pending", "the contact already has a pending application"),
		pendingId(pendingId)
	{
	}
	Poco::Int64 pendingId;
};

class ApplicationDecidedException : public ContactsException
/// Someone decided the application first (R3.3).
{
public:
	ApplicationDecidedException(AccountApplication::Status status, Poco::Int64 decidedBy) :
		ContactsException(Outcome::Conflict, "already_decided", "the application was already decided"), status(status),
		decidedBy(decidedBy)
	{
	}
	AccountApplication::Status status;
	Poco::Int64 decidedBy;
};

class AccountExistsException : public ContactsException
/// The contact already has an account.
{
public:
	AccountExistsException() :
		ContactsException(Outcome::Conflict, "account_exists", "the contact already has an account")
	{
	}
};

class PersonHasAccountException : public ContactsException
/// The contact is a person of another organization (从其他组织添加) who logs
/// in with their own account: no second login is opened for them.
{
public:
	PersonHasAccountException() :
		ContactsException(Outcome::Conflict, "person_has_account",
						  "this contact is a member of another organization and logs in with their own account; "
						  "no account can be opened for them")
	{
	}
};

class NoAccountException : public ContactsException
/// The contact has no account (to disable, enable or reset).
{
public:
	NoAccountException() : ContactsException(Outcome::Conflict, "no_account", "the contact has no account") {}
};

class NoPendingAccountException : public ContactsException
/// The contact has no account waiting for activation.
{
public:
	NoPendingAccountException() :
		ContactsException(Outcome::Conflict, "no_pending_account", "the contact has no account waiting for activation")
	{
	}
};

} // namespace ExternalContacts
