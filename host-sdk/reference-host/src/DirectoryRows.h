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
	Poco::Dynamic::Var v = rs.value(col, row);
	return v.isEmpty() ? std::string() : v.convert<std::string>();
}

inline Poco::Int64 i64(const RecordSet& rs, std::size_t col, std::size_t row)
{
	Poco::Dynamic::Var v = rs.value(col, row);
	return v.isEmpty() ? 0 : v.convert<Poco::Int64>();
}

inline User userAt(const RecordSet& rs, std::size_t row, std::size_t first = 0)
{
	User u;
	u.id = i64(rs, first + 0, row);
	u.login = str(rs, first + 1, row);
	u.displayName = str(rs, first + 2, row);
	u.status = str(rs, first + 3, row);
	u.email = str(rs, first + 4, row);
	u.mobile = str(rs, first + 5, row);
	u.title = str(rs, first + 6, row);
	u.locale = str(rs, first + 7, row);
	u.passwordHash = str(rs, first + 8, row);
	u.discoverable = i64(rs, first + 9, row) != 0;
	return u;
}

inline Membership membershipAt(const RecordSet& rs, std::size_t row, std::size_t first = 0)
{
	Membership m;
	m.orgId = i64(rs, first + 0, row);
	m.orgName = str(rs, first + 1, row);
	m.userId = i64(rs, first + 2, row);
	m.kind = str(rs, first + 3, row);
	m.isAdmin = i64(rs, first + 4, row) != 0;
	m.securityLevel = static_cast<int>(i64(rs, first + 5, row));
	return m;
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
