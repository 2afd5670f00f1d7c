#pragma once

#include <Poco/Types.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct GroupMaintainers
/// The maintainers of one group of an org's contacts (the "dimension" of
/// R3.2): the contacts listed under one company, or under 未分组.
{
	std::string group;                    /// the company; "" for 未分组 (SortKey::groupName)
	std::vector<Poco::Int64> maintainers; /// member ids, ascending
};

} // namespace ExternalContacts
