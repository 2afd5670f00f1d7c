#include "store/InvitationStore.h"

#include "store/SqlValue.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

namespace
{

const char* const COLUMNS = "id, org_id, created_by, token_hash, created_at, expires_at, ttl_hours, max_uses, uses, "
							"revoked_at, revoked_by, last_used_at";

std::string text(const Poco::Dynamic::Var& value)
{
	return value.isEmpty() ? std::string() : value.convert<std::string>();
}

} // namespace

InvitationStore::InvitationStore(Database& database) : _database(database) {}

Poco::Int64 InvitationStore::insert(Poco::Data::Session& session, const Invitation& invitation)
{
	Invitation i = invitation;
	Poco::Nullable<int> maxUses = SqlValue::nullable(i.maxUses);
	session << "INSERT INTO ec_invitations (org_id, created_by, token_hash, created_at, expires_at, ttl_hours, "
			   "max_uses, uses) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
		use(i.orgId), use(i.createdBy), use(i.tokenHash), use(i.createdAt), use(i.expiresAt), use(i.ttlHours),
		use(maxUses), now;
	return _database.lastInsertId(session);
}

Invitation InvitationStore::readRow(const Poco::Data::RecordSet& rows, std::size_t row) const
{
	Invitation i;
	i.id = SqlValue::integer(rows.value(0, row));
	i.orgId = SqlValue::integer(rows.value(1, row));
	i.createdBy = SqlValue::integer(rows.value(2, row));
	i.tokenHash = rows.value(3, row).convert<std::string>();
	i.createdAt = SqlValue::integer(rows.value(4, row));
	i.expiresAt = SqlValue::integer(rows.value(5, row));
	i.ttlHours = static_cast<int>(SqlValue::integer(rows.value(6, row)));
	if (std::optional<Poco::Int64> maxUses = SqlValue::optionalInteger(rows.value(7, row)))
		i.maxUses = static_cast<int>(*maxUses);
	i.uses = static_cast<int>(SqlValue::integer(rows.value(8, row)));
	i.revokedAt = SqlValue::optionalInteger(rows.value(9, row));
	i.revokedBy = SqlValue::optionalInteger(rows.value(10, row));
	i.lastUsedAt = SqlValue::optionalInteger(rows.value(11, row));
	return i;
}

std::vector<Invitation> InvitationStore::read(Poco::Data::Statement& statement) const
{
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::vector<Invitation> found;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		found.push_back(readRow(rows, row));
	return found;
}

std::optional<Invitation> InvitationStore::find(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id)
{
	Poco::Data::Statement statement(session);
	statement << "SELECT " << COLUMNS << " FROM ec_invitations WHERE id = ? AND org_id = ?", use(id), use(orgId);
	std::vector<Invitation> found = read(statement);
	if (found.empty()) return std::nullopt;
	return found.front();
}

std::optional<Invitation> InvitationStore::findByTokenHash(Poco::Data::Session& session, const std::string& tokenHash)
{
	std::string hash = tokenHash;
	Poco::Data::Statement statement(session);
	statement << "SELECT " << COLUMNS << " FROM ec_invitations WHERE token_hash = ?", use(hash);
	std::vector<Invitation> found = read(statement);
	if (found.empty()) return std::nullopt;
	return found.front();
}

std::vector<Invitation> InvitationStore::ofCreator(Poco::Data::Session& session, Poco::Int64 orgId,
												   Poco::Int64 createdBy, std::optional<Poco::Int64> beforeId,
												   std::size_t limit)
{
	Poco::Int64 below = beforeId.value_or(std::numeric_limits<Poco::Int64>::max());
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	Poco::Data::Statement statement(session);
	statement << "SELECT " << COLUMNS
			  << " FROM ec_invitations WHERE org_id = ? AND created_by = ? AND id < ? ORDER BY id DESC LIMIT ?",
		use(orgId), use(createdBy), use(below), use(rowsMax);
	return read(statement);
}

InvitationStore::ActiveCount InvitationStore::activeOf(Poco::Data::Session& session, Poco::Int64 orgId,
													   Poco::Int64 createdBy, Poco::Int64 nowMs)
{
	Poco::Int64 count = 0;
	Poco::Nullable<Poco::Int64> earliest;
	session << "SELECT COUNT(*), MIN(expires_at) FROM ec_invitations WHERE org_id = ? AND created_by = ? "
			   "AND expires_at > ? AND revoked_at IS NULL AND (max_uses IS NULL OR uses < max_uses)",
		use(orgId), use(createdBy), use(nowMs), into(count), into(earliest), now;
	ActiveCount active;
	active.count = static_cast<std::size_t>(count);
	active.earliestExpiry = earliest.isNull() ? 0 : earliest.value();
	return active;
}

bool InvitationStore::revoke(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 by, Poco::Int64 at)
{
	Poco::Data::Statement update(session);
	update << "UPDATE ec_invitations SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL", use(at),
		use(by), use(id);
	return update.execute() == 1;
}

bool InvitationStore::countUse(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 nowMs)
{
	Poco::Data::Statement update(session);
	update << "UPDATE ec_invitations SET uses = uses + 1, last_used_at = ? WHERE id = ? AND revoked_at IS NULL "
			  "AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)",
		use(nowMs), use(id), use(nowMs);
	return update.execute() == 1;
}

void InvitationStore::pruneAuthorizations(Poco::Data::Session& session, Poco::Int64 before)
{
	session << "DELETE FROM ec_wechat_authorizations WHERE expires_at < ?", use(before), now;
}

void InvitationStore::insertAuthorization(Poco::Data::Session& session, Poco::Int64 invitationId, Poco::Int64 userId,
										  const std::string& stateHash, const std::string& browserHash, Poco::Int64 at,
										  Poco::Int64 expiresAt)
{
	std::string state = stateHash;
	std::string browser = browserHash;
	Poco::Nullable<Poco::Int64> invitation, user;
	if (invitationId) invitation = invitationId;
	if (userId) user = userId;
	session << "INSERT INTO ec_wechat_authorizations (invitation_id, user_id, state_hash, browser_hash, created_at, "
			   "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		use(invitation), use(user), use(state), use(browser), use(at), use(expiresAt), now;
}

std::optional<InvitationStore::WeChatAuthorization>
InvitationStore::authorizationWhere(Poco::Data::Session& session, const std::string& column, const std::string& hash)
{
	// column is state_hash or profile_hash, never caller input.
	std::string key = hash;
	Poco::Data::Statement statement(session);
	statement << "SELECT id, invitation_id, browser_hash, expires_at, returned_at, consumed_at, openid, unionid, "
				 "nickname, avatar_url, user_id FROM ec_wechat_authorizations WHERE " +
					 column + " = ?",
		use(key);
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	if (rows.rowCount() == 0) return std::nullopt;
	WeChatAuthorization a;
	a.id = SqlValue::integer(rows.value(0, 0));
	a.invitationId = SqlValue::optionalInteger(rows.value(1, 0)).value_or(0);
	a.userId = SqlValue::optionalInteger(rows.value(10, 0)).value_or(0);
	a.browserHash = text(rows.value(2, 0));
	a.expiresAt = SqlValue::integer(rows.value(3, 0));
	a.returnedAt = SqlValue::optionalInteger(rows.value(4, 0));
	a.consumedAt = SqlValue::optionalInteger(rows.value(5, 0));
	a.openid = text(rows.value(6, 0));
	a.unionid = text(rows.value(7, 0));
	a.nickname = text(rows.value(8, 0));
	a.avatarUrl = text(rows.value(9, 0));
	return a;
}

std::optional<InvitationStore::WeChatAuthorization> InvitationStore::authorizationByState(Poco::Data::Session& session,
																						  const std::string& stateHash)
{
	return authorizationWhere(session, "state_hash", stateHash);
}

std::optional<InvitationStore::WeChatAuthorization>
InvitationStore::authorizationByProfile(Poco::Data::Session& session, const std::string& profileHash)
{
	return authorizationWhere(session, "profile_hash", profileHash);
}

bool InvitationStore::markReturned(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 at)
{
	Poco::Data::Statement update(session);
	update << "UPDATE ec_wechat_authorizations SET returned_at = ? WHERE id = ? AND returned_at IS NULL "
			  "AND expires_at > ?",
		use(at), use(id), use(at);
	return update.execute() == 1;
}

void InvitationStore::storeProfile(Poco::Data::Session& session, Poco::Int64 id, const std::string& profileHash,
								   const WeChatAuthorization& profile, Poco::Int64 expiresAt)
{
	std::string hash = profileHash;
	WeChatAuthorization p = profile;
	Poco::Nullable<std::string> unionid;
	if (!p.unionid.empty()) unionid = p.unionid;
	session << "UPDATE ec_wechat_authorizations SET profile_hash = ?, openid = ?, unionid = ?, nickname = ?, "
			   "avatar_url = ?, expires_at = ? WHERE id = ?",
		use(hash), use(p.openid), use(unionid), use(p.nickname), use(p.avatarUrl), use(expiresAt), use(id), now;
}

bool InvitationStore::consume(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 at)
{
	Poco::Data::Statement update(session);
	update << "UPDATE ec_wechat_authorizations SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL", use(at),
		use(id);
	return update.execute() == 1;
}

void InvitationStore::bindContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
								  const WeChatIdentity& wechat)
{
	WeChatIdentity w = wechat;
	Poco::Nullable<std::string> unionid;
	if (!w.unionid.empty()) unionid = w.unionid;
	session << "DELETE FROM ec_contact_wechat WHERE contact_id = ?", use(contactId), now;
	session << "INSERT INTO ec_contact_wechat (contact_id, org_id, openid, unionid, nickname, avatar_url, bound_at) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?)",
		use(contactId), use(orgId), use(w.openid), use(unionid), use(w.nickname), use(w.avatarUrl), use(w.boundAt), now;
}

std::optional<WeChatIdentity> InvitationStore::identityIn(Poco::Data::Session& session, const std::string& table,
														  const std::string& keyColumn, Poco::Int64 key)
{
	Poco::Data::Statement statement(session);
	statement << "SELECT openid, unionid, nickname, avatar_url, bound_at FROM " + table + " WHERE " + keyColumn +
					 " = ?",
		use(key);
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	if (rows.rowCount() == 0) return std::nullopt;
	WeChatIdentity w;
	w.openid = text(rows.value(0, 0));
	w.unionid = text(rows.value(1, 0));
	w.nickname = text(rows.value(2, 0));
	w.avatarUrl = text(rows.value(3, 0));
	w.boundAt = SqlValue::integer(rows.value(4, 0));
	return w;
}

std::optional<WeChatIdentity> InvitationStore::wechatOfUser(Poco::Data::Session& session, Poco::Int64 userId)
{
	return identityIn(session, "ec_user_wechat", "user_id", userId);
}

std::optional<Poco::Int64> InvitationStore::userOfOpenid(Poco::Data::Session& session, const std::string& openid)
{
	std::string key = openid;
	std::vector<Poco::Int64> ids;
	session << "SELECT user_id FROM ec_user_wechat WHERE openid = ?", use(key), into(ids), now;
	if (ids.empty()) return std::nullopt;
	return ids.front();
}

void InvitationStore::bindUser(Poco::Data::Session& session, Poco::Int64 userId, const WeChatIdentity& wechat)
{
	WeChatIdentity w = wechat;
	Poco::Nullable<std::string> unionid;
	if (!w.unionid.empty()) unionid = w.unionid;
	session << "DELETE FROM ec_user_wechat WHERE user_id = ?", use(userId), now;
	session << "INSERT INTO ec_user_wechat (user_id, openid, unionid, nickname, avatar_url, bound_at) "
			   "VALUES (?, ?, ?, ?, ?, ?)",
		use(userId), use(w.openid), use(unionid), use(w.nickname), use(w.avatarUrl), use(w.boundAt), now;
}

bool InvitationStore::unbindUser(Poco::Data::Session& session, Poco::Int64 userId)
{
	Poco::Data::Statement statement(session);
	statement << "DELETE FROM ec_user_wechat WHERE user_id = ?", use(userId);
	return statement.execute() == 1;
}

bool InvitationStore::unbindContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId)
{
	Poco::Data::Statement statement(session);
	statement << "DELETE FROM ec_contact_wechat WHERE contact_id = ? AND org_id = ?", use(contactId), use(orgId);
	return statement.execute() == 1;
}

} // namespace ExternalContacts
