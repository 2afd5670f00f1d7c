#pragma once

#include "domain/Actor.h"
#include "domain/Contact.h"
#include <string>

namespace ExternalContacts
{

class AccessPolicy
/// The R8 rules, in one place for every read and write path. Facts that
/// need I/O (does the actor hold external_contacts.maintain, is the
/// contact shared with them) are found by the caller and passed in.
///
/// Members see the contacts they added and those shared with them; admins
/// and holders of external_contacts.maintain see every contact of their
/// org; group maintainers every contact of the groups they maintain;
/// external users and anonymous callers see none. Editing (basic
/// info, permissions, share list, delete, history) belongs to the adder,
/// admins, maintain-holders and the maintainers of the contact's group;
/// a shared-with member may only look.
{
public:
	static const std::string MAINTAIN_PERMISSION;
	/// "external_contacts.maintain"

	enum class Scope
	{
		Mine, /// added by me or shared with me
		All   /// every contact of the org
	};

	struct Relation
	/// What is known about the actor and one contact.
	{
		bool holdsMaintain = false;   /// admin or holder of MAINTAIN_PERMISSION in the contact's org
		bool maintainsGroup = false;  /// the actor maintains the contact's group (ec_group_maintainers)
		bool sharedWithActor = false; /// the actor is on the contact's share list
	};

	static bool mayUseContacts(const Actor& actor);
	/// True for a signed-in member of the current org.

	static bool mayList(const Actor& actor, Scope scope, bool holdsMaintain, bool maintainsGroups = false);
	/// True when actor may list contacts in scope. Scope All is open to
	/// admins, maintain-holders and group maintainers (maintainsGroups: the
	/// actor maintains at least one group; they then see only those groups).

	static bool maySee(const Actor& actor, const Contact& contact, const Relation& relation);
	/// True when actor may see contact. A contact this denies must be
	/// answered exactly like one that does not exist.

	static bool mayEdit(const Actor& actor, const Contact& contact, const Relation& relation);
	/// True when actor may edit contact's basic info and permissions,
	/// change its share list, delete it and read its history (R8, R10).
	/// Implies maySee.

	static bool isAdder(const Actor& actor, const Contact& contact);
	/// True when actor added contact in their current org: then no other
	/// fact is needed to let them see it.

	static bool mayCreate(const Actor& actor);
	/// True when actor may create contacts in their current org.

	static bool mayApplyForAccount(const Actor& actor, const Contact& contact, const Relation& relation);
	/// True when actor may apply to open an account for contact (R3.1,
	/// R8): whoever may edit it.

	static bool mayDecideApplication(const Actor& actor, const Contact& contact, const Relation& relation);
	/// True for the approvers of contact's applications (R3.2): admins,
	/// maintain-holders and the maintainers of the contact's group.

	static bool mayManageAccount(const Actor& actor, bool holdsMaintain);
	/// True when actor may assign, disable, enable or reset accounts
	/// directly (R6.4): admins and maintain-holders.

	static bool mayTransfer(const Actor& actor, bool holdsMaintain);
	/// True when actor may give one member's contacts to another while
	/// both stay (在职继承): admins and maintain-holders.
};

} // namespace ExternalContacts
