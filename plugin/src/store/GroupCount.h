#pragma once

#include <Poco/Types.h>
#include <string>

namespace ExternalContacts
{

struct GroupCount
/// How many contacts one group of a list holds.
{
	int groupRank = 0;     /// SortKey::GROUP_NAMED or SortKey::GROUP_NONE
	std::string groupName; /// "" for 未分组
	Poco::Int64 count = 0;
};

} // namespace ExternalContacts
