#include "service/ContactWeChatService.h"

#include "domain/Exceptions.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>

namespace ExternalContacts
{

const std::string ContactWeChatService::AUDIT_UNBIND("wechat.unbind");

ContactWeChatService::ContactWeChatService(ContactService& contacts) :
	_contacts(contacts), _store(contacts.database())
{
}

std::string ContactWeChatService::auditJson(const WeChatIdentity& wechat)
{
	Poco::JSON::Object snapshot;
	snapshot.set("nickname", wechat.nickname);
	snapshot.set("boundAt", wechat.boundAt);
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(snapshot, out);
	return out.str();
}

void ContactWeChatService::unbind(const Actor& actor, Poco::Int64 contactId, const std::string& remoteAddr)
{
	Contact contact;
	{
		Poco::Data::Session s = _contacts.database().session();
		contact = _contacts.access().requireEditable(s, actor, contactId).contact;
	}
	Poco::Int64 now = _contacts.directory().nowMs();
	_contacts.database().write(
		[&](Poco::Data::Session& s)
		{
			// A contact deleted since the check above is gone for this too.
			if (!_contacts.contacts().findById(s, contact.orgId, contact.id))
				throw ContactNotFoundException("no such contact");
			// Read and removed in the same transaction: of two 解除绑定 at
			// once, exactly one deletes the row and writes the audit row.
			std::optional<WeChatIdentity> bound = _contacts.contacts().wechatOf(s, contact.id);
			if (!bound || !_store.unbindContact(s, contact.orgId, contact.id))
				throw ContactNotFoundException("no WeChat is bound to this contact");
			AuditEntry entry = _contacts.auditEntry(actor, contact, AUDIT_UNBIND, remoteAddr, nullptr, nullptr);
			entry.at = now;
			entry.beforeJson = auditJson(*bound);
			_contacts.audit().append(s, entry);
		});
}

} // namespace ExternalContacts
