#include "service/ApplicationService.h"

#include "domain/AccessPolicy.h"
#include "domain/AccountExceptions.h"
#include "domain/Exceptions.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "service/ApplicationNotices.h"
#include "service/CompactJson.h"
#include <Poco/JSON/Object.h>
#include <algorithm>
#include <set>

namespace ExternalContacts
{

const std::string ApplicationService::AUDIT_APPLY("account.apply");
const std::string ApplicationService::AUDIT_APPROVE("account.approve");
const std::string ApplicationService::AUDIT_REJECT("account.reject");
const std::string ApplicationService::AUDIT_CREATE_FAILED("account.create_failed");

namespace
{

// Trimmed text of at most maxChars characters, line breaks allowed.
std::string checkedText(const std::string& raw, const std::string& field, std::size_t maxChars)
{
	if (!Utf8Text::isValid(raw)) throw ValidationError::failed(field, field + " must be valid UTF-8 text");
	std::string text = Utf8Text::trim(raw);
	if (Utf8Text::hasControlCharacters(text, true))
		throw ValidationError::failed(field, field + " may not contain control characters");
	if (Utf8Text::length(text) > maxChars)
		throw ValidationError::failed(field, field + " may have at most " + std::to_string(maxChars) + " characters");
	return text;
}

// The local part of an email, as a login to try first ("li.na@x.cn" → "li.na").
std::string loginHintOf(const Contact& contact)
{
	if (!contact.email) return std::string();
	return contact.email->substr(0, contact.email->find('@'));
}

} // namespace

ApplicationService::ApplicationService(ServiceContext& context, AccountService& accounts, Notifier& notifier) :
	_context(context), _accountService(accounts), _accounts(accounts.gateway()), _notifier(notifier),
	_store(accounts.store()), _persons(accounts.persons())
{
}

std::vector<Poco::Int64> ApplicationService::approversOf(const Contact& contact)
{
	std::set<Poco::Int64> approvers;
	for (Poco::Int64 id : _context.directory.holdersOf(contact.orgId, AccessPolicy::MAINTAIN_PERMISSION))
		approvers.insert(id);
	std::vector<Poco::Int64> maintainers;
	{
		Poco::Data::Session s = _context.database.session();
		maintainers = _maintainers.maintainers(s, contact.orgId, contact.sortKey().groupName);
	}
	if (!maintainers.empty())
		for (Poco::Int64 id : _context.directory.membersAmong(contact.orgId, maintainers))
			approvers.insert(id);
	return std::vector<Poco::Int64>(approvers.begin(), approvers.end());
}

ApplicationService::Result ApplicationService::apply(const Actor& actor, Poco::Int64 contactId,
													 const std::string& remark, const std::string& remoteAddr)
{
	std::string text = checkedText(remark, "remark", AccountApplication::REMARK_MAX_CHARS);
	Contact contact;
	{
		Poco::Data::Session s = _context.database.session();
		ContactAccess::Loaded loaded = _context.access.requireEditable(s, actor, contactId);
		if (!AccessPolicy::mayApplyForAccount(actor, loaded.contact, loaded.relation))
			throw AccessDeniedException("only those who may edit the contact may apply for its account");
		contact = loaded.contact;
	}
	AccountApplication application;
	application.orgId = actor.orgId;
	application.contactId = contactId;
	application.applicantId = actor.userId;
	application.remark = text;
	application.submittedAt = _context.nowMs();
	auto refuseTaken = [&](Poco::Data::Session& s)
	{
		ContactPersons::refuseNewAccount(_persons.of(s, contactId));
		if (std::optional<Poco::Int64> pending = _store.pendingOf(s, contactId))
			throw ApplicationPendingException(*pending);
	};
	try
	{
		application.id = _context.database.write(
			[&](Poco::Data::Session& s)
			{
				refuseTaken(s);
				Poco::Int64 id = _store.insert(s, application);
				AuditEntry entry = _context.auditEntry(actor, contact, AUDIT_APPLY, remoteAddr, nullptr, nullptr);
				entry.at = application.submittedAt;
				Poco::JSON::Object after;
				after.set("applicationId", id);
				after.set("remark", text);
				entry.afterJson = compactJson(after);
				_context.audit.append(s, entry);
				return id;
			});
	}
	catch (const ContactsException&)
	{
		throw;
	}
	catch (const Poco::Exception&)
	{
		// Two applications at once on MariaDB: the unique key refused the
		// second insert. Say what the state is now.
		Poco::Data::Session s = _context.database.session();
		refuseTaken(s);
		throw;
	}

	Result result;
	result.application = application;
	try
	{
		std::vector<Poco::Int64> approvers = approversOf(contact);
		if (!approvers.empty())
			_notifier.notify(
				ApplicationNotices::application(application, contact, displayNameOf(actor.userId), approvers));
	}
	catch (const std::exception& e)
	{
		result.notifyError = e.what();
	}
	return result;
}

AccountGateway::Created ApplicationService::assign(const Actor& actor, Poco::Int64 contactId,
												   const std::string& remoteAddr)
{
	Contact contact = _accountService.requireManager(actor, contactId);
	std::optional<Poco::Int64> pending;
	{
		Poco::Data::Session s = _context.database.session();
		ContactPersons::refuseNewAccount(_persons.of(s, contactId));
		pending = _store.pendingOf(s, contactId);
	}
	if (pending)
	{
		Result result = approve(actor, *pending, remoteAddr);
		if (!result.account) throw AccountExistsException();
		return *result.account;
	}
	Poco::Int64 now = _context.nowMs();
	try
	{
		_context.database.write(
			[&](Poco::Data::Session& s)
			{
				ContactPersons::refuseNewAccount(_persons.of(s, contactId));
				_store.reserveAccount(s, actor.orgId, contactId, std::nullopt, actor.userId, now);
			});
	}
	catch (const ContactsException&)
	{
		throw;
	}
	catch (const Poco::Exception&)
	{
		// Two assignments at once on MariaDB: the primary key refused the second.
		Poco::Data::Session s = _context.database.session();
		if (_store.accountOf(s, contactId)) throw AccountExistsException();
		throw;
	}
	AccountGateway::Created created;
	try
	{
		created = _accounts.createPending(actor.orgId, contact.name, loginHintOf(contact), contact.securityLevel);
	}
	catch (...)
	{
		_context.database.write([&](Poco::Data::Session& s) { _store.dropReservation(s, contactId); });
		throw;
	}
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			_store.completeAccount(s, contactId, created.userId, created.login, now);
			AuditEntry entry = _context.auditEntry(actor, contact, "account.assign", remoteAddr, nullptr, nullptr);
			entry.at = now;
			Poco::JSON::Object after;
			after.set("userId", created.userId);
			after.set("login", created.login);
			after.set("status", "pending");
			entry.afterJson = compactJson(after);
			_context.audit.append(s, entry);
		});
	_accountService.followLevelOfNewAccount(actor, contactId, created.userId, contact.securityLevel, remoteAddr);
	return created;
}

ApplicationService::Loaded ApplicationService::requireDecidable(const Actor& actor, Poco::Int64 applicationId)
{
	if (!AccessPolicy::mayUseContacts(actor)) throw ContactNotFoundException("no such application");
	Poco::Data::Session s = _context.database.session();
	std::optional<AccountApplication> application = _store.find(s, actor.orgId, applicationId);
	if (!application) throw ContactNotFoundException("no such application");
	std::optional<ContactAccess::Loaded> loaded = _context.access.findVisible(s, actor, application->contactId);
	if (!loaded) throw ContactNotFoundException("no such application");
	if (!AccessPolicy::mayDecideApplication(actor, loaded->contact,
											_context.access.fullRelationOf(s, actor, loaded->contact)))
		throw AccessDeniedException("only approvers may decide applications");
	return Loaded{*application, loaded->contact};
}

ApplicationService::Result ApplicationService::approve(const Actor& actor, Poco::Int64 applicationId,
													   const std::string& remoteAddr)
{
	return decide(actor, applicationId, AccountApplication::Status::Approved, std::nullopt, remoteAddr);
}

ApplicationService::Result ApplicationService::reject(const Actor& actor, Poco::Int64 applicationId,
													  const std::string& reason, const std::string& remoteAddr)
{
	std::string text = checkedText(reason, "reason", AccountApplication::REASON_MAX_CHARS);
	return decide(actor, applicationId, AccountApplication::Status::Rejected,
				  text.empty() ? std::nullopt : std::optional<std::string>(text), remoteAddr);
}

ApplicationService::Result ApplicationService::decide(const Actor& actor, Poco::Int64 applicationId,
													  AccountApplication::Status status,
													  const std::optional<std::string>& reason,
													  const std::string& remoteAddr)
{
	Loaded loaded = requireDecidable(actor, applicationId);
	const AccountApplication& before = loaded.application;
	if (before.status != AccountApplication::Status::Pending)
		throw ApplicationDecidedException(before.status, before.decidedBy.value_or(0));
	const bool approving = status == AccountApplication::Status::Approved;
	if (approving) ContactPersons::refuseSecondLogin(_persons.of(before.contactId));
	Poco::Int64 now = _context.nowMs();
	auto auditOf = [&](const std::string& action, const std::string& afterJson)
	{
		AuditEntry entry = _context.auditEntry(actor, loaded.contact, action, remoteAddr, nullptr, nullptr);
		entry.at = _context.nowMs();
		Poco::JSON::Object was;
		was.set("applicationId", applicationId);
		was.set("status", "pending");
		entry.beforeJson = compactJson(was);
		entry.afterJson = afterJson;
		return entry;
	};
	Poco::JSON::Object decided;
	decided.set("applicationId", applicationId);
	decided.set("status", AccountApplication::statusName(status));
	if (reason) decided.set("comment", *reason);
	bool won = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (!_store.decide(s, applicationId, status, actor.userId, now, reason)) return false;
			if (approving)
			{
				ContactPersons::refuseNewAccount(_persons.of(s, before.contactId));
				_store.reserveAccount(s, actor.orgId, before.contactId, applicationId, actor.userId, now);
			}
			_context.audit.append(s, auditOf(approving ? AUDIT_APPROVE : AUDIT_REJECT, compactJson(decided)));
			return true;
		});
	if (!won)
	{
		Poco::Data::Session s = _context.database.session();
		std::optional<AccountApplication> current = _store.find(s, actor.orgId, applicationId);
		if (!current) throw ContactNotFoundException("no such application");
		throw ApplicationDecidedException(current->status, current->decidedBy.value_or(0));
	}

	Result result;
	if (approving)
	{
		try
		{
			result.account = _accounts.createPending(actor.orgId, loaded.contact.name, loginHintOf(loaded.contact),
													 loaded.contact.securityLevel);
		}
		catch (const std::exception& e)
		{
			// Undo the decision: the application waits for the next try.
			Poco::JSON::Object failed;
			failed.set("applicationId", applicationId);
			failed.set("status", "pending");
			failed.set("error", std::string(e.what()));
			_context.database.write(
				[&](Poco::Data::Session& s)
				{
					_store.dropReservation(s, before.contactId);
					_store.reopen(s, applicationId, before.contactId);
					_context.audit.append(s, auditOf(AUDIT_CREATE_FAILED, compactJson(failed)));
				});
			throw;
		}
		_context.database.write(
			[&](Poco::Data::Session& s)
			{ _store.completeAccount(s, before.contactId, result.account->userId, result.account->login, now); });
		_accountService.followLevelOfNewAccount(actor, before.contactId, result.account->userId,
												loaded.contact.securityLevel, remoteAddr);
	}
	{
		Poco::Data::Session s = _context.database.session();
		result.application = _store.find(s, actor.orgId, applicationId).value();
	}
	tellApplicant(loaded, result.application, result, result.notifyError);
	return result;
}

void ApplicationService::tellApplicant(const Loaded& loaded, const AccountApplication& decided, const Result& result,
									   std::string& notifyError)
{
	try
	{
		std::string approver = displayNameOf(decided.decidedBy.value_or(0));
		std::string login = result.account ? result.account->login : std::string();
		// The approvers' notices handled and the applicant's stored in one commit.
		_notifier.notifyWithResolve(ApplicationNotices::groupKeyOf(decided.id), ApplicationNotices::outcomeOf(decided),
									ApplicationNotices::decision(decided, loaded.contact, approver, login));
	}
	catch (const std::exception& e)
	{
		notifyError = e.what();
	}
}

ApplicationService::Names ApplicationService::namesIn(const std::vector<AccountApplication>& applications)
{
	std::set<Poco::Int64> ids;
	for (const AccountApplication& a : applications)
	{
		ids.insert(a.applicantId);
		if (a.decidedBy) ids.insert(*a.decidedBy);
	}
	return namesOf(ids);
}

ApplicationService::Names ApplicationService::namesIn(const std::vector<ApplicationStore::LogRow>& rows)
{
	std::set<Poco::Int64> ids;
	for (const ApplicationStore::LogRow& row : rows)
	{
		ids.insert(row.application.applicantId);
		if (row.application.decidedBy) ids.insert(*row.application.decidedBy);
	}
	return namesOf(ids);
}

ApplicationService::Names ApplicationService::namesOf(const std::set<Poco::Int64>& ids)
{
	Names names;
	for (const ContactView::Person& p : _context.people(std::vector<Poco::Int64>(ids.begin(), ids.end())))
		names[p.id] = p;
	return names;
}

std::string ApplicationService::displayNameOf(Poco::Int64 userId)
{
	return _context.people({userId}).front().displayName.value_or("#" + std::to_string(userId));
}

} // namespace ExternalContacts
