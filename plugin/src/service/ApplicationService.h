#pragma once

#include "domain/AccountApplication.h"
#include "domain/Actor.h"
#include "service/AccountGateway.h"
#include "service/ContactPersons.h"
#include "service/ContactService.h"
#include "service/Notifier.h"
#include "service/ServiceContext.h"
#include "store/ApplicationStore.h"
#include "store/ContactStore.h"
#include "store/GroupMaintainerStore.h"
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
/// notified with approve / reject; the first decision wins (R3.3); an
/// approval makes the account through the host, pending activation
/// (R3.4); the applicant is told either way (R3.5). Thread-safe.
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
	static const std::string NOTICE_APPLICATION;  /// "external-contacts.application"
	static const std::string NOTICE_DECISION;     /// "external-contacts.application-decided"

	struct Result
	{
		AccountApplication application;
		std::optional<AccountGateway::Created> account; /// after an approval
		std::string notifyError; /// why notifying failed (the change is stored); empty when it did not
	};

	ApplicationService(ServiceContext& context, ContactService& contacts, AccountGateway& accounts, Notifier& notifier);

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

	struct AccountView
	/// The 账号信息 tab.
	{
		std::optional<ApplicationStore::Account> account; /// status as the host reports it
		std::optional<AccountApplication> pending;
		std::vector<AccountApplication> applications; /// newest first
		bool mayApply = false;
		bool mayDecide = false;
		bool mayManage = false;
		bool personHasAccount = false; /// a person of another org with their own login: no account to open
	};

	static constexpr std::size_t HISTORY_MAX = 20;

	AccountView accountView(const Actor& actor, Poco::Int64 contactId);
	/// For those who may edit the contact: ContactNotFoundException /
	/// AccessDeniedException as ContactAccess::requireEditable.

	AccountGateway::Link activationLink(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr);
	/// A fresh activation link for the contact's account waiting for
	/// activation (earlier links stop working), with an audit row that
	/// does not hold it. Throws as accountView(), or
	/// NoPendingAccountException.

	struct LogPage
	/// A page of the back-office log (R3.6), newest first.
	{
		std::vector<ApplicationStore::LogRow> items;
		std::optional<std::string> nextCursor;
	};

	static constexpr std::size_t LOG_LIMIT_MAX = 100;
	static constexpr std::size_t EXPORT_MAX = 10000;

	LogPage log(const Actor& actor, const ApplicationFilter& filter, const std::string& cursor, std::size_t limit);
	/// For admins and maintain-holders (else AccessDeniedException).
	/// ValidationError naming "limit" (1..LOG_LIMIT_MAX), "cursor" (not one
	/// this log handed out), "q" (a keyword over 50 characters), or "to" (not
	/// after "from").

	std::vector<ApplicationStore::LogRow> exportLog(const Actor& actor, const ApplicationFilter& filter,
													bool& truncated);
	/// Every entry that passes filter, newest first, at most EXPORT_MAX
	/// (truncated says there were more); read page by page.

	static std::string encodeLogCursor(const ApplicationLogKey& key);
	static ApplicationLogKey decodeLogCursor(const std::string& cursor);
	/// "<submittedAt>.<id>"; decode throws ValidationError naming "cursor".

	AccountGateway::Created assign(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr);
	/// Direct assignment (R6.4) by an admin or maintain-holder: a pending
	/// application of the contact is approved by them; without one the
	/// account is made at once. Throws ContactNotFoundException (not
	/// visible), AccessDeniedException (may see, may not manage),
	/// AccountExistsException, PersonHasAccountException, or what the host
	/// throws (nothing kept). approve() and assign() give the new account the
	/// contact's level, also one set while the host was making it
	/// (followLevelOfNewAccount).

	enum class AccountChange
	{
		Disable,
		Enable
	};

	std::string changeAccount(const Actor& actor, Poco::Int64 contactId, AccountChange change,
							  const std::string& remoteAddr);
	/// Disables (its sessions end at once) or enables the contact's account;
	/// returns the host's state afterwards. Throws as assign(), or
	/// NoAccountException when the contact has no account.

	AccountGateway::Link resetAccount(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr);
	/// Takes the password away (sessions end) and issues a new activation
	/// link. Throws as changeAccount(); the host refuses a disabled account
	/// (HostSdk::Error E_CONFLICT: enable it first).

	std::set<Poco::Int64> visibleTo(Poco::Int64 orgId, Poco::Int64 externalUserId);
	/// R7.2: the members an external user may see in the org's directory —
	/// the visible-members list of the contact whose person they are
	/// (ContactPersons: the account opened for them, or the person of
	/// another org linked to it; none when neither, or the contact was
	/// deleted).

	void contactDeleted(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr);
	/// R6.6: after the contact was deleted, disables the account opened for
	/// its person at the host (its sessions end) with an audit row; nothing
	/// when it has none. A linked person of another org keeps their login
	/// (OrgRequestService::contactDeleted ends their external membership).

	std::vector<Poco::Int64> approversOf(const Contact& contact);
	/// Admins, maintain-holders and the maintainers of the contact's group
	/// who are members of its org, ascending, without duplicates.

	ApplicationStore& store()
	{
		return _store;
	}

	ContactPersons& persons()
	{
		return _persons;
	}

private:
	struct Loaded
	{
		AccountApplication application;
		Contact contact;
	};

	Loaded requireDecidable(const Actor& actor, Poco::Int64 applicationId);
	Contact requireManager(const Actor& actor, Poco::Int64 contactId);
	ApplicationStore::Account requireAccount(Poco::Int64 contactId);
	void auditAccount(const Actor& actor, const Contact& contact, const std::string& action,
					  const std::string& remoteAddr, Poco::Int64 userId, const std::string& status);
	void requireLogReader(const Actor& actor, const ApplicationFilter& filter);
	Result decide(const Actor& actor, Poco::Int64 applicationId, AccountApplication::Status status,
				  const std::optional<std::string>& reason, const std::string& remoteAddr);
	void followLevelOfNewAccount(const Actor& actor, Poco::Int64 contactId, Poco::Int64 userId, int madeWith,
								 const std::string& remoteAddr);
	/// The host made the account userId with the level madeWith, read before
	/// the 'creating' row; a 安全级别 stored since found no user to send it to
	/// (SharingService::setPermissions). Sends the contact's current level
	/// when it differs (account.set_security_level), again while it keeps
	/// changing. When the host refuses, the contact's level goes back to the
	/// account's (a further version and contact.permissions row, as
	/// setPermissions undoes) unless the contact changed meanwhile; the
	/// account stays and nothing is thrown. A contact deleted meanwhile has
	/// its new account disabled, as contactDeleted() does (R6.6).
	void tellApplicant(const Loaded& loaded, const AccountApplication& decided, const Result& result,
					   std::string& notifyError);

	ServiceContext& _context;
	ContactStore _contactStore;
	GroupMaintainerStore _maintainers;
	ContactService& _contacts;
	AccountGateway& _accounts;
	Notifier& _notifier;
	ApplicationStore _store;
	ContactPersons _persons;
};

} // namespace ExternalContacts
