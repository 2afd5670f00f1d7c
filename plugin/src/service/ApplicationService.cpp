#include "service/ApplicationService.h"

#include "domain/AccessPolicy.h"
#include "domain/AccountExceptions.h"
#include "domain/Exceptions.h"
#include "domain/TimeCursor.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "service/SharingService.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <set>
#include <sstream>

namespace ExternalContacts
{

const std::string ApplicationService::AUDIT_APPLY("account.apply");
const std::string ApplicationService::AUDIT_APPROVE("account.approve");
const std::string ApplicationService::AUDIT_REJECT("account.reject");
const std::string ApplicationService::AUDIT_CREATE_FAILED("account.create_failed");
const std::string ApplicationService::NOTICE_APPLICATION("external-contacts.application");
const std::string ApplicationService::NOTICE_DECISION("external-contacts.application-decided");

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

std::string json(const Poco::JSON::Object& object)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(object, out);
	return out.str();
}

std::string groupKeyOf(Poco::Int64 applicationId)
{
	return "application:" + std::to_string(applicationId);
}

// How often a new account's level is sent again when the contact's level
// keeps changing while it is sent (followLevelOfNewAccount).
constexpr int FOLLOW_LEVEL_ROUNDS = 3;

// The local part of an email, as a login to try first ("li.na@x.cn" → "li.na").
std::string loginHintOf(const Contact& contact)
{
	if (!contact.email) return std::string();
	return contact.email->substr(0, contact.email->find('@'));
}

} // namespace

ApplicationService::ApplicationService(ServiceContext& context, ContactService& contacts, AccountGateway& accounts,
									   Notifier& notifier) :
	_context(context),
	_contactStore(context.database), _contacts(contacts), _accounts(accounts), _notifier(notifier),
	_store(context.database), _persons(context.database, accounts)
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
				entry.afterJson = json(after);
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
		{
			std::string applicant =
				_context.people({actor.userId}).front().displayName.value_or("#" + std::to_string(actor.userId));
			std::string id = std::to_string(application.id);
			Notifier::Notice notice;
			notice.orgId = actor.orgId;
			notice.userIds = approvers;
			notice.type = NOTICE_APPLICATION;
			notice.title = {"外部联系人账号开通申请", "Account application for an external contact"};
			notice.body = {applicant + " 申请为外部联系人 " + contact.name + " 开通账号。" +
							   (text.empty() ? std::string() : "备注：" + text),
						   applicant + " applies for an account for the external contact " + contact.name + "." +
							   (text.empty() ? std::string() : " Remark: " + text)};
			notice.groupKey = groupKeyOf(application.id);
			notice.actions.push_back(
				{"approve", {"同意", "Approve"}, "POST", "/applications/" + id + "/approve", "{}"});
			notice.actions.push_back(
				{"reject", {"驳回", "Reject"}, "POST", "/applications/" + id + "/reject", R"({"reason":""})"});
			_notifier.notify(notice);
		}
	}
	catch (const std::exception& e)
	{
		result.notifyError = e.what();
	}
	return result;
}

ApplicationService::AccountView ApplicationService::accountView(const Actor& actor, Poco::Int64 contactId)
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

AccountGateway::Link ApplicationService::activationLink(const Actor& actor, Poco::Int64 contactId,
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
			entry.afterJson = json(after);
			_context.audit.append(s, entry);
		});
	return link;
}

void ApplicationService::requireLogReader(const Actor& actor, const ApplicationFilter& filter)
{
	if (!AccessPolicy::mayManageAccount(actor, _context.access.holdsMaintain(actor)))
		throw AccessDeniedException("only admins and maintain-holders may read the application log");
	if (filter.keyword.size() > 200 || Utf8Text::length(filter.keyword) > 50)
		throw ValidationError::failed("q", "q may have at most 50 characters");
	if (filter.from && filter.to && *filter.to <= *filter.from)
		throw ValidationError::failed("to", "to must be after from");
}

std::string ApplicationService::encodeLogCursor(const ApplicationLogKey& key)
{
	return TimeCursor{key.submittedAt, key.id}.encode();
}

ApplicationLogKey ApplicationService::decodeLogCursor(const std::string& cursor)
{
	TimeCursor position = TimeCursor::decode(cursor, "cursor is not one this list handed out");
	return {position.at, position.id};
}

ApplicationService::LogPage ApplicationService::log(const Actor& actor, const ApplicationFilter& filter,
													const std::string& cursor, std::size_t limit)
{
	requireLogReader(actor, filter);
	if (limit < 1 || limit > LOG_LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LOG_LIMIT_MAX));
	std::optional<ApplicationLogKey> after;
	if (!cursor.empty()) after = decodeLogCursor(cursor);
	LogPage page;
	{
		Poco::Data::Session s = _context.database.session();
		page.items = _store.log(s, actor.orgId, filter, after, limit + 1);
	}
	if (page.items.size() > limit)
	{
		page.items.resize(limit);
		const AccountApplication& last = page.items.back().application;
		page.nextCursor = encodeLogCursor({last.submittedAt, last.id});
	}
	return page;
}

std::vector<ApplicationStore::LogRow> ApplicationService::exportLog(const Actor& actor, const ApplicationFilter& filter,
																	bool& truncated)
{
	requireLogReader(actor, filter);
	constexpr std::size_t BATCH = 500;
	std::vector<ApplicationStore::LogRow> rows;
	std::optional<ApplicationLogKey> after;
	truncated = false;
	for (;;)
	{
		std::vector<ApplicationStore::LogRow> batch;
		{
			Poco::Data::Session s = _context.database.session();
			batch = _store.log(s, actor.orgId, filter, after, BATCH);
		}
		for (ApplicationStore::LogRow& row : batch)
		{
			if (rows.size() == EXPORT_MAX)
			{
				truncated = true;
				return rows;
			}
			rows.push_back(std::move(row));
		}
		if (batch.size() < BATCH) return rows;
		const AccountApplication& last = rows.back().application;
		after = ApplicationLogKey{last.submittedAt, last.id};
	}
}

Contact ApplicationService::requireManager(const Actor& actor, Poco::Int64 contactId)
{
	Poco::Data::Session s = _context.database.session();
	ContactAccess::Loaded loaded = _context.access.requireVisible(s, actor, contactId);
	if (!AccessPolicy::mayManageAccount(actor, _context.access.holdsMaintain(actor)))
		throw AccessDeniedException("only admins and maintain-holders may manage accounts directly");
	return loaded.contact;
}

ApplicationStore::Account ApplicationService::requireAccount(Poco::Int64 contactId)
{
	Poco::Data::Session s = _context.database.session();
	std::optional<ApplicationStore::Account> account = _store.accountOf(s, contactId);
	if (!account || !account->userId) throw NoAccountException();
	return *account;
}

void ApplicationService::auditAccount(const Actor& actor, const Contact& contact, const std::string& action,
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
			entry.afterJson = json(after);
			_context.audit.append(s, entry);
		});
}

AccountGateway::Created ApplicationService::assign(const Actor& actor, Poco::Int64 contactId,
												   const std::string& remoteAddr)
{
	Contact contact = requireManager(actor, contactId);
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
			entry.afterJson = json(after);
			_context.audit.append(s, entry);
		});
	followLevelOfNewAccount(actor, contactId, created.userId, contact.securityLevel, remoteAddr);
	return created;
}

std::string ApplicationService::changeAccount(const Actor& actor, Poco::Int64 contactId, AccountChange change,
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

AccountGateway::Link ApplicationService::resetAccount(const Actor& actor, Poco::Int64 contactId,
													  const std::string& remoteAddr)
{
	Contact contact = requireManager(actor, contactId);
	ApplicationStore::Account account = requireAccount(contactId);
	AccountGateway::Link link = _accounts.reissueLink(*account.userId);
	auditAccount(actor, contact, "account.reset", remoteAddr, *account.userId, "pending");
	return link;
}

std::set<Poco::Int64> ApplicationService::visibleTo(Poco::Int64 orgId, Poco::Int64 externalUserId)
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

void ApplicationService::contactDeleted(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr)
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
			AuditEntry entry;
			entry.orgId = actor.orgId;
			entry.contactId = contactId;
			entry.actorId = actor.userId;
			entry.action = "account.disable";
			entry.at = now;
			entry.remoteAddr = remoteAddr;
			Poco::JSON::Object after;
			after.set("userId", *account->userId);
			after.set("status", "disabled");
			after.set("because", "contact.delete");
			entry.afterJson = json(after);
			_context.audit.append(s, entry);
		});
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
		entry.beforeJson = json(was);
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
			_context.audit.append(s, auditOf(approving ? AUDIT_APPROVE : AUDIT_REJECT, json(decided)));
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
					_context.audit.append(s, auditOf(AUDIT_CREATE_FAILED, json(failed)));
				});
			throw;
		}
		_context.database.write(
			[&](Poco::Data::Session& s)
			{ _store.completeAccount(s, before.contactId, result.account->userId, result.account->login, now); });
		followLevelOfNewAccount(actor, before.contactId, result.account->userId, loaded.contact.securityLevel,
								remoteAddr);
	}
	{
		Poco::Data::Session s = _context.database.session();
		result.application = _store.find(s, actor.orgId, applicationId).value();
	}
	tellApplicant(loaded, result.application, result, result.notifyError);
	return result;
}

void ApplicationService::followLevelOfNewAccount(const Actor& actor, Poco::Int64 contactId, Poco::Int64 userId,
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

void ApplicationService::tellApplicant(const Loaded& loaded, const AccountApplication& decided, const Result& result,
									   std::string& notifyError)
{
	try
	{
		Poco::JSON::Object outcome;
		outcome.set("status", AccountApplication::statusName(decided.status));
		outcome.set("decidedBy", decided.decidedBy.value_or(0));
		_notifier.resolve(groupKeyOf(decided.id), json(outcome));

		Poco::Int64 approverId = decided.decidedBy.value_or(0);
		std::string approver =
			_context.people({approverId}).front().displayName.value_or("#" + std::to_string(approverId));
		Notifier::Notice notice;
		notice.orgId = decided.orgId;
		notice.userIds = {decided.applicantId};
		notice.type = NOTICE_DECISION;
		const std::string& name = loaded.contact.name;
		if (decided.status == AccountApplication::Status::Approved)
		{
			std::string login = result.account ? result.account->login : std::string();
			notice.title = {"账号开通申请已通过", "Account application approved"};
			notice.body = {approver + " 同意了为 " + name + " 开通账号的申请，登录名 " + login +
							   "。请在联系人的【账号信息】中获取激活链接发给对方。",
						   approver + " approved the account for " + name + "; the login name is " + login +
							   ". Get the activation link in the contact's Account tab and send it to them."};
		}
		else
		{
			std::string why = decided.comment.value_or(std::string());
			notice.title = {"账号开通申请被驳回", "Account application rejected"};
			notice.body = {approver + " 驳回了为 " + name + " 开通账号的申请。原因：" + (why.empty() ? "未填写" : why) +
							   "。你可以重新申请。",
						   approver + " rejected the account application for " + name +
							   ". Reason: " + (why.empty() ? "none given" : why) + ". You may apply again."};
		}
		_notifier.notify(notice);
	}
	catch (const std::exception& e)
	{
		notifyError = e.what();
	}
}

} // namespace ExternalContacts
