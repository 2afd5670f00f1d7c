#pragma once

#include "store/SqlDialect.h"
#include <Poco/Data/Session.h>
#include <map>
#include <vector>

namespace ExternalContacts
{

class HolderStore
/// The rows that say who holds a contact: its adder (ec_contacts.added_by)
/// and its visible members. Both the hand-over (R9) and 在职继承 change the
/// holder through these, a batch of contacts per statement. Every method
/// works in the session it is given, inside the caller's write transaction.
{
public:
	explicit HolderStore(SqlDialect dialect);

	std::vector<Poco::Int64> lockHeld(Poco::Data::Session& session, const std::vector<Poco::Int64>& contactIds,
									  Poco::Int64 holder);
	/// Those of contactIds that are live and added by holder, ascending,
	/// locked until the transaction ends (FOR UPDATE on MySQL; SQLite's
	/// write transaction holds the whole database).

	std::map<Poco::Int64, std::vector<Poco::Int64>> visibleMembers(Poco::Data::Session& session,
																   const std::vector<Poco::Int64>& contactIds);
	/// The visible members of each contact, ascending (contacts without
	/// any are left out).

	void reassign(Poco::Data::Session& session, const std::vector<Poco::Int64>& contactIds, Poco::Int64 from,
				  Poco::Int64 to, Poco::Int64 at);
	/// Makes `to` the adder of the contacts (lockHeld's answer): bumps
	/// their version and sets updatedAt.

	void replaceVisible(Poco::Data::Session& session, const std::vector<Poco::Int64>& contactIds, Poco::Int64 from,
						const std::vector<Poco::Int64>& addTo, Poco::Int64 to);
	/// Takes `from` off the visible-members lists of contactIds and puts
	/// `to` on those of addTo.

private:
	SqlDialect _dialect;
};

} // namespace ExternalContacts
