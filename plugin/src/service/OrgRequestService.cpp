#include "service/OrgRequestService.h"

#include "domain/AccessPolicy.h"
#include "domain/ContactValidator.h"
#include "domain/Invitation.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "service/CompactJson.h"
#include <Poco/Data/DataException.h>
#include <Poco/JSON/Object.h>
#include <hostsdk/support/SqlDatabase.h>

namespace ExternalContacts
{

const std::string OrgRequestService::NOTICE_REQUEST = "external_contacts.org_request";
const std::string OrgRequestService::NOTICE_OUTCOME = "external_contacts.org_request_outcome";
const std::string OrgRequestService::AUDIT_ACCEPTED = "contact.org_request_accepted";
const std::string OrgRequestService::AUDIT_SEND = "orgrequest.send";
const std::string OrgRequestService::AUDIT_DECLINE = "orgrequest.decline";
const std::string OrgRequestService::AUDIT_CANCEL = "orgrequest.cancel";
const std::string OrgRequestService::AUDIT_EXPIRE = "orgrequest.expire";

namespace
{

std::optional<std::string> optionalText(const std::string& text, std::size_t max)
{
	std::string trimmed = Utf8Text::trim(text);
	if (trimmed.empty() || !Utf8Text::isValid(trimmed) || Utf8Text::hasControlCharacters(trimmed) ||
		Utf8Text::length(trimmed) > max)
		return std::nullopt;
	return trimmed;
}

void requireMember(const Actor& actor)
{
	if (!AccessPolicy::mayCreate(actor))
		throw AccessDeniedException("only members of the org may add contacts from other organizations");
}

} // namespace

OrgRequestService::OrgRequestService(ServiceContext& context, ContactService& contacts, AccountGateway& accounts,
									 Notifier& notifier, RateLimiter& limiter, Limits limits) :
	_context(context),
	_contactStore(context.database), _contacts(contacts), _accounts(accounts), _notifier(notifier), _limiter(limiter),
	_store(context.database), _limits(limits)
{
}

std::string OrgRequestService::groupKey(Poco::Int64 id)
{
	return "org-request:" + std::to_string(id);
}

std::string OrgRequestService::auditJson(const OrgRequest& request)
{
	Poco::JSON::Object object;
	object.set("id", request.id);
	object.set("status", OrgRequest::statusName(request.status));
	object.set("targetUserId", request.targetUserId);
	object.set("targetName", request.targetName);
	object.set("targetOrgId", request.targetOrgId);
	object.set("targetOrgName", request.targetOrgName);
	object.set("expiresAt", request.expiresAt);
	if (request.decidedAt) object.set("decidedAt", *request.decidedAt);
	return compactJson(object);
}

void OrgRequestService::audit(Poco::Data::Session& session, const OrgRequest& request, Poco::Int64 actorId,
							  const std::string& action, const std::string& remoteAddr, bool wasPending,
							  Poco::Int64 now)
{
	AuditEntry entry = AuditEntry::of(request.orgId, std::nullopt, actorId, action, now, remoteAddr);
	if (wasPending) entry.beforeJson = "{\"id\":" + std::to_string(request.id) + ",\"status\":\"pending\"}";
	entry.afterJson = auditJson(request);
	_context.audit.append(session, entry);
}

Directory::Found OrgRequestService::search(const Actor& actor, const std::string& orgName, const std::string& query)
{
	requireMember(actor);
	std::string org = Utf8Text::trim(orgName);
	std::string q = Utf8Text::trim(query);
	// Both are required: this is not a directory browser (R5.1).
	if (org.empty()) throw ValidationError::failed("orgName", "the organization's name is required");
	if (!Utf8Text::isValid(org) || Utf8Text::hasControlCharacters(org) || Utf8Text::length(org) > 100)
		throw ValidationError::failed("orgName", "the organization's name has at most 100 characters");
	if (q.empty()) throw ValidationError::failed("q", "a name, mobile or email is required");
	if (!Utf8Text::isValid(q) || Utf8Text::hasControlCharacters(q) || Utf8Text::length(q) > QUERY_LENGTH_MAX)
		throw ValidationError::failed("q", "the search text has at most 64 characters");
	Directory& directory = _context.directory;
	if (org == directory.orgName(actor.orgId))
		throw ValidationError::failed("orgName", "this is your own organization; add its members directly");
	_limiter.hit("org-search:" + std::to_string(actor.orgId) + ":" + std::to_string(actor.userId),
				 _limits.searchWindowMs, _limits.searchesPerMember, "rate_limited",
				 "too many searches in a short time; try again later");
	Directory::Found found = directory.findMembers(org, q, SEARCH_LIMIT);
	std::vector<Directory::FoundMember> others;
	std::vector<Poco::Int64> ids;
	for (Directory::FoundMember& m : found.items)
	{
		if (m.userId == actor.userId) continue;
		ids.push_back(m.userId);
		others.push_back(std::move(m));
	}
	found.items = std::move(others);
	keepFound(actor, found.orgId, ids);
	return found;
}

void OrgRequestService::keepFound(const Actor& actor, Poco::Int64 targetOrgId, const std::vector<Poco::Int64>& ids)
{
	Poco::Int64 now = nowMs();
	try
	{
		Poco::Data::Session s = _context.database.session();
		_store.pruneFound(s, now);
	}
	catch (const Poco::Data::DataException& e)
	{
		// Housekeeping: a prune that lost a lock race (or met a database
		// going away) is left to the next search; the rows it did not delete
		// are over and ask nobody. A broken statement is not hidden.
		if (HostSdk::SqlDatabase::classify(e) == HostSdk::SqlDatabase::Failure::Other) throw;
	}
	if (!targetOrgId || ids.empty()) return;
	_context.database.write([&](Poco::Data::Session& s)
							{ _store.keepFound(s, actor.orgId, actor.userId, targetOrgId, ids, now + FOUND_TTL_MS); });
}

ValidationError OrgRequestService::notFound()
{
	return ValidationError::failed("userId", "choose a person from the results of your search");
}

OrgRequest OrgRequestService::request(const Actor& actor, Poco::Int64 orgId, Poco::Int64 userId,
									  const std::string& remoteAddr)
{
	requireMember(actor);
	if (orgId <= 0) throw ValidationError::failed("orgId", "orgId must be the id of the person's organization");
	if (orgId == actor.orgId)
		throw ValidationError::failed("orgId", "this is your own organization; add its members directly");
	// Counted before anything is looked up: every answer from here on (not
	// found, pending, already a contact) says something about someone.
	_limiter.hit("org-request:" + std::to_string(actor.orgId) + ":" + std::to_string(actor.userId),
				 _limits.requestWindowMs, _limits.requestsPerMember, "rate_limited",
				 "too many contact requests in a short time; try again later");
	Poco::Int64 now = nowMs();
	// Only whom the actor's own search found (never the actor, never an
	// undiscoverable member), and still a member of that org: one answer
	// for every other id, so the route tells nothing a search does not.
	bool found = false;
	if (userId > 0 && userId != actor.userId)
	{
		Poco::Data::Session s = _context.database.session();
		found = _store.wasFound(s, actor.orgId, actor.userId, orgId, userId, now);
	}
	Directory& directory = _context.directory;
	if (!found || directory.membersAmong(orgId, {userId}).empty()) throw notFound();
	OrgRequest r;
	r.orgId = actor.orgId;
	r.requesterId = actor.userId;
	r.targetUserId = userId;
	r.targetOrgId = orgId;
	r.targetName = directory.displayNames({userId})[userId];
	r.targetOrgName = directory.orgName(orgId);
	r.createdAt = now;
	r.expiresAt = now + OrgRequest::TTL_MS;
	r.id = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (std::optional<Poco::Int64> existing = _store.contactOfUser(s, actor.orgId, userId))
			{
				std::optional<ContactAccess::Loaded> seen = _context.access.findVisible(s, actor, *existing);
				if (seen || _contactStore.findById(s, actor.orgId, *existing))
					throw AlreadyContactException(seen ? std::optional<Poco::Int64>(*existing) : std::nullopt);
				_store.unlink(s, *existing); // the contact was deleted: the person may be added again
			}
			if (std::optional<OrgRequest> expired = _store.expire(s, actor.userId, userId, now))
				audit(s, *expired, 0, AUDIT_EXPIRE, "", true, now);
			if (std::optional<Poco::Int64> pending = _store.pendingOf(s, actor.userId, userId))
				throw OrgRequestPendingException(*pending);
			OrgRequest sent = r;
			sent.id = _store.insert(s, r);
			audit(s, sent, actor.userId, AUDIT_SEND, remoteAddr, false, now);
			return sent.id;
		});

	std::string requester = directory.displayNames({actor.userId})[actor.userId];
	std::string requesterOrg = directory.orgName(actor.orgId);
	Notifier::Notice notice;
	notice.orgId = orgId;
	notice.userIds = {userId};
	notice.type = NOTICE_REQUEST;
	notice.title = {"外部联系人申请", "External contact request"};
	notice.body = {requester + "（" + requesterOrg + "）想添加你为外部联系人。同意后，你可以在组织切换中进入「" +
					   requesterOrg + "」（外部）。",
				   requester + " (" + requesterOrg +
					   ") wants to add you as an external contact. If you accept, you can "
					   "switch into " +
					   requesterOrg + " as an external user."};
	notice.groupKey = groupKey(r.id);
	std::string id = std::to_string(r.id);
	notice.actions = {{"accept", {"同意", "Accept"}, "POST", "/org-requests/" + id + "/accept", "{}"},
					  {"decline", {"拒绝", "Decline"}, "POST", "/org-requests/" + id + "/decline", "{}"}};
	try
	{
		_notifier.notify(notice);
	}
	catch (const std::exception&)
	{
		// The request stands; the person also finds it in their incoming list.
	}
	return r;
}

OrgRequest OrgRequestService::accept(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr)
{
	if (actor.kind == Actor::Kind::Anonymous) throw AccessDeniedException("log in to answer a request");
	Directory& directory = _context.directory;
	Poco::Int64 now = nowMs();
	OrgRequest request;
	{
		Poco::Data::Session s = _context.database.session();
		std::optional<OrgRequest> found = _store.find(s, id);
		if (!found || found->targetUserId != actor.userId) throw OrgRequestNotFoundException("no such request");
		request = *found;
	}
	if (request.statusAt(now) != OrgRequest::Status::Pending) throw OrgRequestSettledException(request.statusAt(now));
	std::optional<Directory::Profile> profile = directory.profileOf(actor.userId);
	ContactFields fields;
	fields.name = profile && !Utf8Text::trim(profile->displayName).empty()
					  ? Utf8Text::trim(profile->displayName)
					  : (request.targetName.empty() ? "#" + std::to_string(actor.userId) : request.targetName);
	if (Utf8Text::length(fields.name) > ContactValidator::NAME_LENGTH_MAX) fields.name = request.targetName;
	fields.company = optionalText(request.targetOrgName, ContactValidator::SHORT_TEXT_LENGTH_MAX);
	if (profile)
	{
		fields.title = optionalText(profile->title, ContactValidator::SHORT_TEXT_LENGTH_MAX);
		std::optional<std::string> email = optionalText(profile->email, ContactValidator::EMAIL_LENGTH_MAX);
		if (email && ContactValidator::isValidEmail(*email)) fields.email = email;
		std::optional<std::string> mobile = optionalText(profile->mobile, 32);
		if (mobile && ContactValidator::isValidMobile(*mobile)) fields.mobile = mobile;
	}
	int securityLevel = _contacts.newContactSecurityLevel(request.orgId);

	Contact contact = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			Contact made = _contacts.insertNew(s, request.orgId, request.requesterId, fields, ContactSource::OtherOrg,
											   securityLevel, now, actor.userId, AUDIT_ACCEPTED, remoteAddr);
			if (!_store.settle(s, id, OrgRequest::Status::Accepted, now, made.id))
			{
				std::optional<OrgRequest> current = _store.find(s, id);
				throw OrgRequestSettledException(current ? current->statusAt(now) : OrgRequest::Status::Cancelled);
			}
			_store.link(s, request.orgId, made.id, actor.userId, now);
			return made;
		});
	try
	{
		_accounts.addExternalMembership(request.orgId, actor.userId, securityLevel);
	}
	catch (...)
	{
		// No half state: without the membership the request is pending again
		// and the contact is gone.
		_context.database.write(
			[&](Poco::Data::Session& s)
			{
				_store.unlink(s, contact.id);
				_contactStore.softDelete(s, request.orgId, contact.id, now);
				_store.reopen(s, request);
			});
		throw;
	}
	request.status = OrgRequest::Status::Accepted;
	request.decidedAt = now;
	request.contactId = contact.id;
	tellRequester(request);
	return request;
}

OrgRequest OrgRequestService::settle(const Actor& actor, Poco::Int64 id, OrgRequest::Status status, bool asTarget,
									 const std::string& action, const std::string& remoteAddr)
{
	if (actor.kind == Actor::Kind::Anonymous) throw AccessDeniedException("log in to answer a request");
	Poco::Int64 now = nowMs();
	OrgRequest request = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			std::optional<OrgRequest> found = _store.find(s, id);
			bool mine = found && (asTarget ? found->targetUserId == actor.userId
										   : found->requesterId == actor.userId && found->orgId == actor.orgId);
			if (!mine) throw OrgRequestNotFoundException("no such request");
			if (!_store.settle(s, id, status, now, std::nullopt))
			{
				std::optional<OrgRequest> current = _store.find(s, id);
				throw OrgRequestSettledException(current ? current->statusAt(now) : OrgRequest::Status::Cancelled);
			}
			found->status = status;
			found->decidedAt = now;
			audit(s, *found, actor.userId, action, remoteAddr, true, now);
			return *found;
		});
	return request;
}

OrgRequest OrgRequestService::decline(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr)
{
	OrgRequest request = settle(actor, id, OrgRequest::Status::Declined, true, AUDIT_DECLINE, remoteAddr);
	tellRequester(request);
	return request;
}

OrgRequest OrgRequestService::cancel(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr)
{
	OrgRequest request = settle(actor, id, OrgRequest::Status::Cancelled, false, AUDIT_CANCEL, remoteAddr);
	try
	{
		_notifier.resolve(groupKey(id), R"({"status":"cancelled"})");
	}
	catch (const std::exception&)
	{
	}
	return request;
}

void OrgRequestService::tellRequester(const OrgRequest& request)
{
	bool accepted = request.status == OrgRequest::Status::Accepted;
	try
	{
		Notifier::Notice notice;
		notice.orgId = request.orgId;
		notice.userIds = {request.requesterId};
		notice.type = NOTICE_OUTCOME;
		const std::string& who = request.targetName;
		notice.title = {accepted ? "外部联系人申请已通过" : "外部联系人申请被拒绝",
						accepted ? "External contact request accepted" : "External contact request declined"};
		notice.body = {accepted ? who + "（" + request.targetOrgName + "）同意了你的申请，已成为你的外部联系人。"
								: who + "（" + request.targetOrgName + "）拒绝了你的外部联系人申请。",
					   accepted ? who + " (" + request.targetOrgName + ") accepted and is now your external contact."
								: who + " (" + request.targetOrgName + ") declined your request."};
		_notifier.notifyWithResolve(groupKey(request.id),
									std::string(R"({"status":")") + OrgRequest::statusName(request.status) + "\"}",
									notice);
	}
	catch (const std::exception&)
	{
		// The outcome is stored; the requester sees it in their list.
	}
}

OrgRequestService::Page OrgRequestService::outgoing(const Actor& actor, std::optional<Poco::Int64> beforeId,
													std::size_t limit)
{
	requireMember(actor);
	if (limit < 1 || limit > LIMIT_MAX) throw ValidationError::failed("limit", "limit must be from 1 to 100");
	Poco::Data::Session s = _context.database.session();
	Page page;
	page.items = _store.outgoing(s, actor.orgId, actor.userId, beforeId, limit + 1);
	if (page.items.size() > limit)
	{
		page.items.resize(limit);
		page.nextBefore = page.items.back().id;
	}
	return page;
}

OrgRequestService::Page OrgRequestService::incoming(const Actor& actor, std::optional<Poco::Int64> beforeId,
													std::size_t limit)
{
	if (actor.kind == Actor::Kind::Anonymous) throw AccessDeniedException("log in to see your requests");
	if (limit < 1 || limit > LIMIT_MAX) throw ValidationError::failed("limit", "limit must be from 1 to 100");
	Poco::Data::Session s = _context.database.session();
	Page page;
	page.items = _store.incoming(s, actor.userId, beforeId, limit + 1);
	if (page.items.size() > limit)
	{
		page.items.resize(limit);
		page.nextBefore = page.items.back().id;
	}
	Directory& directory = _context.directory;
	std::vector<Poco::Int64> requesters;
	for (const OrgRequest& r : page.items)
	{
		requesters.push_back(r.requesterId);
		if (!page.orgNames.count(r.orgId)) page.orgNames[r.orgId] = directory.orgName(r.orgId);
	}
	if (!requesters.empty()) page.requesterNames = directory.displayNames(requesters);
	return page;
}

void OrgRequestService::contactDeleted(Poco::Int64 orgId, Poco::Int64 contactId)
{
	std::optional<Poco::Int64> user;
	{
		Poco::Data::Session s = _context.database.session();
		user = _store.userOfContact(s, contactId);
	}
	if (!user) return;
	_accounts.removeExternalMembership(orgId, *user);
	_context.database.write([&](Poco::Data::Session& s) { _store.unlink(s, contactId); });
}

void OrgRequestService::personLeft(Poco::Int64 orgId, Poco::Int64 userId)
{
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (std::optional<Poco::Int64> contact = _store.contactOfUser(s, orgId, userId)) _store.unlink(s, *contact);
		});
}

std::size_t OrgRequestService::profileChanged(Poco::Int64 userId, const Directory::Profile& profile)
{
	std::vector<OrgRequestStore::Link> links;
	{
		Poco::Data::Session s = _context.database.session();
		links = _store.linksOfUser(s, userId);
	}
	std::size_t changed = 0;
	for (const OrgRequestStore::Link& link : links)
	{
		Poco::Int64 now = nowMs();
		bool done = _context.database.write(
			[&](Poco::Data::Session& s)
			{
				std::optional<Contact> before = _contactStore.findById(s, link.orgId, link.contactId);
				if (!before) return false;
				before->visibleMembers = _contactStore.visibleMembers(s, link.contactId);
				Contact after = *before;
				std::optional<std::string> name = optionalText(profile.displayName, ContactValidator::NAME_LENGTH_MAX);
				if (name) after.name = *name;
				after.title = optionalText(profile.title, ContactValidator::SHORT_TEXT_LENGTH_MAX);
				std::optional<std::string> email = optionalText(profile.email, ContactValidator::EMAIL_LENGTH_MAX);
				after.email = email && ContactValidator::isValidEmail(*email) ? email : std::nullopt;
				std::optional<std::string> mobile = optionalText(profile.mobile, 32);
				after.mobile = mobile && ContactValidator::isValidMobile(*mobile) ? mobile : std::nullopt;
				if (after.name == before->name && after.title == before->title && after.email == before->email &&
					after.mobile == before->mobile)
					return false;
				after.version = before->version + 1;
				after.updatedAt = now;
				if (!_contactStore.update(s, after, before->version)) return false;
				Actor person;
				person.userId = userId;
				person.orgId = link.orgId;
				person.kind = Actor::Kind::External;
				_context.audit.append(
					s, _context.auditEntry(person, after, ContactService::AUDIT_UPDATE, "", &*before, &after));
				return true;
			});
		if (done) ++changed;
	}
	return changed;
}

} // namespace ExternalContacts
