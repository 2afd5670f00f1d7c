#include "service/AccountService.h"

#include "domain/AccessPolicy.h"
#include "domain/AccountExceptions.h"
#include "domain/Exceptions.h"
#include "service/CompactJson.h"
#include "service/SharingService.h"
#include <Poco/JSON/Object.h>

namespace ExternalContacts
{

namespace
{

// How often a new account's level is sent again when the contact's level
// keeps changing while it is sent (followLevelOfNewAccount).
constexpr int FOLLOW_LEVEL_ROUNDS = 3;

} // namespace

AccountService::AccountService(ServiceContext& context, AccountGateway& accounts) :
	_context(context), _contactStore(context.database), _accounts(accounts), _store(context.database),
	_persons(context.database, accounts)
{
}

AccountService::AccountView AccountService::accountView(const Actor& actor, Poco::Int64 contactId)
{
	AccountView view;
	{
		Poco::Data::Session s = _context.database.session();
		ContactAccess::Loaded loaded = _context.access.requireEditable(s, actor, contactId);
		view.account = _store.accountOf(s, contactId);
		view.personHasAccount = _persons.of(s, contactId).hasOwnLogin();
		view.applications = _store.ofContact(s, contactId, HISTORY_MAX);
		for (const AccountApplication& a : view.applications)
			if (a.status == AccountApplication::Status::Pending) view.pending = a;
		view.mayApply = !view.account && !view.pending && !view.personHasAccount &&
						AccessPolicy::mayApplyForAccount(actor, loaded.contact, loaded.relation);
		AccessPolicy::Relation full = _context.access.fullRelationOf(s, actor, loaded.contact);
		view.mayDecide = view.pending && AccessPolicy::mayDecideApplication(actor, loaded.contact, full);
		view.mayManage = AccessPolicy::mayManageAccount(actor, full.holdsMaintain);
	}
	// Activation happens at the host: its state is the truth.
	if (view.account && view.account->userId) view.account->status = _accounts.status(*view.account->userId);
	return view;
}

AccountGateway::Link AccountService::activationLink(const Actor& actor, Poco::Int64 contactId,
													const std::string& remoteAddr)
{
	Contact contact;
	std::optional<ApplicationStore::Account> account;
	{
		Poco::Data::Session s = _context.database.session();
		contact = _context.access.requireEditable(s, actor, contactId).contact;
		account = _store.accountOf(s, contactId);
	}
	if (!account || !account->userId || _accounts.status(*account->userId) != "pending")
		throw NoPendingAccountException();
	AccountGateway::Link link = _accounts.reissueLink(*account->userId);
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			AuditEntry entry = _context.auditEntry(actor, contact, "account.link", remoteAddr, nullptr, nullptr);
			Poco::JSON::Object after;
			after.set("userId", *account->userId);
			after.set("expiresAt", link.expiresAt);
			entry.afterJson = compactJson(after);
			_context.audit.append(s, entry);
		});
	return link;
}

Contact AccountService::requireManager(const Actor& actor, Poco::Int64 contactId)
{
	Poco::Data::Session s = _context.database.session();
	ContactAccess::Loaded loaded = _context.access.requireVisible(s, actor, contactId);
	if (!AccessPolicy::mayManageAccount(actor, _context.access.holdsMaintain(actor)))
		throw AccessDeniedException("only admins and maintain-holders may manage accounts directly");
	return loaded.contact;
}

ApplicationStore::Account AccountService::requireAccount(Poco::Int64 contactId)
{
	Poco::Data::Session s = _context.database.session();
	std::optional<ApplicationStore::Account> account = _store.accountOf(s, contactId);
	if (!account || !account->userId) throw NoAccountException();
	return *account;
}

void AccountService::auditAccount(const Actor& actor, const Contact& contact, const std::string& action,
								  const std::string& remoteAddr, Poco::Int64 userId, const std::string& status)
{
	Poco::Int64 now = _context.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (!status.empty()) _store.setAccountStatus(s, contact.id, status, now);
			AuditEntry entry = _context.auditEntry(actor, contact, action, remoteAddr, nullptr, nullptr);
			entry.at = now;
			Poco::JSON::Object after;
			after.set("userId", userId);
			if (!status.empty()) after.set("status", status);
			entry.afterJson = compactJson(after);
			_context.audit.append(s, entry);
		});
}

std::string AccountService::changeAccount(const Actor& actor, Poco::Int64 contactId, AccountChange change,
										  const std::string& remoteAddr)
{
	Contact contact = requireManager(actor, contactId);
	ApplicationStore::Account account = requireAccount(contactId);
	const bool disable = change == AccountChange::Disable;
	std::string status = "disabled";
	if (disable)
	{
		_accounts.disable(*account.userId);
	}
	else
	{
		_accounts.enable(*account.userId);
		// "active", or "pending" for an account never activated: the host knows which.
		status = _accounts.status(*account.userId);
	}
	auditAccount(actor, contact, disable ? "account.disable" : "account.enable", remoteAddr, *account.userId, status);
	return status;
}

AccountGateway::Link AccountService::resetAccount(const Actor& actor, Poco::Int64 contactId,
												  const std::string& remoteAddr)
{
	Contact contact = requireManager(actor, contactId);
	ApplicationStore::Account account = requireAccount(contactId);
	AccountGateway::Link link = _accounts.reissueLink(*account.userId);
	auditAccount(actor, contact, "account.reset", remoteAddr, *account.userId, "pending");
	return link;
}

std::set<Poco::Int64> AccountService::visibleTo(Poco::Int64 orgId, Poco::Int64 externalUserId)
{
	Poco::Data::Session s = _context.database.session();
	// The contact whose person they are: by the account opened for them, or
	// as a person of another org added through 从其他组织添加 (R5.4).
	for (Poco::Int64 contactId : _persons.contactsOf(s, orgId, externalUserId))
	{
		if (!_contactStore.findById(s, orgId, contactId)) continue;
		std::vector<Poco::Int64> members = _contactStore.visibleMembers(s, contactId);
		return std::set<Poco::Int64>(members.begin(), members.end());
	}
	return {};
}

void AccountService::contactDeleted(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr)
{
	// An account opened here is disabled. A person of another org keeps
	// their own login: OrgRequestService::contactDeleted ends their external
	// membership of the org instead.
	std::optional<ContactPerson::Account> account = _persons.of(contactId).account;
	if (!account || !account->userId || account->status == "disabled") return;
	_accounts.disable(*account->userId);
	Poco::Int64 now = _context.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			_store.setAccountStatus(s, contactId, "disabled", now);
			AuditEntry entry = AuditEntry::of(actor.orgId, contactId, actor.userId, "account.disable", now, remoteAddr);
			Poco::JSON::Object after;
			after.set("userId", *account->userId);
			after.set("status", "disabled");
			after.set("because", "contact.delete");
			entry.afterJson = compactJson(after);
			_context.audit.append(s, entry);
		});
}

void AccountService::followLevelOfNewAccount(const Actor& actor, Poco::Int64 contactId, Poco::Int64 userId,
											 int madeWith, const std::string& remoteAddr)
{
	// Read after the account row names its user: a level stored later finds
	// the user and is sent by SharingService::setPermissions itself.
	int sent = madeWith;
	for (int round = 0; round < FOLLOW_LEVEL_ROUNDS; ++round)
	{
		std::optional<Contact> current;
		{
			Poco::Data::Session s = _context.database.session();
			current = _contactStore.findById(s, actor.orgId, contactId);
			if (current) current->visibleMembers = _contactStore.visibleMembers(s, contactId);
		}
		if (!current)
		{
			// Deleted while the host made the account: the deletion found no
			// user to disable (the row was 'creating'), so it is done now.
			contactDeleted(actor, contactId, remoteAddr);
			return;
		}
		if (current->securityLevel == sent) return;
		try
		{
			_accounts.setSecurityLevel(actor.orgId, userId, current->securityLevel);
		}
		catch (...)
		{
			// The account keeps the level it has: so does the contact, as when
			// setPermissions is refused (a further version, audited as the way
			// back), unless someone changed the contact meanwhile.
			Contact back = *current;
			back.securityLevel = sent;
			back.version = current->version + 1;
			back.updatedAt = _context.nowMs();
			_context.database.write(
				[&](Poco::Data::Session& s)
				{
					if (!_contactStore.update(s, back, current->version)) return;
					_context.audit.append(s, _context.auditEntry(actor, back, SharingService::AUDIT_PERMISSIONS,
																 remoteAddr, &*current, &back));
				});
			return;
		}
		sent = current->securityLevel;
	}
}

} // namespace ExternalContacts
