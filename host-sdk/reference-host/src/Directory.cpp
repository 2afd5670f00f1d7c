#include "Directory.h"

#include "DirectoryRows.h"
#include "PasswordHasher.h"
#include "Secrets.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace RefHost
{

using namespace DirectoryRows;

namespace
{

// "1,2,3": ids are integers, so they can be written into the statement safely.
std::string inlineIds(const std::vector<Poco::Int64>& ids)
{
	std::string text;
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		if (i) text += ',';
		text += std::to_string(ids[i]);
	}
	return text;
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
	std::vector<Poco::Int64> found;
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT user_id FROM member_permissions WHERE org_id = ? AND permission = ? AND user_id IN ("
	   << inlineIds(userIds) << ")",
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
	Poco::Data::Session s = _db.session();
	Statement st(s);
	st << "SELECT " << kUserColumns << " FROM users u WHERE u.id IN (" << inlineIds(ids) << ") ORDER BY u.id", now;
	RecordSet rs(st);
	for (std::size_t r = 0; r < rs.rowCount(); ++r)
		result.push_back(userAt(rs, r));
	return result;
}

std::vector<std::pair<Poco::Int64, std::string>> Directory::displayNamesByIds(const std::vector<Poco::Int64>& ids)
{
	std::vector<std::pair<Poco::Int64, std::string>> result;
	if (ids.empty()) return result;
	if (ids.size() > 1000) throw Poco::InvalidArgumentException("at most 1000 ids per batch");
	Poco::Data::Session s = _db.session();
	auto add = [&](const Database::Row& row) { result.emplace_back(row.integer(0), row.text(1)); };
	// Every list page asks: the statement is one query() keeps prepared (a
	// sqlite3_stmt, a server-side MYSQL_STMT). Its IN list has a
	// power-of-two length (the last id repeated), so that a connection keeps
	// at most 11 forms of it, not one per count — with the ids in the text,
	// every page of a large org was a statement of its own on MariaDB:
	// prepared, run once and closed when the cache made room.
	static const std::vector<std::string> forms = []
	{
		std::vector<std::string> all;
		for (std::size_t n = 1; n <= 1024; n *= 2)
		{
			std::string marks;
			for (std::size_t i = 0; i < n; ++i)
				marks += i ? ", ?" : "?";
			all.push_back("SELECT id, display_name FROM users WHERE id IN (" + marks + ") ORDER BY id");
		}
		return all;
	}();
	std::size_t form = 0;
	while ((std::size_t(1) << form) < ids.size())
		++form;
	const std::size_t slots = std::size_t(1) << form;
	std::vector<Database::Param> params;
	params.reserve(slots);
	for (std::size_t i = 0; i < slots; ++i)
		params.push_back(Database::Param::integer(ids[std::min(i, ids.size() - 1)]));
	_db.query(s, forms[form], params, add);
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

bool Directory::hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission)
{
	// One statement (asked on many plugin requests): a member (not an
	// external user) who is an admin or holds the permission.
	Poco::Data::Session s = _db.session();
	int holds = 0;
	s << "SELECT COUNT(*) FROM memberships m WHERE m.org_id = ? AND m.user_id = ? AND m.kind = 'member'"
		 " AND (m.is_admin <> 0 OR EXISTS (SELECT 1 FROM member_permissions p"
		 " WHERE p.org_id = m.org_id AND p.user_id = m.user_id AND p.permission = ?))",
		use(orgId), use(userId), useRef(permission), into(holds), now;
	return holds > 0;
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
