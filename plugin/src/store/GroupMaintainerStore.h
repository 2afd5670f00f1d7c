#pragma once

#include "domain/GroupMaintainers.h"
#include "store/Database.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class GroupMaintainerStore
/// ec_group_maintainers: who maintains which group of an org's contacts.
/// A group is named as ec_contacts.group_name names it ("" for 未分组).
/// Every method works in the session it is given.
{
public:
	std::vector<Poco::Int64> maintainers(Poco::Data::Session& session, Poco::Int64 orgId, const std::string& group);
	/// The members maintaining group, ascending.

	void replace(Poco::Data::Session& session, Poco::Int64 orgId, const std::string& group,
				 const std::vector<Poco::Int64>& memberIds);
	/// Makes memberIds the maintainers of group (none: the group has none).

	std::vector<std::string> groupsOf(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 memberId);
	/// The groups member maintains, in byte order ("" first when among them).

	bool maintains(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 memberId, const std::string& group);

	std::vector<GroupMaintainers> page(Poco::Data::Session& session, Poco::Int64 orgId,
									   const std::optional<std::string>& after, std::size_t limit);
	/// Up to limit groups that have maintainers, in byte order of their
	/// names ("" first), starting after the group named after; each with
	/// its maintainers ascending.
};

} // namespace ExternalContacts
