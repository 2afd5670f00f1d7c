#pragma once

#include "domain/Actor.h"
#include "domain/Invitation.h"
#include "service/ContactService.h"
#include "service/Notifier.h"
#include "service/RateLimiter.h"
#include "service/ServiceContext.h"
#include "store/ContactStore.h"
#include "store/InvitationStore.h"
#include "store/WeChatProposalStore.h"
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class InvitationService
/// Invitation links for WeChat friends (R4): a member creates, lists,
/// regenerates and revokes their links; a visitor opens one and joins as
/// the member's external contact (source 微信邀请). Tokens are 256-bit,
/// kept only as SHA-256; a use is one conditional UPDATE; rate limits are
/// database counters, so they hold across threads and host nodes.
/// Thread-safe: each call takes its own sessions.
{
public:
	static const std::string AUDIT_JOIN;        /// "contact.invite_join"
	static const std::string AUDIT_CREATE;      /// "invitation.create"
	static const std::string AUDIT_REGENERATE;  /// "invitation.regenerate"
	static const std::string AUDIT_REVOKE;      /// "invitation.revoke"
	static const std::string AUDIT_WECHAT_BIND; /// "wechat.bind"
	static const std::string NOTICE_TYPE;       /// "external_contacts.invitation_joined"

	static constexpr std::size_t LIMIT_MAX = 100;

	struct Limits
	{
		int createsPerMember = 30;           /// links a member may create per window
		Poco::Int64 memberWindowMs = 600000; /// 10 minutes
		std::size_t activePerMember = 200;   /// links active at once per member
		int createsPerOrg = 1000;            /// links an org may create per hour
		int joinsPerAddress = 10;            /// landing-page submissions per address and window
		Poco::Int64 joinWindowMs = 600000;   /// 10 minutes
		int authorizationsPerAddress = 30;   /// WeChat authorizations per address and window
	};

	InvitationService(ServiceContext& context, ContactService& contacts, Notifier& notifier, Limits limits);
	InvitationService(ServiceContext& context, ContactService& contacts, Notifier& notifier);

	struct Issued
	{
		Invitation invitation;
		std::string token;                 /// shown once; never stored
		std::optional<Invitation> revoked; /// the link a regeneration replaced
	};

	Issued create(const Actor& actor, const InvitationSettings& settings, const std::string& remoteAddr = "");
	/// A new link of the actor (a member), with an invitation.create audit
	/// row (contact NULL; the link's id, expiry and use limit, never the
	/// token). Throws ValidationError (ttlHours, maxUses),
	/// AccessDeniedException, RateLimitedException ("rate_limited" per
	/// member or org, "too_many_active").

	Issued regenerate(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr = "");
	/// Revokes the actor's link id and issues a new one with the same
	/// settings, in one transaction with an invitation.regenerate audit row
	/// (before: the old link, after: the new one). Throws
	/// InvitationNotFoundException and as create().

	Invitation revoke(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr = "");
	/// Revokes the actor's link (again is fine, and writes no second
	/// invitation.revoke audit row). Throws InvitationNotFoundException for
	/// another member's or a missing link.

	struct Page
	{
		std::vector<Invitation> items;
		std::optional<Poco::Int64> nextBefore; /// the cursor of the next page
	};

	Page list(const Actor& actor, std::optional<Poco::Int64> beforeId, std::size_t limit);
	/// The actor's links, newest first. Throws ValidationError (limit).

	Invitation requireOwn(const Actor& actor, Poco::Int64 id, const std::string& token);
	/// The actor's active link id when token is its token (for the QR
	/// code). Throws InvitationNotFoundException (missing, another member's,
	/// wrong token) or InvitationGoneException.

	struct Landing
	{
		Invitation invitation;
		std::string inviterName;
		std::string orgName;
	};

	Landing open(const std::string& token);
	/// The link token names, with who invites from which org. Throws
	/// InvitationNotFoundException (unknown or malformed token) or
	/// InvitationGoneException (expired, revoked, used up, inviter left).

	struct Joined
	{
		Poco::Int64 contactId = 0;
		bool created = false; /// false: the inviter already had this person
		Landing landing;
		std::string notifyError;                       /// why the inviter could not be notified, if so
		std::optional<Poco::Int64> proposalId;         /// the WeChat proposed for the existing contact
		std::optional<Poco::Int64> replacedProposalId; /// the older proposal it replaced
		bool inviterMayDecide = false;                 /// the inviter may edit the existing contact
	};

	Joined join(const std::string& token, const InviteForm& form, const std::string& wechatProfile,
				const std::string& remoteAddr);
	/// Counts one use and makes the visitor the inviter's contact (source
	/// wechat_invite), binding the WeChat profile the landing page obtained
	/// (wechatProfile: its reference, or ""), in one transaction; then
	/// notifies the inviter. A bound profile adds a wechat.bind audit row on
	/// the contact (nickname and bound at only). When the inviter already
	/// sees a live contact with the same mobile, no second one is made: the
	/// use counts and the notice names the existing one; the profile is then
	/// not bound but proposed (WeChatProposal, 7 days, replacing an older
	/// one; audit wechat.bind_proposed), and the notice carries 确认绑定 /
	/// 忽略 when the inviter may edit that contact. The visitor's answer is
	/// the same either way. Throws
	/// RateLimitedException (per address), ValidationError (the form breaks
	/// a rule: checked by the caller with InviteForm::problems(); a stale
	/// WeChat reference names "wx"), InvitationNotFoundException,
	/// InvitationGoneException.

	void limitAuthorizations(const std::string& remoteAddr);
	/// Counts a WeChat authorization started from remoteAddr; throws
	/// RateLimitedException beyond the limit.

	InvitationStore& store()
	{
		return _store;
	}

	RateLimiter& limiter()
	{
		return _limiter;
	}

	Poco::Int64 nowMs()
	{
		return _context.nowMs();
	}

private:
	Issued issue(Poco::Data::Session& session, const Actor& actor, const InvitationSettings& settings, Poco::Int64 now);
	void limitCreation(const Actor& actor);
	void requireRoom(Poco::Data::Session& session, const Actor& actor, Poco::Int64 now);
	void audit(Poco::Data::Session& session, const Actor& actor, const std::string& action,
			   const std::string& remoteAddr, const Invitation* before, const Invitation* after, Poco::Int64 now);
	/// Appends an invitation audit row of the actor's org (contact NULL).
	/// Throws RateLimitedException "too_many_active" at the active cap.
	Invitation requireMine(Poco::Data::Session& session, const Actor& actor, Poco::Int64 id);
	void notifyInviter(Joined& joined, const InviteForm& form);
	void propose(Poco::Data::Session& session, Joined& joined, const WeChatIdentity& wechat,
				 const std::string& remoteAddr);
	/// Records wechat as a proposal for the existing contact of joined
	/// (replacing its older one) with the wechat.bind_proposed audit row.

	ServiceContext& _context;
	ContactStore _contactStore;
	ContactService& _contacts;
	Notifier& _notifier;
	InvitationStore _store;
	WeChatProposalStore _proposals;
	RateLimiter _limiter;
	Limits _limits;
};

} // namespace ExternalContacts
