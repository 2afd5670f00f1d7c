#pragma once

#include <Poco/Data/Session.h>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ExternalContacts
{

class HandOverStore
/// The rows the hand-over (R9) reads and moves when a member leaves the
/// org: the live contacts they added, and the share rows that name them.
/// Every method works in the session it is given.
{
public:
	struct Held
	/// A live contact the leaving member added.
	{
		Poco::Int64 id = 0;
		std::string groupName; /// "" for 未分组
	};

	std::vector<Held> addedBy(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 memberId,
							  const std::optional<std::string>& group, std::size_t limit);
	/// Up to limit live contacts of the org added by member (only those of
	/// group when given), read from the front of ix_ec_contacts_adder. Each
	/// one moved with HolderStore::reassign() leaves that range, so calling
	/// again returns the next ones.

	Poco::Int64 countAddedBy(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 memberId);
	/// How many live contacts of the org member added (an index range).

	std::vector<std::pair<std::string, Poco::Int64>> countByGroup(Poco::Data::Session& session, Poco::Int64 orgId,
																  Poco::Int64 memberId);
	/// How many live contacts of the org member added, per group ("" for
	/// 未分组, last), named groups in the order of ix_ec_contacts_adder.

	std::vector<Poco::Int64> sharedWith(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 memberId,
										std::size_t limit);
	/// Up to limit contacts of the org shared with member, ascending
	/// (ix_ec_contact_shares_member).

	void unshare(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 memberId);
	/// Takes member off the contact's share list.
};

} // namespace ExternalContacts
