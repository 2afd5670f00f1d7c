#pragma once

#include "domain/AccountApplication.h"
#include "domain/Actor.h"
#include "service/AccountGateway.h"
#include "service/ContactPersons.h"
#include "service/ServiceContext.h"
#include "store/ApplicationStore.h"
#include "store/ContactStore.h"
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ExternalContacts
{

class AccountService
/// The accounts opened for external contacts (R3.4, R6.4, R6.6, R7.2): the
/// 账号信息 tab, activation links, disabling, enabling and resetting by an
/// admin or maintain-holder, the directory an external user sees, and the
/// account of a deleted contact. The host keeps the accounts (through the
/// AccountGateway); ec_contact_accounts records which contact has which.
/// Applications for an account are the ApplicationService's. Thread-safe.
{
public:
	AccountService(ServiceContext& context, AccountGateway& accounts);
	/// contacts and accounts outlive the service.

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

	enum class AccountChange
	{
		Disable,
		Enable
	};

	std::string changeAccount(const Actor& actor, Poco::Int64 contactId, AccountChange change,
							  const std::string& remoteAddr);
	/// Disables (its sessions end at once) or enables the contact's account;
	/// returns the host's state afterwards. Throws as requireManager(), or
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

	Contact requireManager(const Actor& actor, Poco::Int64 contactId);
	/// The contact, for an admin or maintain-holder who may see it (R6.4).
	/// Throws ContactNotFoundException (not visible) or AccessDeniedException
	/// (may see, may not manage).

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

	AccountGateway& gateway()
	/// The host's accounts.
	{
		return _accounts;
	}

	ApplicationStore& store()
	/// The applications and account rows.
	{
		return _store;
	}

	ContactPersons& persons()
	/// The person of each contact: account opened here or linked login.
	{
		return _persons;
	}

private:
	ApplicationStore::Account requireAccount(Poco::Int64 contactId);
	void auditAccount(const Actor& actor, const Contact& contact, const std::string& action,
					  const std::string& remoteAddr, Poco::Int64 userId, const std::string& status);

	ServiceContext& _context;
	ContactStore _contactStore;
	AccountGateway& _accounts;
	ApplicationStore _store;
	ContactPersons _persons;
};

} // namespace ExternalContacts
