#pragma once

#include <Poco/Types.h>
#include <string>

namespace ExternalContacts
{

struct SortKey
/// A contact's place in every contact list: named groups first, then
/// 未分组; within a group by name, then id. Strings compare by bytes,
/// which for UTF-8 is code point order, as SQLite's BINARY collation and
/// MySQL's utf8mb4_bin do (the validator trims text, so utf8mb4_bin's
/// trailing-space padding never decides an order).
{
	int groupRank = 0;     /// GROUP_NAMED or GROUP_NONE
	std::string groupName; /// the company; "" for 未分组
	std::string name;
	Poco::Int64 id = 0;

	static constexpr int GROUP_NAMED = 0;
	static constexpr int GROUP_NONE = 1;

	static SortKey forContact(const std::string& company, const std::string& name, Poco::Int64 id);
	/// The key of a contact of company ("" when it has none).

	bool operator<(const SortKey& other) const;
	bool operator==(const SortKey& other) const;
};

} // namespace ExternalContacts
