#pragma once

#include "domain/AccountApplication.h"
#include "domain/Actor.h"
#include "service/AccountGateway.h"
#include "service/AccountService.h"
#include "service/ContactView.h"
#include "service/Notifier.h"
#include "service/ServiceContext.h"
#include "store/ApplicationStore.h"
#include "store/GroupMaintainerStore.h"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ApplicationService
/// Applications to open an account for an external contact (R3): a
/// member who may edit the contact applies with a remark; the approvers
/// (admins, maintain-holders, the maintainers of the contact's group) are
/// notified with approve / reject (ApplicationNotices); the first decision
/// wins (R3.3); an approval makes the account through the host, pending
/// activation (R3.4); the applicant is told either way (R3.5). Direct
/// assignment (R6.4) approves a pending application or makes the account at
/// once. The accounts themselves are the AccountService's. Thread-safe.
///
/// The decision is one conditional UPDATE in one transaction with the
/// reservation of the contact's account row and the audit row; the
/// database backs it (unique pending application per contact, primary
/// key of the account row). The host user is made after that
/// transaction: the host has its own. If that fails the decision is
/// undone (the application is pending again) and the error is thrown.
{
public:
	static const std::string AUDIT_APPLY;         /// "account.apply"
	static const std::string AUDIT_APPROVE;       /// "account.approve"
	static const std::string AUDIT_REJECT;        /// "account.reject"
	static const std::string AUDIT_CREATE_FAILED; /// "account.create_failed"

	struct Result
	{
		AccountApplication application;
		std::optional<AccountGateway::Created> account; /// after an approval
		std::string notifyError; /// why notifying failed (the change is stored); empty when it did not
	};

	ApplicationService(ServiceContext& context, AccountService& accounts, Notifier& notifier);
	/// contacts, accounts and notifier outlive the service.

	Result apply(const Actor& actor, Poco::Int64 contactId, const std::string& remark, const std::string& remoteAddr);
	/// Submits an application and notifies the approvers. Throws
	/// ContactNotFoundException (not visible), AccessDeniedException (may
	/// only look), ValidationError naming "remark" (over 500 characters,
	/// control characters, invalid UTF-8), AccountExistsException,
	/// PersonHasAccountException (a person of another org with their own
	/// login, ContactPersons), or ApplicationPendingException (one pending
	/// application per contact).

	Result approve(const Actor& actor, Poco::Int64 applicationId, const std::string& remoteAddr);
	/// Approves and makes the account. Throws ContactNotFoundException
	/// (no such application in the org, or its contact is gone or hidden),
	/// AccessDeniedException (not an approver), ApplicationDecidedException
	/// (someone decided first: who and how), AccountExistsException,
	/// PersonHasAccountException (nothing changes: the application stays
	/// pending), or what the host throws (the application is pending again).

	Result reject(const Actor& actor, Poco::Int64 applicationId, const std::string& reason,
				  const std::string& remoteAddr);
	/// Rejects with reason (0..500 characters; ValidationError naming
	/// "reason"); the applicant may apply again. Throws as approve().

	AccountGateway::Created assign(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr);
	/// Direct assignment (R6.4) by an admin or maintain-holder: a pending
	/// application of the contact is approved by them; without one the
	/// account is made at once. Throws ContactNotFoundException (not
	/// visible), AccessDeniedException (may see, may not manage),
	/// AccountExistsException, PersonHasAccountException, or what the host
	/// throws (nothing kept). approve() and assign() give the new account the
	/// contact's level, also one set while the host was making it
	/// (AccountService::followLevelOfNewAccount).

	std::vector<Poco::Int64> approversOf(const Contact& contact);
	/// Admins, maintain-holders and the maintainers of the contact's group
	/// who are members of its org, ascending, without duplicates.

	using Names = std::map<Poco::Int64, ContactView::Person>;

	Names namesIn(const std::vector<AccountApplication>& applications);
	/// The applicants and deciders of applications as the directory names
	/// them, by id (ServiceContext::people).

	Names namesIn(const std::vector<ApplicationStore::LogRow>& rows);
	/// The same for the applications of log rows.

private:
	Names namesOf(const std::set<Poco::Int64>& ids);

	struct Loaded
	{
		AccountApplication application;
		Contact contact;
	};

	Loaded requireDecidable(const Actor& actor, Poco::Int64 applicationId);
	Result decide(const Actor& actor, Poco::Int64 applicationId, AccountApplication::Status status,
				  const std::optional<std::string>& reason, const std::string& remoteAddr);
	std::string displayNameOf(Poco::Int64 userId);
	void tellApplicant(const Loaded& loaded, const AccountApplication& decided, const Result& result,
					   std::string& notifyError);

	ServiceContext& _context;
	GroupMaintainerStore _maintainers;
	AccountService& _accountService;
	AccountGateway& _accounts;
	Notifier& _notifier;
	ApplicationStore& _store;
	ContactPersons& _persons;
};

} // namespace ExternalContacts
