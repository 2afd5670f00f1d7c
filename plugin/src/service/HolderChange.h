#pragma once

#include "domain/Actor.h"
#include "service/ServiceContext.h"
#include "store/HolderStore.h"
#include <string>
#include <vector>

namespace ExternalContacts
{

class HolderChange
/// The one rule for giving a contact to a new holder, shared by the
/// hand-over (R9: the holder leaves the org) and 在职继承 (both stay): the
/// new holder becomes the contact's adder and takes the old one's place on
/// its visible-members list, the version goes up, and one audit row
/// (before/after: addedBy and visibleMembers) records it, all in the
/// caller's transaction, a batch of contacts per statement. Thread-safe.
{
public:
	explicit HolderChange(ServiceContext& context);

	std::vector<Poco::Int64> move(Poco::Data::Session& session, const Actor& actor,
								  const std::vector<Poco::Int64>& contactIds, Poco::Int64 from, Poco::Int64 to,
								  const std::string& action, Poco::Int64 at, const std::string& remoteAddr);
	/// Gives those of contactIds (at most a few hundred) that `from` still
	/// holds, live, to `to`, and appends one audit row `action` each (actor:
	/// who does it, in actor.orgId). Answers the ids moved, ascending; the
	/// others (edited away, deleted or moved meanwhile) are left as they are.

	static std::string holderJson(Poco::Int64 addedBy, const std::vector<Poco::Int64>& visibleMembers);
	/// {"addedBy":id,"visibleMembers":[ids]}: what a change of holder changes.

private:
	ServiceContext& _context;
	HolderStore _store;
};

} // namespace ExternalContacts
