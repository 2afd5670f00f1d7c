#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct GroupList
/// The groups of a contact list with their counts, named groups first
/// (by name), 未分组 last.
{
	struct Group
	{
		std::optional<std::string> name; /// nothing for 未分组
		Poco::Int64 count = 0;
	};

	std::vector<Group> items;
	Poco::Int64 total = 0;
};

} // namespace ExternalContacts
