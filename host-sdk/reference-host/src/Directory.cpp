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

namespace RefHost {

namespace {

const char* const kUserColumns =
	"u.id, u.login, u.display_name, u.status, u.email, u.mobile, u.title, u.locale, u.password_hash";

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

} // namespace

Directory::Directory(Database& db): _db(db)
{
}

Poco::Int64 Directory::createOrg(const std::string& name)
{
	if (orgByName(name)) throw Poco::ExistsException("organization exists", name);
	return _db.write([&](Poco::Data::Session& s) {
		Poco::Int64 at = Secrets::nowMs();
		s << "INSERT INTO orgs (name, default_security_level, created_at) VALUES (?, 0, ?)", useRef(name), use(at), now;
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
		throw Poco::InvalidArgumentException("a login is 1-64 of a-z, 0-9, '.', '_', '@', '-' and starts with a letter or digit", rawLogin);
	if (displayName.empty() || displayName.size() > 100)
		throw Poco::InvalidArgumentException("a display name has 1-100 bytes");
	if (userByLogin(login)) throw Poco::ExistsException("login exists", login);
	Poco::Nullable<std::string> hash;
	if (!password.empty()) hash = PasswordHasher::hash(password);
	return _db.write([&](Poco::Data::Session& s) {
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
	_db.write([&](Poco::Data::Session& s) {
		s << "INSERT INTO memberships (org_id, user_id, kind, is_admin, security_level, created_at) "
			 "VALUES (?, ?, ?, ?, ?, ?)",
			use(orgId), use(userId), useRef(kind), use(admin), use(securityLevel), use(at), now;
	});
}

bool Directory::removeMembership(Poco::Int64 orgId, Poco::Int64 userId)
{
	return _db.write([&](Poco::Data::Session& s) {
		s << "DELETE FROM member_permissions WHERE org_id = ? AND user_id = ?", use(orgId), use(userId), now;
		s << "DELETE FROM sessions WHERE org_id = ? AND user_id = ?", use(orgId), use(userId), now;
		Statement st(s);
		st << "DELETE FROM memberships WHERE org_id = ? AND user_id = ?", use(orgId), use(userId);
		return st.execute() == 1;
	});
}

void Directory::grantPermission(Poco::Int64 orgId, Poco::Int64 userId, const std::string& permission)
{
	_db.write([&](Poco::Data::Session& s) {
		int exists = 0;
		s << "SELECT COUNT(*) FROM member_permissions WHERE org_id = ? AND user_id = ? AND permission = ?", use(orgId),
			use(userId), useRef(permission), into(exists), now;
		if (exists == 0)
			s << "INSERT INTO member_permissions (org_id, user_id, permission) VALUES (?, ?, ?)", use(orgId),
				use(userId), useRef(permission), now;
	});
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
	for (std::size_t i = 0; i < ids.size(); ++i) in << (i ? "," : "") << ids[i];
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kUserColumns << " FROM users u WHERE u.id IN (" << in.str() << ") ORDER BY u.id", now;
	RecordSet rs(st);
	for (std::size_t r = 0; r < rs.rowCount(); ++r) result.push_back(userAt(rs, r));
	return result;
}

template <typename T>
std::optional<Org> Directory::orgWhere(const char* column, const T& value)
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
	for (std::size_t r = 0; r < rs.rowCount(); ++r) result.push_back(membershipAt(rs, r));
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
	_db.write([&](Poco::Data::Session& s) {
		s << "UPDATE orgs SET default_security_level = ? WHERE id = ?", use(level), use(orgId), now;
	});
}

void Directory::setUserStatus(Poco::Int64 userId, const std::string& status)
{
	_db.write([&](Poco::Data::Session& s) {
		s << "UPDATE users SET status = ? WHERE id = ?", useRef(status), use(userId), now;
	});
}

void Directory::setPassword(Poco::Int64 userId, const std::string& password)
{
	std::string hash = PasswordHasher::hash(password);
	_db.write([&](Poco::Data::Session& s) {
		s << "UPDATE users SET password_hash = ? WHERE id = ?", useRef(hash), use(userId), now;
	});
}

} // namespace RefHost
