#include "SessionManager.h"

#include "PasswordHasher.h"
#include "Secrets.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/String.h>

using namespace Poco::Data::Keywords;

namespace RefHost {

SessionManager::SessionManager(Database& db, Directory& directory, const Settings& settings):
	_db(db),
	_directory(directory),
	_settings(settings)
{
}

int SessionManager::reserveAttempt(const std::string& key, int maxFailures, Poco::Int64 at)
{
	Poco::Int64 windowMs = static_cast<Poco::Int64>(_settings.failureWindowSeconds) * 1000;
	Poco::Int64 expired = at - windowMs;
	Poco::Data::Session s = _db.session();
	// Each statement is atomic on its own; together they never let two
	// concurrent attempts take the same last slot.
	std::string insert = _db.dialect() == Database::Dialect::SQLite
		? "INSERT OR IGNORE INTO login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 0)"
		: "INSERT IGNORE INTO login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 0)";
	s << insert, useRef(key), use(at), now;
	s << "UPDATE login_throttle SET window_start = ?, failures = 0 WHERE throttle_key = ? AND window_start <= ?", use(at),
		useRef(key), use(expired), now;
	Poco::Data::Statement reserve(s);
	reserve << "UPDATE login_throttle SET failures = failures + 1 WHERE throttle_key = ? AND failures < ?", useRef(key),
		use(maxFailures);
	if (reserve.execute() == 1) return 0;
	Poco::Int64 windowStart = at;
	s << "SELECT window_start FROM login_throttle WHERE throttle_key = ?", useRef(key), into(windowStart), now;
	return static_cast<int>(std::max<Poco::Int64>(windowStart + windowMs - at, 0) / 1000) + 1;
}

void SessionManager::releaseAttempt(const std::string& key)
{
	Poco::Data::Session s = _db.session();
	s << "UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0", useRef(key), now;
}

void SessionManager::resetAttempts(const std::string& key)
{
	Poco::Data::Session s = _db.session();
	s << "DELETE FROM login_throttle WHERE throttle_key = ?", useRef(key), now;
}

std::optional<SessionManager::LoginResult> SessionManager::login(const std::string& login,
	const std::string& password, const std::string& remoteAddr)
{
	Poco::Int64 nowMs = Secrets::nowMs();
	std::string name = Directory::normalizeLogin(login);
	std::string loginKey = "login:" + name;
	std::string addrKey = "addr:" + remoteAddr;
	int wait = reserveAttempt(loginKey, _settings.maxFailuresPerLogin, nowMs);
	if (wait > 0) throw LoginThrottledException(wait);
	wait = reserveAttempt(addrKey, _settings.maxFailuresPerAddress, nowMs);
	if (wait > 0)
	{
		releaseAttempt(loginKey);
		throw LoginThrottledException(wait);
	}
	std::optional<User> user = _directory.userByLogin(name);
	bool ok = false;
	if (user)
		ok = PasswordHasher::verify(user->passwordHash, password);
	else
		PasswordHasher::burn(password);
	std::vector<Membership> memberships;
	if (ok && user->status == "active") memberships = _directory.membershipsOfUser(user->id);
	if (!ok || user->status != "active" || memberships.empty()) return std::nullopt; // the attempts stay counted
	resetAttempts(loginKey);
	releaseAttempt(addrKey);
	// membershipsOfUser lists 'member' before 'external': start in a home org.
	LoginResult result;
	result.token = Secrets::randomHex(32);
	SessionInfo& si = result.session;
	si.idHash = Secrets::sha256Hex(result.token);
	si.userId = user->id;
	si.orgId = memberships.front().orgId;
	si.csrfToken = Secrets::randomHex(32);
	si.createdAt = nowMs;
	si.lastSeenAt = nowMs;
	si.expiresAt = nowMs + static_cast<Poco::Int64>(_settings.absoluteSeconds) * 1000;
	std::string addr = remoteAddr.substr(0, 64);
	_db.write([&](Poco::Data::Session& s) {
		s << "INSERT INTO sessions (id_hash, user_id, org_id, csrf_token, created_at, last_seen_at, expires_at, "
			 "remote_addr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			useRef(si.idHash), use(si.userId), use(si.orgId), useRef(si.csrfToken), use(si.createdAt),
			use(si.lastSeenAt), use(si.expiresAt), useRef(addr), now;
	});
	return result;
}

std::optional<SessionInfo> SessionManager::authenticate(const std::string& token)
{
	if (token.size() != 64) return std::nullopt;
	std::string idHash = Secrets::sha256Hex(token);
	Poco::Data::Session s = _db.session();
	Poco::Data::Statement st(s);
	st << "SELECT s.user_id, s.org_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.status, m.kind "
		  "FROM sessions s JOIN users u ON u.id = s.user_id "
		  "LEFT JOIN memberships m ON m.org_id = s.org_id AND m.user_id = s.user_id WHERE s.id_hash = ?",
		useRef(idHash), now;
	Poco::Data::RecordSet rs(st);
	if (rs.rowCount() == 0) return std::nullopt;
	SessionInfo si;
	si.idHash = idHash;
	si.userId = rs.value(0, 0).convert<Poco::Int64>();
	si.orgId = rs.value(1, 0).convert<Poco::Int64>();
	si.csrfToken = rs.value(2, 0).convert<std::string>();
	si.createdAt = rs.value(3, 0).convert<Poco::Int64>();
	si.lastSeenAt = rs.value(4, 0).convert<Poco::Int64>();
	si.expiresAt = rs.value(5, 0).convert<Poco::Int64>();
	std::string status = rs.value(6, 0).convert<std::string>();
	bool stillMember = !rs.value(7, 0).isEmpty();
	Poco::Int64 nowMs = Secrets::nowMs();
	Poco::Int64 idleMs = static_cast<Poco::Int64>(_settings.idleSeconds) * 1000;
	if (nowMs >= si.expiresAt || nowMs - si.lastSeenAt >= idleMs || status != "active" || !stillMember)
	{
		s << "DELETE FROM sessions WHERE id_hash = ?", useRef(idHash), now;
		return std::nullopt;
	}
	// Touch at most every tenth of the idle timeout to keep reads cheap.
	if (nowMs - si.lastSeenAt >= idleMs / 10)
	{
		si.lastSeenAt = nowMs;
		s << "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", use(nowMs), useRef(idHash), now;
	}
	return si;
}

void SessionManager::logout(const std::string& token)
{
	std::string idHash = Secrets::sha256Hex(token);
	Poco::Data::Session s = _db.session();
	s << "DELETE FROM sessions WHERE id_hash = ?", useRef(idHash), now;
}

bool SessionManager::switchOrg(const std::string& idHash, Poco::Int64 userId, Poco::Int64 orgId)
{
	if (!_directory.membership(orgId, userId)) return false;
	Poco::Data::Session s = _db.session();
	s << "UPDATE sessions SET org_id = ? WHERE id_hash = ? AND user_id = ?", use(orgId), useRef(idHash), use(userId),
		now;
	return true;
}

int SessionManager::endSessionsOfUser(Poco::Int64 userId, const std::string& exceptIdHash)
{
	Poco::Data::Session s = _db.session();
	Poco::Data::Statement st(s);
	st << "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", use(userId), useRef(exceptIdHash);
	return static_cast<int>(st.execute());
}

} // namespace RefHost
