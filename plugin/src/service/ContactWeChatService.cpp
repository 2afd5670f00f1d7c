#include "service/ContactWeChatService.h"

#include "domain/Exceptions.h"
#include "service/CompactJson.h"
#include <Poco/JSON/Object.h>

namespace ExternalContacts
{

const std::string ContactWeChatService::AUDIT_UNBIND("wechat.unbind");
const std::string ContactWeChatService::AUDIT_BIND("wechat.bind");
const std::string ContactWeChatService::AUDIT_BIND_PROPOSED("wechat.bind_proposed");
const std::string ContactWeChatService::AUDIT_BIND_IGNORED("wechat.bind_ignored");

ContactWeChatService::ContactWeChatService(ServiceContext& context, Notifier& notifier) :
	_context(context), _contactStore(context.database), _notifier(notifier), _store(context.database),
	_proposals(context.database)
{
}

std::string ContactWeChatService::noticeGroup(Poco::Int64 proposalId)
{
	return "external-contacts.wechat-proposal:" + std::to_string(proposalId);
}

std::string ContactWeChatService::auditJson(const WeChatIdentity& wechat)
{
	Poco::JSON::Object snapshot;
	snapshot.set("nickname", wechat.nickname);
	snapshot.set("boundAt", wechat.boundAt);
	return compactJson(snapshot);
}

std::optional<WeChatProposal> ContactWeChatService::pendingProposal(const Actor& actor, Poco::Int64 contactId)
{
	Poco::Data::Session s = _context.database.session();
	try
	{
		_context.access.requireEditable(s, actor, contactId);
	}
	catch (const AccessDeniedException&)
	{
		// Only those who may decide a proposal learn that there is one.
		throw ContactNotFoundException("no such contact");
	}
	return _proposals.pendingOf(s, actor.orgId, contactId, _context.nowMs());
}

ContactWeChatService::Decided ContactWeChatService::confirm(const Actor& actor, Poco::Int64 proposalId,
															const std::string& remoteAddr)
{
	return decide(actor, proposalId, WeChatProposal::Status::Confirmed, remoteAddr);
}

ContactWeChatService::Decided ContactWeChatService::ignore(const Actor& actor, Poco::Int64 proposalId,
														   const std::string& remoteAddr)
{
	return decide(actor, proposalId, WeChatProposal::Status::Ignored, remoteAddr);
}

ContactWeChatService::Decided ContactWeChatService::decide(const Actor& actor, Poco::Int64 proposalId,
														   WeChatProposal::Status status, const std::string& remoteAddr)
{
	Poco::Int64 now = _context.nowMs();
	Decided decided = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			std::optional<WeChatProposal> found = _proposals.find(s, actor.orgId, proposalId);
			if (!found) throw ContactNotFoundException("no such proposal");
			Contact contact;
			try
			{
				// Checked inside the transaction: a contact deleted or handed
				// over since the notice was sent is not bound to.
				contact = _context.access.requireEditable(s, actor, found->contactId).contact;
			}
			catch (const AccessDeniedException&)
			{
				// One who may see but not edit the contact may not decide
				// either, and does not learn that a proposal exists.
				throw ContactNotFoundException("no such proposal");
			}
			// The one conditional UPDATE decides: of two answers at once,
			// exactly one changes the row; the other is told how it ended.
			if (!_proposals.settle(s, found->id, status, actor.userId, now))
			{
				std::optional<WeChatProposal> current = _proposals.find(s, actor.orgId, proposalId, true);
				throw WeChatProposalSettledException(current ? current->statusAt(now)
															 : WeChatProposal::Status::Expired);
			}
			Decided d;
			d.proposal = *found;
			d.proposal.status = status;
			d.proposal.decidedAt = now;
			d.proposal.decidedBy = actor.userId;
			std::optional<WeChatIdentity> before = _contactStore.wechatOf(s, contact.id);
			AuditEntry entry = _context.auditEntry(
				actor, contact, status == WeChatProposal::Status::Confirmed ? AUDIT_BIND : AUDIT_BIND_IGNORED,
				remoteAddr, nullptr, nullptr);
			entry.at = now;
			if (status == WeChatProposal::Status::Confirmed)
			{
				WeChatIdentity wechat = found->wechat;
				wechat.boundAt = now;
				_store.bindContact(s, contact.orgId, contact.id, wechat);
				if (before) entry.beforeJson = auditJson(*before);
				entry.afterJson = auditJson(wechat);
				d.wechat = wechat;
			}
			else
			{
				// What was offered, never its openid / unionid.
				entry.beforeJson = auditJson(found->wechat);
				d.wechat = before;
			}
			_context.audit.append(s, entry);
			return d;
		});
	try
	{
		_notifier.resolve(noticeGroup(proposalId),
						  std::string(R"({"status":")") + WeChatProposal::statusName(status) + "\"}");
	}
	catch (const std::exception&)
	{
		// The decision stands; the notice only keeps its buttons.
	}
	return decided;
}

void ContactWeChatService::unbind(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr)
{
	Contact contact;
	{
		Poco::Data::Session s = _context.database.session();
		contact = _context.access.requireEditable(s, actor, contactId).contact;
	}
	Poco::Int64 now = _context.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			// A contact deleted since the check above is gone for this too.
			if (!_contactStore.findById(s, contact.orgId, contact.id))
				throw ContactNotFoundException("no such contact");
			// Read and removed in the same transaction: of two 解除绑定 at
			// once, exactly one deletes the row and writes the audit row.
			std::optional<WeChatIdentity> bound = _contactStore.wechatOf(s, contact.id);
			if (!bound || !_store.unbindContact(s, contact.orgId, contact.id))
				throw ContactNotFoundException("no WeChat is bound to this contact");
			AuditEntry entry = _context.auditEntry(actor, contact, AUDIT_UNBIND, remoteAddr, nullptr, nullptr);
			entry.at = now;
			entry.beforeJson = auditJson(*bound);
			_context.audit.append(s, entry);
		});
}

} // namespace ExternalContacts
