#include "service/SharingService.h"

#include "domain/ContactSnapshot.h"
#include "domain/Exceptions.h"
#include "domain/ValidationError.h"

namespace ExternalContacts
{

const std::string SharingService::AUDIT_PERMISSIONS("contact.permissions");
const std::string SharingService::AUDIT_SHARES("contact.shares");

SharingService::SharingService(ServiceContext& context, ContactService& contacts, ContactPersons* persons) :
	_context(context), _contactStore(context.database), _contacts(contacts), _persons(persons)
{
}

ContactView SharingService::permissions(const Actor& actor, Poco::Int64 id)
{
	std::optional<ContactView> view = _contacts.get(actor, id);
	if (!view) throw ContactNotFoundException("no such contact");
	return std::move(*view);
}

ContactView SharingService::setPermissions(const Actor& actor, Poco::Int64 id, const ContactPermissions& permissions,
										   const std::string& remoteAddr)
{
	Contact before;
	{
		Poco::Data::Session s = _context.database.session();
		before = _context.access.requireEditable(s, actor, id).contact;
		before.visibleMembers = _contactStore.visibleMembers(s, id);
	}
	if (before.version != permissions.version) throw _contacts.conflict(actor, id);
	_context.requireMembers(actor, permissions.visibleMembers, "visibleMembers");
	Contact after = before;
	after.visibleMembers = permissions.visibleMembers;
	after.securityLevel = permissions.securityLevel;
	after.version = before.version + 1;
	after.updatedAt = _context.nowMs();
	bool won = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (!_contactStore.update(s, after, permissions.version)) return false;
			_contactStore.replaceVisibleMembers(s, id, after.visibleMembers);
			_context.audit.append(s, _context.auditEntry(actor, after, AUDIT_PERMISSIONS, remoteAddr, &before, &after));
			return true;
		});
	if (!won) throw _contacts.conflict(actor, id);
	if (_persons && after.securityLevel != before.securityLevel)
	{
		// R6.3 / R7.2: the person's login in the org (an account opened here,
		// or the external membership of a person of another org) takes the new
		// level. The host has its own transaction: when it refuses, the stored
		// change is undone (a further version, audited as the way back) unless
		// someone changed the contact meanwhile, and the host's error is thrown.
		try
		{
			_persons->followLevel(actor.orgId, _persons->of(id), after.securityLevel);
		}
		catch (...)
		{
			Contact undone = before;
			undone.version = after.version + 1;
			undone.updatedAt = _context.nowMs();
			_context.database.write(
				[&](Poco::Data::Session& s)
				{
					if (!_contactStore.update(s, undone, after.version)) return;
					_contactStore.replaceVisibleMembers(s, id, before.visibleMembers);
					_context.audit.append(
						s, _context.auditEntry(actor, undone, AUDIT_PERMISSIONS, remoteAddr, &after, &undone));
				});
			throw;
		}
	}
	return _contacts.viewOf(std::move(after));
}

std::vector<ContactView::Person> SharingService::shares(const Actor& actor, Poco::Int64 id)
{
	std::vector<Poco::Int64> ids;
	{
		Poco::Data::Session s = _context.database.session();
		_context.access.requireVisible(s, actor, id);
		ids = _contactStore.shareMembers(s, id);
	}
	return _context.people(ids);
}

std::vector<ContactView::Person> SharingService::setShares(const Actor& actor, Poco::Int64 id,
														   const std::vector<Poco::Int64>& memberIds,
														   const std::string& remoteAddr)
{
	Contact contact;
	{
		Poco::Data::Session s = _context.database.session();
		contact = _context.access.requireEditable(s, actor, id).contact;
	}
	_context.requireMembers(actor, memberIds, "members");
	Poco::Int64 now = _context.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			// Re-read under the write lock: the audit row must show what was
			// replaced, and a contact deleted meanwhile is gone.
			if (!_contactStore.findById(s, actor.orgId, id)) throw ContactNotFoundException("no such contact");
			std::vector<Poco::Int64> before = _contactStore.shareMembers(s, id);
			if (before == memberIds) return;
			_contactStore.replaceShares(s, actor.orgId, id, memberIds, actor.userId, now);
			AuditEntry entry = _context.auditEntry(actor, contact, AUDIT_SHARES, remoteAddr, nullptr, nullptr);
			entry.at = now;
			entry.beforeJson = ContactSnapshot::membersJson("shares", before);
			entry.afterJson = ContactSnapshot::membersJson("shares", memberIds);
			_context.audit.append(s, entry);
		});
	return _context.people(memberIds);
}

} // namespace ExternalContacts
