#pragma once

#include "domain/Actor.h"
#include "domain/Contact.h"
#include "service/ContactAccess.h"
#include "service/ContactView.h"
#include "service/Directory.h"
#include "store/AuditEntry.h"
#include "store/AuditStore.h"
#include "store/Database.h"
#include <string>
#include <vector>

namespace ExternalContacts
{

class ServiceContext
/// What every use case of the plugin needs besides its own stores: the
/// plugin's database, the host's directory (which is also the clock), the
/// one access rule (ContactAccess, R8) and the audit trail (R10). The
/// plugin makes one (Plugin.cpp) and hands it to each service by reference;
/// a service keeps the stores it uses itself. Thread-safe: it holds no
/// per-request state.
{
public:
	ServiceContext(Database& database, Directory& directory);

	ServiceContext(const ServiceContext&) = delete;
	ServiceContext& operator=(const ServiceContext&) = delete;

	Database& database;
	Directory& directory;
	ContactAccess access;
	AuditStore audit;

	Poco::Int64 nowMs() const
	/// The host's clock (milliseconds since the epoch).
	{
		return directory.nowMs();
	}

	std::vector<ContactView::Person> people(const std::vector<Poco::Int64>& ids) const;
	/// ids in the given order with their display names, from one directory
	/// look-up (Directory::displayNames); a user the host does not know has
	/// no name.

	void requireMembers(const Actor& actor, const std::vector<Poco::Int64>& ids, const std::string& field) const;
	/// Throws ValidationError naming field unless every id is a member of
	/// actor's org (one directory call).

	AuditEntry auditEntry(const Actor& actor, const Contact& contact, const std::string& action,
						  const std::string& remoteAddr, const Contact* before, const Contact* after) const;
	/// The audit row of a change of contact by actor: at is after's
	/// updatedAt (or now), snapshots of before and after where given.
};

} // namespace ExternalContacts
