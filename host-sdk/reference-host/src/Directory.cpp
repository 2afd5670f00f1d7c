#include "Directory.h"

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

namespace RefHost
{

namespace
{

const char* const kUserColumns =
	"u.id, u.login, u.display_name, u.status, u.email, u.mobile, u.title, u.locale, u.password_hash, u.discoverable";

std::string str(const RecordSet& rs, std::size_t col, std::size_t row)
{
	Poco::Dynamic::Var v = rs.value(col, row);
	return v.isEmpty() ? std::string() : v.convert<std::string>();
}

Poco::Int64 i64(const RecordSet& rs, std::size_t col, std::size_t row)
{
	Poco::Dynamic::Var v = rs.value(col, row);
	return v.isEmpty() ? 0 : v.convert<Poco::Int64>();
}

User userAt(const RecordSet& rs, std::size_t row, std::size_t first = 0)
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

Membership membershipAt(const RecordSet& rs, std::size_t row)
{
	Membership m;
	m.orgId = i64(rs, 0, row);
	m.orgName = str(rs, 1, row);
	m.userId = i64(rs, 2, row);
	m.kind = str(rs, 3, row);
	m.isAdmin = i64(rs, 4, row) != 0;
	m.securityLevel = static_cast<int>(i64(rs, 5, row));
	return m;
}

const char* const kMembershipColumns = "m.org_id, o.name, m.user_id, m.kind, m.is_admin, m.security_level";

// A keyset page from rows of kMembershipColumns, kUserColumns fetched with
// LIMIT limit + 1: the extra row only says that there is a next page.
Directory::MemberPage memberPage(const RecordSet& rs, int limit)
{
	Directory::MemberPage page;
	for (std::size_t r = 0; r < rs.rowCount() && static_cast<int>(r) < limit; ++r)
		page.items.emplace_back(membershipAt(rs, r), userAt(rs, r, 6));
	if (static_cast<int>(rs.rowCount()) > limit) page.nextAfterId = page.items.back().first.userId;
	return page;
}

// UTF-8 characters of text (continuation bytes not counted).
std::size_t characters(const std::string& text)
{
	std::size_t n = 0;
	for (unsigned char c : text)
		if ((c & 0xC0) != 0x80) ++n;
	return n;
}

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

Directory::Directory(Database& db) : _db(db) {}

Poco::Int64 Directory::createOrg(const std::string& name)
{
	if (orgByName(name)) throw Poco::ExistsException("organization exists", name);
	return _db.write(
		[&](Poco::Data::Session& s)
		{
			Poco::Int64 at = Secrets::nowMs();
			s << "INSERT INTO orgs (name, default_security_level, created_at) VALUES (?, 0, ?)", useRef(name), use(at),
				now;
			return _db.lastInsertId(s);
		});
}

std::string Directory::normalizeLogin(const std::string& login)
{
	return Poco::toLower(Poco::trim(login));
}

Poco::Int64 Directory::createUser(const std::string& rawLogin, const std::string& displayName,
								  const std::string& password, const std::string& status)
{
	static const Poco::RegularExpression pattern("^[a-z0-9][a-z0-9._@-]{0,63}$");
	const std::string login = normalizeLogin(rawLogin);
	if (!pattern.match(login))
		throw Poco::InvalidArgumentException(
			"a login is 1-64 of a-z, 0-9, '.', '_', '@', '-' and starts with a letter or digit", rawLogin);
	if (displayName.empty() || displayName.size() > 100)
		throw Poco::InvalidArgumentException("a display name has 1-100 bytes");
	if (userByLogin(login)) throw Poco::ExistsException("login exists", login);
	Poco::Nullable<std::string> hash;
	if (!password.empty()) hash = PasswordHasher::hash(password);
	return _db.write(
		[&](Poco::Data::Session& s)
		{
			Poco::Int64 at = Secrets::nowMs();
			s << "INSERT INTO users (login, display_name, password_hash, status, created_at) VALUES (?, ?, ?, ?, ?)",
				useRef(login), useRef(displayName), use(hash), useRef(status), use(at), now;
			return _db.lastInsertId(s);
		});
}

void Directory::addMembership(Poco::Int64 orgId, Poco::Int64 userId, const std::string& kind, bool isAdmin,
							  int securityLevel)
{
	if (kind != "member" && kind != "external") throw Poco::InvalidArgumentException("membership kind", kind);
	int admin = isAdmin ? 1 : 0;
	Poco::Int64 at = Secrets::nowMs();
	_db.write(
		[&](Poco::Data::Session& s)
		{
			s << "INSERT INTO memberships (org_id, user_id, kind, is_admin, security_level, created_at) "
				 "VALUES (?, ?, ?, ?, ?, ?)",
				use(orgId), use(userId), useRef(kind), use(admin), use(securityLevel), use(at), now;
		});
}

bool Directory::removeMembership(Poco::Int64 orgId, Poco::Int64 userId)
{
	return _db.write(
		[&](Poco::Data::Session& s)
		{
			s << "DELETE FROM member_permissions WHERE org_id = ? AND user_id = ?", use(orgId), use(userId), now;
			s << "DELETE FROM sessions WHERE org_id = ? AND user_id = ?", use(orgId), use(userId), now;
			Statement st(s);
			st << "DELETE FROM memberships WHERE org_id = ? AND user_id = ?", use(orgId), use(userId);
			return st.execute() == 1;
		});
}

bool Directory::removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId)
{
	return _db.write(
		[&](Poco::Data::Session& s)
		{
			Statement st(s);
			st << "DELETE FROM memberships WHERE org_id = ? AND user_id = ? AND kind = 'external'", use(orgId),
				use(userId);
			if (st.execute() != 1) return false;
			s << "DELETE FROM member_permissions WHERE org_id = ? AND user_id = ?", use(orgId), use(userId), now;
			s << "DELETE FROM sessions WHERE org_id = ? AND user_id = ?", use(orgId), use(userId), now;
			return true;
		});
}

void Directory::grantPermission(Poco::Int64 orgId, Poco::Int64 userId, const std::string& permission)
{
	_db.write(
		[&](Poco::Data::Session& s)
		{
			int exists = 0;
			s << "SELECT COUNT(*) FROM member_permissions WHERE org_id = ? AND user_id = ? AND permission = ?",
				use(orgId), use(userId), useRef(permission), into(exists), now;
			if (exists == 0)
				s << "INSERT INTO member_permissions (org_id, user_id, permission) VALUES (?, ?, ?)", use(orgId),
					use(userId), useRef(permission), now;
		});
}

bool Directory::revokePermission(Poco::Int64 orgId, Poco::Int64 userId, const std::string& permission)
{
	return _db.write(
		[&](Poco::Data::Session& s)
		{
			Statement st(s);
			st << "DELETE FROM member_permissions WHERE org_id = ? AND user_id = ? AND permission = ?", use(orgId),
				use(userId), useRef(permission);
			return st.execute() == 1;
		});
}

const std::vector<std::string>& Directory::grantablePermissions()
{
	static const std::vector<std::string> names{"external_contacts.maintain"};
	return names;
}

std::set<Poco::Int64> Directory::holdersAmong(Poco::Int64 orgId, const std::string& permission,
											  const std::vector<Poco::Int64>& userIds)
{
	std::set<Poco::Int64> holders;
	if (userIds.empty()) return holders;
	if (userIds.size() > 1000) throw Poco::InvalidArgumentException("at most 1000 ids per batch");
	// Ids are integers, so they can be written into the statement safely.
	std::ostringstream in;
	for (std::size_t i = 0; i < userIds.size(); ++i)
		in << (i ? "," : "") << userIds[i];
	std::vector<Poco::Int64> found;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT user_id FROM member_permissions WHERE org_id = ? AND permission = ? AND user_id IN (" << in.str()
	   << ")",
		use(orgId), useRef(permission), into(found), now;
	holders.insert(found.begin(), found.end());
	return holders;
}

std::optional<User> Directory::userByLogin(const std::string& rawLogin)
{
	const std::string login = normalizeLogin(rawLogin);
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kUserColumns << " FROM users u WHERE u.login = ?", useRef(login), now;
	RecordSet rs(st);
	if (rs.rowCount() == 0) return std::nullopt;
	return userAt(rs, 0);
}

std::optional<User> Directory::userById(Poco::Int64 id)
{
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kUserColumns << " FROM users u WHERE u.id = ?", use(id), now;
	RecordSet rs(st);
	if (rs.rowCount() == 0) return std::nullopt;
	return userAt(rs, 0);
}

std::vector<User> Directory::usersByIds(const std::vector<Poco::Int64>& ids)
{
	std::vector<User> result;
	if (ids.empty()) return result;
	if (ids.size() > 1000) throw Poco::InvalidArgumentException("at most 1000 ids per batch");
	// Ids are integers, so they can be written into the statement safely.
	std::ostringstream in;
	for (std::size_t i = 0; i < ids.size(); ++i)
		in << (i ? "," : "") << ids[i];
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kUserColumns << " FROM users u WHERE u.id IN (" << in.str() << ") ORDER BY u.id", now;
	RecordSet rs(st);
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
		result.push_back(userAt(rs, r));
	return result;
}

template <typename T> std::optional<Org> Directory::orgWhere(const char* column, const T& value)
{
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT id, name, default_security_level FROM orgs WHERE " << column << " = ?", useRef(value), now;
	RecordSet rs(st);
	if (rs.rowCount() == 0) return std::nullopt;
	return Org{i64(rs, 0, 0), str(rs, 1, 0), static_cast<int>(i64(rs, 2, 0))};
}

std::optional<Org> Directory::orgById(Poco::Int64 id)
{
	return orgWhere("id", id);
}

std::optional<Org> Directory::orgByName(const std::string& name)
{
	return orgWhere("name", name);
}

std::vector<Membership> Directory::membershipsOfUser(Poco::Int64 userId)
{
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kMembershipColumns
	   << " FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY m.kind, o.name, m.org_id",
		use(userId), now;
	RecordSet rs(st);
	std::vector<Membership> result;
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
		result.push_back(membershipAt(rs, r));
	return result;
}

std::optional<Membership> Directory::membership(Poco::Int64 orgId, Poco::Int64 userId)
{
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kMembershipColumns
	   << " FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.org_id = ? AND m.user_id = ?",
		use(orgId), use(userId), now;
	RecordSet rs(st);
	if (rs.rowCount() == 0) return std::nullopt;
	return membershipAt(rs, 0);
}

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

std::vector<std::string> Directory::findMembersPlanForTest(Poco::Int64 orgId, const std::string& query, int limit)
{
	FindStatement f = findStatement(Poco::trim(query));
	bool mysql = _db.dialect() == Database::Dialect::MySQL;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << (mysql ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") << f.sql, use(orgId), useRef(f.key), use(limit), now;
	RecordSet rs(st);
	std::vector<std::string> lines;
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
	{
		if (!mysql)
		{
			lines.push_back(rs.value("detail", r).convert<std::string>());
			continue;
		}
		std::string line;
		for (const char* column : {"table", "type", "key", "Extra"})
		{
			Poco::Dynamic::Var v = rs.value(column, r);
			line +=
				std::string(line.empty() ? "" : " ") + column + "=" + (v.isEmpty() ? "NULL" : v.convert<std::string>());
		}
		lines.push_back(line);
	}
	return lines;
}

bool Directory::hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission)
{
	std::optional<Membership> m = membership(orgId, userId);
	if (!m || m->kind != "member") return false;
	if (m->isAdmin) return true;
	Poco::Data::Session s = _db.session();
	int count = 0;
	s << "SELECT COUNT(*) FROM member_permissions WHERE org_id = ? AND user_id = ? AND permission = ?", use(orgId),
		use(userId), useRef(permission), into(count), now;
	return count > 0;
}

std::vector<std::string> Directory::permissionsOf(Poco::Int64 userId, Poco::Int64 orgId)
{
	std::vector<std::string> perms;
	Poco::Data::Session s = _db.session();
	s << "SELECT permission FROM member_permissions WHERE org_id = ? AND user_id = ? ORDER BY permission", use(orgId),
		use(userId), into(perms), now;
	return perms;
}

void Directory::setDefaultSecurityLevel(Poco::Int64 orgId, int level)
{
	if (level < -999 || level > 0) throw Poco::InvalidArgumentException("defaultSecurityLevel must be -999..0");
	_db.write([&](Poco::Data::Session& s)
			  { s << "UPDATE orgs SET default_security_level = ? WHERE id = ?", use(level), use(orgId), now; });
}

void Directory::setUserStatus(Poco::Int64 userId, const std::string& status)
{
	_db.write([&](Poco::Data::Session& s)
			  { s << "UPDATE users SET status = ? WHERE id = ?", useRef(status), use(userId), now; });
}

void Directory::setPassword(Poco::Int64 userId, const std::string& password)
{
	std::string hash = PasswordHasher::hash(password);
	_db.write([&](Poco::Data::Session& s)
			  { s << "UPDATE users SET password_hash = ? WHERE id = ?", useRef(hash), use(userId), now; });
}

} // namespace RefHost
