#include "domain/SortKey.h"

#include <tuple>

namespace ExternalContacts
{

SortKey SortKey::forContact(const std::string& company, const std::string& name, Poco::Int64 id)
{
	SortKey key;
	key.groupRank = company.empty() ? GROUP_NONE : GROUP_NAMED;
	key.groupName = company;
	key.name = name;
	key.id = id;
	return key;
}

bool SortKey::operator<(const SortKey& other) const
{
	// std::string compares with char_traits<char>::compare, i.e. memcmp: unsigned bytes.
	return std::tie(groupRank, groupName, name, id) < std::tie(other.groupRank, other.groupName, other.name, other.id);
}

bool SortKey::operator==(const SortKey& other) const
{
	return groupRank == other.groupRank && groupName == other.groupName && name == other.name && id == other.id;
}

} // namespace ExternalContacts
