#pragma once

#include "domain/AccessPolicy.h"
#include "domain/Actor.h"
#include "domain/Contact.h"
#include "service/Directory.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "store/GroupMaintainerStore.h"
#include <Poco/Data/Session.h>
#include <optional>

namespace ExternalContacts
{

class ContactAccess
/// Loads one contact together with the facts AccessPolicy needs to judge
/// an actor, so that every route asks the same questions the same way.
{
public:
	struct Loaded
	/// A contact the actor may see, and how they stand to it.
	{
		Contact contact;
		AccessPolicy::Relation relation;
	};

	ContactAccess(Database& database, Directory& directory);
	/// Reads contacts, shares and group maintainers through its own stores
	/// (stateless); asks directory for permissions.

	bool holdsMaintain(const Actor& actor);
	/// True for an admin or a holder of the maintain permission in the
	/// actor's current org.

	AccessPolicy::Relation relationOf(Poco::Data::Session& session, const Actor& actor, const Contact& contact);
	/// How actor stands to contact; asks the host, the group maintainers
	/// and the share list only as far as the earlier answers do not settle it.

	AccessPolicy::Relation fullRelationOf(Poco::Data::Session& session, const Actor& actor, const Contact& contact);
	/// As relationOf(), but every fact is asked even when an earlier one
	/// settles sight and editing: deciding applications and managing
	/// accounts need them also for the adder.

	std::optional<Loaded> findVisible(Poco::Data::Session& session, const Actor& actor, Poco::Int64 id);
	/// The contact with id if it exists in the actor's org, is not deleted
	/// and the actor may see it; else nothing.

	Loaded requireVisible(Poco::Data::Session& session, const Actor& actor, Poco::Int64 id);
	/// As findVisible(), but throws ContactNotFoundException instead of
	/// answering nothing.

	Loaded requireEditable(Poco::Data::Session& session, const Actor& actor, Poco::Int64 id);
	/// As requireVisible(); then throws AccessDeniedException when the
	/// actor may see but not edit the contact (a shared-with member).

private:
	ContactStore _contacts;
	GroupMaintainerStore _maintainers;
	Directory& _directory;
};

} // namespace ExternalContacts
