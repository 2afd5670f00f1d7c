#pragma once

#include "domain/Actor.h"
#include "domain/Contact.h"
#include "service/ContactService.h"
#include "store/InvitationStore.h"
#include <string>

namespace ExternalContacts
{

class ContactWeChatService
/// The WeChat identity bound to a contact when the person joined through
/// an invitation with WeChat authorization (R4.6): 解除绑定 by whoever may
/// edit the contact's basic info (R8), with its audit row (R10).
/// Thread-safe: each call takes its own session.
{
public:
	static const std::string AUDIT_UNBIND; /// "wechat.unbind"

	explicit ContactWeChatService(ContactService& contacts);

	void unbind(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr);
	/// Removes the contact's WeChat identity and writes the audit row
	/// (before: nickname and boundAt, never openid / unionid) in one
	/// transaction. Throws ContactNotFoundException (missing, deleted, not
	/// visible, or no WeChat bound) or AccessDeniedException (may see but
	/// not edit the contact); then nothing changed.

	static std::string auditJson(const WeChatIdentity& wechat);
	/// {"nickname","boundAt"}: what the audit log keeps of a WeChat
	/// identity (no openid, no unionid, no avatar URL).

private:
	ContactService& _contacts;
	InvitationStore _store;
};

} // namespace ExternalContacts
