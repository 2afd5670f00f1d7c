#include "service/InvitationService.h"

#include "domain/AccessPolicy.h"
#include "domain/ContactSnapshot.h"
#include "domain/DuplicateKey.h"
#include "domain/ValidationError.h"
#include "service/CompactJson.h"
#include "service/ContactWeChatService.h"
#include "service/SecretToken.h"
#include <Poco/JSON/Object.h>

namespace ExternalContacts
{

const std::string InvitationService::AUDIT_JOIN = "contact.invite_join";
const std::string InvitationService::AUDIT_CREATE = "invitation.create";
const std::string InvitationService::AUDIT_REGENERATE = "invitation.regenerate";
const std::string InvitationService::AUDIT_REVOKE = "invitation.revoke";
const std::string InvitationService::AUDIT_WECHAT_BIND = "wechat.bind";
const std::string InvitationService::NOTICE_TYPE = "external_contacts.invitation_joined";

namespace
{

constexpr Poco::Int64 HOUR_MS = 3600 * 1000LL;

std::optional<std::string> optionalText(const std::string& text)
{
	if (text.empty()) return std::nullopt;
	return text;
}

int secondsUntil(Poco::Int64 at, Poco::Int64 now)
{
	return static_cast<int>((at - now + 999) / 1000);
}

/// The audit snapshot of a link: its id, expiry, use limit and uses (and
/// when it was revoked), never the token or its hash.
std::string auditJson(const Invitation& invitation)
{
	Poco::JSON::Object object;
	object.set("id", invitation.id);
	object.set("ttlHours", invitation.ttlHours);
	object.set("expiresAt", invitation.expiresAt);
	object.set("maxUses", invitation.maxUses ? Poco::Dynamic::Var(*invitation.maxUses) : Poco::Dynamic::Var());
	object.set("uses", invitation.uses);
	if (invitation.revokedAt) object.set("revokedAt", *invitation.revokedAt);
	return compactJson(object);
}

} // namespace

InvitationService::InvitationService(ServiceContext& context, ContactService& contacts, Notifier& notifier,
									 Limits limits) :
	_context(context),
	_contactStore(context.database), _contacts(contacts), _notifier(notifier), _store(context.database),
	_proposals(context.database), _limiter(context.database, [&context] { return context.nowMs(); }), _limits(limits)
{
}

InvitationService::InvitationService(ServiceContext& context, ContactService& contacts, Notifier& notifier) :
	InvitationService(context, contacts, notifier, Limits())
{
}

void InvitationService::limitCreation(const Actor& actor)
{
	_limiter.hit("invite.create.member:" + std::to_string(actor.orgId) + ":" + std::to_string(actor.userId),
				 _limits.memberWindowMs, _limits.createsPerMember, "rate_limited",
				 "too many invitation links in a short time; try again later");
	_limiter.hit("invite.create.org:" + std::to_string(actor.orgId), HOUR_MS, _limits.createsPerOrg, "rate_limited",
				 "the organization created too many invitation links this hour; try again later");
}

void InvitationService::requireRoom(Poco::Data::Session& session, const Actor& actor, Poco::Int64 now)
{
	InvitationStore::ActiveCount active = _store.activeOf(session, actor.orgId, actor.userId, now);
	if (active.count >= _limits.activePerMember)
		throw RateLimitedException("too_many_active",
								   "you have " + std::to_string(active.count) +
									   " active invitation links; revoke some or wait until one expires",
								   secondsUntil(active.earliestExpiry, now));
}

InvitationService::Issued InvitationService::issue(Poco::Data::Session& session, const Actor& actor,
												   const InvitationSettings& settings, Poco::Int64 now)
{
	requireRoom(session, actor, now);
	Issued issued;
	issued.token = SecretToken::generate();
	Invitation& i = issued.invitation;
	i.orgId = actor.orgId;
	i.createdBy = actor.userId;
	i.tokenHash = SecretToken::hash(issued.token);
	i.createdAt = now;
	i.expiresAt = now + settings.ttlHours * HOUR_MS;
	i.ttlHours = settings.ttlHours;
	i.maxUses = settings.maxUses;
	i.id = _store.insert(session, i);
	return issued;
}

void InvitationService::audit(Poco::Data::Session& session, const Actor& actor, const std::string& action,
							  const std::string& remoteAddr, const Invitation* before, const Invitation* after,
							  Poco::Int64 now)
{
	AuditEntry entry = AuditEntry::of(actor.orgId, std::nullopt, actor.userId, action, now, remoteAddr);
	if (before) entry.beforeJson = auditJson(*before);
	if (after) entry.afterJson = auditJson(*after);
	_context.audit.append(session, entry);
}

InvitationService::Issued InvitationService::create(const Actor& actor, const InvitationSettings& settings,
													const std::string& remoteAddr)
{
	if (!AccessPolicy::mayCreate(actor)) throw AccessDeniedException("only members of the org may invite contacts");
	if (settings.ttlHours < Invitation::TTL_HOURS_MIN || settings.ttlHours > Invitation::TTL_HOURS_MAX)
		throw ValidationError::failed("ttlHours", "ttlHours must be an integer from 1 to 720 (30 days)");
	if (settings.maxUses && (*settings.maxUses < 1 || *settings.maxUses > Invitation::MAX_USES_MAX))
		throw ValidationError::failed("maxUses", "maxUses must be null (no limit) or an integer from 1 to 1000");
	Poco::Int64 now = nowMs();
	{
		// A member at the cap is told so without using up their rate budget.
		Poco::Data::Session s = _context.database.session();
		requireRoom(s, actor, now);
	}
	limitCreation(actor);
	return _context.database.write(
		[&](Poco::Data::Session& s)
		{
			Issued issued = issue(s, actor, settings, now);
			audit(s, actor, AUDIT_CREATE, remoteAddr, nullptr, &issued.invitation, now);
			return issued;
		});
}

Invitation InvitationService::requireMine(Poco::Data::Session& session, const Actor& actor, Poco::Int64 id)
{
	if (!AccessPolicy::mayCreate(actor)) throw AccessDeniedException("only members of the org may invite contacts");
	std::optional<Invitation> found = _store.find(session, actor.orgId, id);
	if (!found || found->createdBy != actor.userId) throw InvitationNotFoundException("no such invitation link");
	return *found;
}

InvitationService::Issued InvitationService::regenerate(const Actor& actor, Poco::Int64 id,
														const std::string& remoteAddr)
{
	{
		Poco::Data::Session s = _context.database.session();
		requireMine(s, actor, id);
	}
	Poco::Int64 now = nowMs();
	limitCreation(actor);
	return _context.database.write(
		[&](Poco::Data::Session& s)
		{
			Invitation old = requireMine(s, actor, id);
			_store.revoke(s, id, actor.userId, now);
			InvitationSettings settings;
			settings.ttlHours = old.ttlHours;
			settings.maxUses = old.maxUses;
			Issued issued = issue(s, actor, settings, now);
			issued.revoked = _store.find(s, actor.orgId, id);
			audit(s, actor, AUDIT_REGENERATE, remoteAddr, &*issued.revoked, &issued.invitation, now);
			return issued;
		});
}

Invitation InvitationService::revoke(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr)
{
	Poco::Int64 now = nowMs();
	return _context.database.write(
		[&](Poco::Data::Session& s)
		{
			Invitation before = requireMine(s, actor, id);
			bool revoked = _store.revoke(s, id, actor.userId, now);
			Invitation after = *_store.find(s, actor.orgId, id);
			if (revoked) audit(s, actor, AUDIT_REVOKE, remoteAddr, &before, &after, now);
			return after;
		});
}

InvitationService::Page InvitationService::list(const Actor& actor, std::optional<Poco::Int64> beforeId,
												std::size_t limit)
{
	if (!AccessPolicy::mayCreate(actor)) throw AccessDeniedException("only members of the org may invite contacts");
	if (limit < 1 || limit > LIMIT_MAX) throw ValidationError::failed("limit", "limit must be from 1 to 100");
	Poco::Data::Session s = _context.database.session();
	Page page;
	page.items = _store.ofCreator(s, actor.orgId, actor.userId, beforeId, limit + 1);
	if (page.items.size() > limit)
	{
		page.items.resize(limit);
		page.nextBefore = page.items.back().id;
	}
	return page;
}

Invitation InvitationService::requireOwn(const Actor& actor, Poco::Int64 id, const std::string& token)
{
	Invitation invitation;
	{
		Poco::Data::Session s = _context.database.session();
		invitation = requireMine(s, actor, id);
	}
	if (!SecretToken::wellFormed(token) || SecretToken::hash(token) != invitation.tokenHash)
		throw InvitationNotFoundException("no such invitation link");
	Invitation::State state = invitation.stateAt(nowMs());
	if (state != Invitation::State::Active) throw InvitationGoneException(InvitationGoneException::reasonOf(state));
	return invitation;
}

InvitationService::Landing InvitationService::open(const std::string& token)
{
	if (!SecretToken::wellFormed(token)) throw InvitationNotFoundException("no such invitation link");
	std::optional<Invitation> found;
	{
		Poco::Data::Session s = _context.database.session();
		found = _store.findByTokenHash(s, SecretToken::hash(token));
	}
	if (!found) throw InvitationNotFoundException("no such invitation link");
	Invitation::State state = found->stateAt(nowMs());
	if (state != Invitation::State::Active) throw InvitationGoneException(InvitationGoneException::reasonOf(state));
	Directory& directory = _context.directory;
	if (directory.membersAmong(found->orgId, {found->createdBy}).empty())
		throw InvitationGoneException(InvitationGoneException::Reason::InviterLeft);
	Landing landing;
	landing.invitation = *found;
	std::map<Poco::Int64, std::string> names = directory.displayNames({found->createdBy});
	landing.inviterName = names[found->createdBy];
	landing.orgName = directory.orgName(found->orgId);
	return landing;
}

void InvitationService::limitAuthorizations(const std::string& remoteAddr)
{
	_limiter.hit("invite.wechat.addr:" + remoteAddr, _limits.joinWindowMs, _limits.authorizationsPerAddress,
				 "rate_limited", "too many WeChat authorizations from this address; try again later");
}

InvitationService::Joined InvitationService::join(const std::string& token, const InviteForm& form,
												  const std::string& wechatProfile, const std::string& remoteAddr)
{
	_limiter.hit("invite.join.addr:" + remoteAddr, _limits.joinWindowMs, _limits.joinsPerAddress, "rate_limited",
				 "too many submissions from this address; try again later");
	std::vector<InviteForm::Problem> problems = form.problems();
	if (!problems.empty()) throw ValidationError::failed(problems.front().field, "the form breaks a rule");

	Joined joined;
	joined.landing = open(token);
	const Invitation& invitation = joined.landing.invitation;
	Poco::Int64 now = nowMs();

	std::optional<InvitationStore::WeChatAuthorization> profile;
	if (!wechatProfile.empty())
	{
		if (SecretToken::wellFormed(wechatProfile))
		{
			Poco::Data::Session s = _context.database.session();
			profile = _store.authorizationByProfile(s, SecretToken::hash(wechatProfile));
		}
		if (!profile || profile->invitationId != invitation.id || profile->consumedAt || profile->expiresAt <= now)
			throw ValidationError::failed("wx", "the WeChat authorization is no longer valid; authorize again");
	}

	ContactFields fields;
	fields.name = form.name;
	fields.mobile = optionalText(form.mobile);
	fields.company = optionalText(form.company);
	fields.title = optionalText(form.title);
	int securityLevel = _contacts.newContactSecurityLevel(invitation.orgId);
	Actor inviter;
	inviter.userId = invitation.createdBy;
	inviter.orgId = invitation.orgId;
	inviter.kind = Actor::Kind::Member;

	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (!_store.countUse(s, invitation.id, now))
			{
				std::optional<Invitation> current = _store.find(s, invitation.orgId, invitation.id);
				Invitation::State state = current ? current->stateAt(now) : Invitation::State::Revoked;
				throw InvitationGoneException(InvitationGoneException::reasonOf(state));
			}
			if (profile && !_store.consume(s, profile->id, now))
				throw ValidationError::failed("wx", "the WeChat authorization was already used; authorize again");

			std::optional<Poco::Int64> existing;
			if (std::optional<std::string> key = DuplicateKey::mobile(fields.mobile))
			{
				for (Poco::Int64 id :
					 _contactStore.withSameKey(s, inviter.orgId, "mobile_key", *key, 0, ContactService::DUPLICATES_MAX))
				{
					std::optional<ContactAccess::Loaded> seen = _context.access.findVisible(s, inviter, id);
					if (!seen) continue;
					existing = id;
					joined.inviterMayDecide = AccessPolicy::mayEdit(inviter, seen->contact, seen->relation);
					break;
				}
			}
			if (existing)
			{
				Contact submitted;
				static_cast<ContactFields&>(submitted) = fields;
				submitted.id = *existing;
				submitted.orgId = inviter.orgId;
				submitted.source = ContactSource::WechatInvite;
				submitted.addedBy = inviter.userId;
				AuditEntry entry = AuditEntry::of(inviter.orgId, *existing, 0, AUDIT_JOIN, now, remoteAddr);
				entry.afterJson = ContactSnapshot::toAuditJson(submitted);
				_context.audit.append(s, entry);
				joined.contactId = *existing;
			}
			else
			{
				Contact contact =
					_contacts.insertNew(s, inviter.orgId, inviter.userId, fields, ContactSource::WechatInvite,
										securityLevel, now, 0, AUDIT_JOIN, remoteAddr);
				joined.contactId = contact.id;
				joined.created = true;
			}
			if (profile)
			{
				WeChatIdentity wechat;
				wechat.openid = profile->openid;
				wechat.unionid = profile->unionid;
				wechat.nickname = profile->nickname;
				wechat.avatarUrl = profile->avatarUrl;
				wechat.boundAt = now;
				if (!joined.created)
				{
					// Whoever knows a contact's mobile could otherwise put their
					// own WeChat on it (issue 14, finding 3): for a contact that
					// existed, the identity waits for someone who may edit it.
					propose(s, joined, wechat, remoteAddr);
					return;
				}
				_store.bindContact(s, inviter.orgId, joined.contactId, wechat);
				Poco::JSON::Object bound;
				bound.set("nickname", wechat.nickname);
				bound.set("boundAt", wechat.boundAt);
				// Actor 0: the visitor, as for contact.invite_join.
				AuditEntry entry =
					AuditEntry::of(inviter.orgId, joined.contactId, 0, AUDIT_WECHAT_BIND, now, remoteAddr);
				entry.afterJson = compactJson(bound);
				_context.audit.append(s, entry);
			}
		});
	joined.landing.invitation.uses += 1;
	notifyInviter(joined, form);
	return joined;
}

void InvitationService::propose(Poco::Data::Session& session, Joined& joined, const WeChatIdentity& wechat,
								const std::string& remoteAddr)
{
	const Invitation& invitation = joined.landing.invitation;
	Poco::Int64 now = wechat.boundAt;
	// Joins proposing for one contact take turns from here to the commit
	// (MySQL: the contact row's lock; SQLite: the write transaction), so the
	// one after sees the pending proposal the one before stored and the
	// INSERT below never meets the unique pending key (issue 14, finding 3,
	// review: two joins at once answered one visitor 503). A contact
	// deleted since is not proposed to.
	if (!_proposals.lockContact(session, invitation.orgId, joined.contactId)) return;
	if (std::optional<WeChatProposal> older = _proposals.replacePending(session, joined.contactId, now))
		joined.replacedProposalId = older->id;
	WeChatProposal proposal;
	proposal.orgId = invitation.orgId;
	proposal.contactId = joined.contactId;
	proposal.invitationId = invitation.id;
	proposal.inviterId = invitation.createdBy;
	proposal.wechat = wechat;
	proposal.expiresAt = now + WeChatProposal::TTL_MS;
	joined.proposalId = _proposals.insert(session, proposal);
	Poco::JSON::Object proposed;
	proposed.set("proposalId", *joined.proposalId);
	proposed.set("nickname", wechat.nickname);
	proposed.set("proposedAt", now);
	proposed.set("expiresAt", proposal.expiresAt);
	// Actor 0: the visitor, as for contact.invite_join.
	AuditEntry entry = AuditEntry::of(invitation.orgId, joined.contactId, 0, ContactWeChatService::AUDIT_BIND_PROPOSED,
									  now, remoteAddr);
	entry.afterJson = compactJson(proposed);
	_context.audit.append(session, entry);
}

void InvitationService::notifyInviter(Joined& joined, const InviteForm& form)
{
	const Invitation& invitation = joined.landing.invitation;
	Notifier::Notice notice;
	notice.orgId = invitation.orgId;
	notice.userIds = {invitation.createdBy};
	notice.type = NOTICE_TYPE;
	notice.title = {"微信邀请：" + form.name + " 已填写信息", "WeChat invitation: " + form.name + " responded"};
	if (joined.created)
		notice.body = {form.name + " 通过你的邀请链接成为了你的外部联系人。",
					   form.name + " became your external contact through your invitation link."};
	else
		notice.body = {form.name + " 通过你的邀请链接填写了信息；你已有手机号相同的外部联系人，未重复添加。",
					   form.name + " responded to your invitation link; you already have a contact with this mobile, "
								   "so no second one was added."};
	if (joined.proposalId && !joined.inviterMayDecide)
	{
		// The inviter only sees that contact (shared with them): those who may
		// edit it find the proposal on its card.
		notice.body.zhCN +=
			"对方授权了微信，但不会自动绑定到已有联系人；可编辑该联系人的同事可在联系人卡片上确认（7 天内有效）。";
		notice.body.en += " They authorized a WeChat account; it is not bound to the existing contact unless someone "
						  "who may edit that contact confirms it on its card (within 7 days).";
	}
	else if (joined.proposalId)
	{
		notice.body.zhCN += "对方授权了微信，但不会自动绑定到已有联系人：请确认是否绑定（7 天内有效）。";
		notice.body.en += " They authorized a WeChat account; it is not bound to the existing contact unless you "
						  "confirm it (within 7 days).";
		std::string id = std::to_string(*joined.proposalId);
		notice.groupKey = ContactWeChatService::noticeGroup(*joined.proposalId);
		notice.actions = {
			{"confirm", {"确认绑定", "Confirm binding"}, "POST", "/wechat-proposals/" + id + "/confirm", "{}"},
			{"ignore", {"忽略", "Ignore"}, "POST", "/wechat-proposals/" + id + "/ignore", "{}"}};
	}
	try
	{
		if (joined.replacedProposalId)
			_notifier.notifyWithResolve(ContactWeChatService::noticeGroup(*joined.replacedProposalId),
										R"({"status":"replaced"})", notice);
		else
			_notifier.notify(notice);
	}
	catch (const std::exception& e)
	{
		// The contact is saved; a notice that could not be sent does not undo
		// it, and the inviter sees the contact in their list.
		joined.notifyError = e.what();
	}
}

} // namespace ExternalContacts
