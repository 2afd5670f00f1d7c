#pragma once
// Row readers and column lists the Directory's files share (Directory.cpp,
// DirectorySearch.cpp) and SessionManager::signedIn, which reads a
// session with its user and membership in one statement; not part of the
// Directory's interface.

#include "Directory.h"
#include <Poco/Data/RecordSet.h>

namespace RefHost
{

namespace DirectoryRows
{

using Poco::Data::RecordSet;

inline const char* const kUserColumns =
	"u.id, u.login, u.display_name, u.status, u.email, u.mobile, u.title, u.locale, u.password_hash, u.discoverable";

inline std::string str(const RecordSet& rs, std::size_t col, std::size_t row)
{
	return Database::RecordSetRow(rs, row).text(col);
}

inline Poco::Int64 i64(const RecordSet& rs, std::size_t col, std::size_t row)
{
	return Database::RecordSetRow(rs, row).integer(col);
}

// kUserColumns from column `first` of a row.
inline User userAt(const Database::Row& row, std::size_t first = 0)
{
	User u;
	u.id = row.integer(first + 0);
	u.login = row.text(first + 1);
	u.displayName = row.text(first + 2);
	u.status = row.text(first + 3);
	u.email = row.text(first + 4);
	u.mobile = row.text(first + 5);
	u.title = row.text(first + 6);
	u.locale = row.text(first + 7);
	u.passwordHash = row.text(first + 8);
	u.discoverable = row.integer(first + 9) != 0;
	return u;
}

inline User userAt(const RecordSet& rs, std::size_t row, std::size_t first = 0)
{
	return userAt(Database::RecordSetRow(rs, row), first);
}

// kMembershipColumns from column `first` of a row.
inline Membership membershipAt(const Database::Row& row, std::size_t first = 0)
{
	Membership m;
	m.orgId = row.integer(first + 0);
	m.orgName = row.text(first + 1);
	m.userId = row.integer(first + 2);
	m.kind = row.text(first + 3);
	m.isAdmin = row.integer(first + 4) != 0;
	m.securityLevel = static_cast<int>(row.integer(first + 5));
	return m;
}

inline Membership membershipAt(const RecordSet& rs, std::size_t row, std::size_t first = 0)
{
	return membershipAt(Database::RecordSetRow(rs, row), first);
}

inline const char* const kMembershipColumns = "m.org_id, o.name, m.user_id, m.kind, m.is_admin, m.security_level";

// A keyset page from rows of kMembershipColumns, kUserColumns fetched with
// LIMIT limit + 1: the extra row only says that there is a next page.
inline Directory::MemberPage memberPage(const RecordSet& rs, int limit)
{
	Directory::MemberPage page;
	for (std::size_t r = 0; r < rs.rowCount() && static_cast<int>(r) < limit; ++r)
		page.items.emplace_back(membershipAt(rs, r), userAt(rs, r, 6));
	if (static_cast<int>(rs.rowCount()) > limit) page.nextAfterId = page.items.back().first.userId;
	return page;
}

// UTF-8 characters of text (continuation bytes not counted).
inline std::size_t characters(const std::string& text)
{
	std::size_t n = 0;
	for (unsigned char c : text)
		if ((c & 0xC0) != 0x80) ++n;
	return n;
}

} // namespace DirectoryRows

} // namespace RefHost
