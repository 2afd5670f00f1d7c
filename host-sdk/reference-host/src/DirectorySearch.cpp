#include "Directory.h"

#include "DirectoryRows.h"
#include "PasswordHasher.h"
#include "Secrets.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>
#include <sstream>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

// The Directory's reads of many members: pages of an org, searches by
// name, login or address, and the cross-org lookup plugins use (findMembers).

namespace RefHost
{

using namespace DirectoryRows;

namespace
{

// The query as a mobile number (spaces and dashes dropped), or "" when it
// is not one: an optional + and 6..20 digits, as PersonalSettings binds them.
std::string asMobile(const std::string& query)
{
	std::string number;
	for (char c : query)
		if (c != ' ' && c != '-') number += c;
	std::size_t digits = number.size() - ((!number.empty() && number[0] == '+') ? 1 : 0);
	if (digits < 6 || digits > 20) return "";
	if (number.find_first_not_of("0123456789", number.size() - digits) != std::string::npos) return "";
	return number;
}

} // namespace

Directory::MemberPage Directory::membersOfOrg(Poco::Int64 orgId, Poco::Int64 afterUserId, int limit)
{
	if (limit < 1 || limit > 100) throw Poco::InvalidArgumentException("limit must be 1..100");
	int fetch = limit + 1;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kMembershipColumns << ", " << kUserColumns
	   << " FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.user_id"
		  " WHERE m.org_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?",
		use(orgId), use(afterUserId), use(fetch), now;
	return memberPage(RecordSet(st), limit);
}

Directory::MemberPage Directory::membersByNamePrefix(Poco::Int64 orgId, const std::string& prefix,
													 Poco::Int64 afterUserId, int limit)
{
	if (limit < 1 || limit > 100) throw Poco::InvalidArgumentException("limit must be 1..100");
	std::string q = Poco::trim(prefix);
	std::size_t chars = characters(q);
	if (chars < 1 || chars > 64) throw Poco::InvalidArgumentException("q must be 1..64 characters");
	std::string pattern;
	for (char c : q)
	{
		if (c == '%' || c == '_' || c == '!') pattern += '!';
		pattern += c;
	}
	pattern += '%';
	// The order of users_display_name (NOCASE on SQLite, the column's
	// case-insensitive collation on MySQL; the id breaks ties), so that the
	// index serves the range, the order and the keyset at once.
	bool mysql = _db.dialect() == Database::Dialect::MySQL;
	std::string name = mysql ? "u.display_name" : "u.display_name COLLATE NOCASE";
	std::string afterName;
	if (afterUserId > 0)
	{
		std::optional<User> last = userById(afterUserId);
		if (!last) throw Poco::NotFoundException("cursor");
		afterName = last->displayName;
	}
	int fetch = limit + 1;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kMembershipColumns << ", " << kUserColumns << " FROM users u "
	   << (mysql ? "STRAIGHT_JOIN" : "CROSS JOIN")
	   << " memberships m ON m.org_id = ? AND m.user_id = u.id JOIN orgs o ON o.id = m.org_id"
		  " WHERE u.display_name LIKE ? ESCAPE '!'";
	if (afterUserId > 0)
	{
		st << " AND (" << name << " > ? OR (" << name << " = ? AND u.id > ?))";
		st << " ORDER BY " << name << ", u.id LIMIT ?", use(orgId), useRef(pattern), useRef(afterName),
			useRef(afterName), use(afterUserId), use(fetch), now;
	}
	else
	{
		st << " ORDER BY " << name << ", u.id LIMIT ?", use(orgId), useRef(pattern), use(fetch), now;
	}
	return memberPage(RecordSet(st), limit);
}

Directory::MemberPage Directory::holdersOfPermission(Poco::Int64 orgId, const std::string& permission,
													 bool includeAdmins, Poco::Int64 afterUserId, int limit)
{
	if (limit < 1 || limit > 100) throw Poco::InvalidArgumentException("limit must be 1..100");
	int fetch = limit + 1;
	int admins = includeAdmins ? 1 : 0;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kMembershipColumns << ", " << kUserColumns
	   << " FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.user_id"
		  " WHERE m.org_id = ? AND m.user_id > ? AND m.kind = 'member' AND ((? = 1 AND m.is_admin = 1) OR EXISTS"
		  " (SELECT 1 FROM member_permissions p WHERE p.org_id = m.org_id AND p.user_id = m.user_id"
		  " AND p.permission = ?)) ORDER BY m.user_id LIMIT ?",
		use(orgId), use(afterUserId), use(admins), useRef(permission), use(fetch), now;
	return memberPage(RecordSet(st), limit);
}

Directory::MemberPage Directory::searchMembers(Poco::Int64 orgId, const std::string& query, Poco::Int64 afterUserId,
											   int limit)
{
	if (limit < 1 || limit > 100) throw Poco::InvalidArgumentException("limit must be 1..100");
	std::string q = Poco::trim(query);
	std::size_t chars = 0;
	for (unsigned char c : q)
		if ((c & 0xC0) != 0x80) ++chars;
	if (chars < 1 || chars > 64) throw Poco::InvalidArgumentException("q must be 1..64 characters");
	// LIKE wildcards in the query are matched literally.
	std::string pattern = "%";
	for (char c : Poco::toLower(q))
	{
		if (c == '%' || c == '_' || c == '!') pattern += '!';
		pattern += c;
	}
	pattern += '%';
	int fetch = limit + 1;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kMembershipColumns << ", " << kUserColumns
	   << " FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.user_id"
		  " WHERE m.org_id = ? AND m.user_id > ? AND m.kind = 'member' AND u.status = 'active'"
		  " AND (LOWER(u.display_name) LIKE ? ESCAPE '!' OR u.login LIKE ? ESCAPE '!')"
		  " ORDER BY m.user_id LIMIT ?",
		use(orgId), use(afterUserId), useRef(pattern), useRef(pattern), use(fetch), now;
	return memberPage(RecordSet(st), limit);
}

std::string Directory::emailKey(const std::string& email)
{
	std::string key = email;
	for (char& c : key)
		if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
	return key;
}

std::string Directory::maskMobile(const std::string& mobile)
{
	if (mobile.empty()) return "";
	std::string plus = mobile[0] == '+' ? "+" : "";
	std::string digits = mobile.substr(plus.size());
	if (digits.size() >= 11) return plus + digits.substr(0, 3) + "****" + digits.substr(digits.size() - 4);
	if (digits.size() < 2) return plus + "****";
	return plus + digits.substr(0, 1) + "****" + digits.substr(digits.size() - 1);
}

std::string Directory::maskEmail(const std::string& email)
{
	std::size_t at = email.rfind('@');
	if (email.empty() || at == std::string::npos || at == 0) return email.empty() ? "" : "***";
	// The first character, whole: a UTF-8 lead byte and its continuation bytes.
	std::size_t first = 1;
	while (first < at && (static_cast<unsigned char>(email[first]) & 0xC0) == 0x80)
		++first;
	return email.substr(0, first) + "***" + email.substr(at);
}

Directory::FindStatement Directory::findStatement(const std::string& q) const
{
	// The users index drives the search (the org may have 100,000 members,
	// the match only a few), each candidate's membership is one primary-key
	// probe: CROSS JOIN (SQLite) and STRAIGHT_JOIN (MySQL) keep that order.
	bool mysql = _db.dialect() == Database::Dialect::MySQL;
	FindStatement f;
	std::string match;
	std::string mobile = asMobile(q);
	if (q.find('@') != std::string::npos)
	{
		match = "u.email_key = ?";
		f.key = emailKey(q);
	}
	else if (!mobile.empty())
	{
		match = "u.mobile = ?";
		f.key = mobile;
	}
	else
	{
		match = "u.display_name LIKE ? ESCAPE '!'";
		for (char c : q)
		{
			if (c == '%' || c == '_' || c == '!') f.key += '!';
			f.key += c;
		}
		f.key += '%';
	}
	f.sql = std::string("SELECT u.id, u.display_name, u.title, u.mobile, u.email FROM users u ") +
			(mysql ? "STRAIGHT_JOIN" : "CROSS JOIN") + " memberships m ON m.org_id = ? AND m.user_id = u.id WHERE " +
			match + " AND u.status = 'active' AND u.discoverable = 1 AND m.kind = 'member' ORDER BY " +
			(mysql ? "u.display_name" : "u.display_name COLLATE NOCASE") + ", u.id LIMIT ?";
	return f;
}

Directory::FindResult Directory::findMembers(const std::string& orgName, const std::string& query, int limit)
{
	std::string name = Poco::trim(orgName);
	if (name.empty() || characters(name) > 100)
		throw Poco::InvalidArgumentException("orgName must be 1..100 characters");
	std::string q = Poco::trim(query);
	if (q.empty() || characters(q) > 64) throw Poco::InvalidArgumentException("q must be 1..64 characters");
	if (limit < 1 || limit > 20) throw Poco::InvalidArgumentException("limit must be 1..20");
	FindResult result;
	result.org = orgByName(name);
	// MySQL compares names case- and accent-insensitively: exact means byte for byte.
	if (result.org && result.org->name != name) result.org.reset();
	if (!result.org) return result;
	FindStatement f = findStatement(q);
	Poco::Int64 orgId = result.org->id;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << f.sql, use(orgId), useRef(f.key), use(limit), now;
	RecordSet rs(st);
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
		result.items.push_back(
			{i64(rs, 0, r), str(rs, 1, r), str(rs, 2, r), maskMobile(str(rs, 3, r)), maskEmail(str(rs, 4, r))});
	return result;
}

} // namespace RefHost
