#pragma once

#include "domain/ContactSource.h"
#include "domain/SortKey.h"
#include <Poco/Types.h>
#include <cstddef>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct ContactListQuery
/// One keyset page (or one group count) of contacts of an org.
{
	Poco::Int64 orgId = 0;
	Poco::Int64 viewerId = 0;            /// the member whose "mine" is meant
	std::optional<ContactSource> source; /// only contacts from this source
	std::string search;                  /// substring of name, mobile, email or company; "" for all
	std::optional<SortKey> after;        /// start after this key; nothing for the first page
	int groupRank = 0;                   /// Branch::Group: the group read (SortKey::groupRank)
	std::string groupName;               /// Branch::Group: the group read ("" for 未分组)
	std::size_t limit = 50;              /// rows to read at most
};

} // namespace ExternalContacts
