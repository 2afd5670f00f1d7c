#pragma once

#include "domain/Actor.h"
#include "domain/ContactPermissions.h"
#include "service/ContactPersons.h"
#include "service/ContactService.h"
#include "service/ContactView.h"
#include "service/ServiceContext.h"
#include "store/ContactStore.h"
#include <string>
#include <vector>

namespace ExternalContacts
{

class SharingService
/// Who may see a contact and what its external user may see: the 权限设置
/// tab (visible members and security level, R6.3) and the 共享 tab (the
/// share list, R6.5). Reads are open to everyone who may see the contact;
/// changes to those who may edit it (AccessPolicy::mayEdit). Every change
/// is checked against the host directory (members of the org only) and
/// written with its audit row in one transaction. Thread-safe.
{
public:
	static const std::string AUDIT_PERMISSIONS; /// "contact.permissions"
	static const std::string AUDIT_SHARES;      /// "contact.shares"

	explicit SharingService(ServiceContext& context, ContactService& contacts, ContactPersons* persons = nullptr);
	/// With persons, a new 安全级别 reaches the contact's person at the host
	/// (setPermissions); without (no host accounts), it is only stored.

	ContactView permissions(const Actor& actor, Poco::Int64 id);
	/// The contact with its visible members (names filled). Throws
	/// ContactNotFoundException when it is missing or not visible.

	ContactView setPermissions(const Actor& actor, Poco::Int64 id, const ContactPermissions& permissions,
							   const std::string& remoteAddr);
	/// Replaces the visible members and the security level if the contact
	/// is still at permissions.version (bumps it, like an edit). Throws
	/// ValidationError naming "visibleMembers" for ids that are not members
	/// of the org, ContactNotFoundException, AccessDeniedException or
	/// EditConflict.

	std::vector<ContactView::Person> shares(const Actor& actor, Poco::Int64 id);
	/// The members the contact is shared with, ascending by id. Throws
	/// ContactNotFoundException.

	std::vector<ContactView::Person> setShares(const Actor& actor, Poco::Int64 id,
											   const std::vector<Poco::Int64>& memberIds,
											   const std::string& remoteAddr);
	/// Makes memberIds the share list; a member taken off it stops seeing
	/// the contact with the next request. Throws ValidationError naming
	/// "members" for ids that are not members of the org,
	/// ContactNotFoundException or AccessDeniedException.

private:
	ServiceContext& _context;
	ContactStore _contactStore;
	ContactService& _contacts;
	ContactPersons* _persons;
};

} // namespace ExternalContacts
