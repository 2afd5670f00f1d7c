#pragma once

#include "domain/Actor.h"
#include "domain/Contact.h"
#include "domain/WeChatProposal.h"
#include "service/Notifier.h"
#include "service/ServiceContext.h"
#include "store/ContactStore.h"
#include "store/InvitationStore.h"
#include "store/WeChatProposalStore.h"
#include <optional>
#include <string>

namespace ExternalContacts
{

class ContactWeChatService
/// The WeChat identity bound to a contact when the person joined through
/// an invitation with WeChat authorization (R4.6): 解除绑定 by whoever may
/// edit the contact's basic info (R8), with its audit row (R10). A WeChat
/// identity a visitor offered for a contact that existed already is only a
/// proposal (WeChatProposal): those who may edit the contact confirm it
/// (确认绑定, wechat.bind) or drop it (忽略, wechat.bind_ignored).
/// Thread-safe: each call takes its own session.
{
public:
	static const std::string AUDIT_UNBIND;        /// "wechat.unbind"
	static const std::string AUDIT_BIND;          /// "wechat.bind"
	static const std::string AUDIT_BIND_PROPOSED; /// "wechat.bind_proposed"
	static const std::string AUDIT_BIND_IGNORED;  /// "wechat.bind_ignored"

	ContactWeChatService(ServiceContext& context, Notifier& notifier);

	void unbind(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr);
	/// Removes the contact's WeChat identity and writes the audit row
	/// (before: nickname and boundAt, never openid / unionid) in one
	/// transaction. Throws ContactNotFoundException (missing, deleted, not
	/// visible, or no WeChat bound) or AccessDeniedException (may see but
	/// not edit the contact); then nothing changed.

	std::optional<WeChatProposal> pendingProposal(const Actor& actor, Poco::Int64 contactId);
	/// The contact's pending, unexpired proposal, if any. Throws
	/// ContactNotFoundException unless the actor may edit the contact (one
	/// who may not decide it does not learn of it).

	struct Decided
	{
		WeChatProposal proposal;
		std::optional<WeChatIdentity> wechat; /// bound to the contact now
	};

	Decided confirm(const Actor& actor, Poco::Int64 proposalId, const std::string& remoteAddr);
	/// 确认绑定: binds the proposed identity to the contact in place of the
	/// one bound (if any), with a wechat.bind audit row (before / after:
	/// nickname and boundAt), in one transaction with the decision. Throws
	/// ContactNotFoundException (no such proposal in the actor's org, or the
	/// actor may not edit its contact, or the contact is gone) or
	/// WeChatProposalSettledException (decided, replaced or expired).

	Decided ignore(const Actor& actor, Poco::Int64 proposalId, const std::string& remoteAddr);
	/// 忽略: drops the proposal with a wechat.bind_ignored audit row; the
	/// contact keeps its WeChat. Throws as confirm().

	static std::string noticeGroup(Poco::Int64 proposalId);
	/// The group key of the inviter's notice with the actions.

	static std::string auditJson(const WeChatIdentity& wechat);
	/// {"nickname","boundAt"}: what the audit log keeps of a WeChat
	/// identity (no openid, no unionid, no avatar URL).

private:
	Decided decide(const Actor& actor, Poco::Int64 proposalId, WeChatProposal::Status status,
				   const std::string& remoteAddr);

	ServiceContext& _context;
	ContactStore _contactStore;
	Notifier& _notifier;
	InvitationStore _store;
	WeChatProposalStore _proposals;
};

} // namespace ExternalContacts
