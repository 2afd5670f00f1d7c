#pragma once

#include "domain/SortKey.h"
#include <string>

namespace ExternalContacts
{

class ListCursor
/// The opaque `cursor` of contact lists: the sort key of the last row a
/// page showed, so the next page starts after it (keyset paging, no
/// OFFSET). A cursor is base64url (no padding) of a CRC-32 and a small
/// JSON array [version, groupRank, groupName, name, id]. The checksum
/// catches corrupted or hand-edited cursors; it is not a secret, since a
/// cursor only positions a list within what the caller may see anyway.
{
public:
	static constexpr std::size_t MAX_LENGTH = 2048;

	static std::string encode(const SortKey& key);
	/// The cursor that continues after key.

	static SortKey decode(const std::string& cursor);
	/// The key a cursor made by encode() holds. Throws ValidationError
	/// ("validation_failed", field "cursor") for anything else.
};

} // namespace ExternalContacts
