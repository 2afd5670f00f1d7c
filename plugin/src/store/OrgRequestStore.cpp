#include "store/OrgRequestStore.h"

#include "store/SqlDialect.h"
#include "store/SqlValue.h"
#include <Poco/Data/Statement.h>
#include <limits>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

namespace
{

const char* const COLUMNS = "id, org_id, requester_id, target_user_id, target_org_id, target_name, target_org_name, "
							"status, created_at, expires_at, decided_at, contact_id";

std::string pendingKey(Poco::Int64 requesterId, Poco::Int64 targetUserId)
{
	return std::to_string(requesterId) + ":" + std::to_string(targetUserId);
}

} // namespace

OrgRequestStore::OrgRequestStore(Database& database) : _database(database) {}

Poco::Int64 OrgRequestStore::insert(Poco::Data::Session& session, const OrgRequest& request)
{
	OrgRequest r = request;
	std::string key = pendingKey(r.requesterId, r.targetUserId);
	session << "INSERT INTO ec_org_requests (org_id, requester_id, target_user_id, target_org_id, target_name, "
			   "target_org_name, status, created_at, expires_at, pending_key) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, "
			   "?, ?)",
		use(r.orgId), use(r.requesterId), use(r.targetUserId), use(r.targetOrgId), use(r.targetName),
		use(r.targetOrgName), use(r.createdAt), use(r.expiresAt), use(key), now;
	return _database.lastInsertId(session);
}

std::optional<Poco::Int64> OrgRequestStore::pendingOf(Poco::Data::Session& session, Poco::Int64 requesterId,
													  Poco::Int64 targetUserId)
{
	std::string key = pendingKey(requesterId, targetUserId);
	std::vector<Poco::Int64> ids;
	session << "SELECT id FROM ec_org_requests WHERE pending_key = ?", use(key), into(ids), now;
	if (ids.empty()) return std::nullopt;
	return ids.front();
}

std::optional<OrgRequest> OrgRequestStore::expire(Poco::Data::Session& session, Poco::Int64 requesterId,
												  Poco::Int64 targetUserId, Poco::Int64 nowMs)
{
	std::string key = pendingKey(requesterId, targetUserId);
	Poco::Data::Statement select(session);
	select << "SELECT " << COLUMNS << " FROM ec_org_requests WHERE pending_key = ? AND expires_at <= ?", use(key),
		use(nowMs);
	std::vector<OrgRequest> over = read(select);
	if (over.empty()) return std::nullopt;
	OrgRequest r = over.front();
	Poco::Data::Statement update(session);
	update << "UPDATE ec_org_requests SET status = 'expired', pending_key = NULL, decided_at = expires_at "
			  "WHERE id = ? AND pending_key = ? AND expires_at <= ?",
		use(r.id), use(key), use(nowMs);
	if (update.execute() != 1) return std::nullopt;
	r.status = OrgRequest::Status::Expired;
	r.decidedAt = r.expiresAt;
	return r;
}

OrgRequest OrgRequestStore::readRow(const Poco::Data::RecordSet& rows, std::size_t row) const
{
	OrgRequest r;
	r.id = SqlValue::integer(rows.value(0, row));
	r.orgId = SqlValue::integer(rows.value(1, row));
	r.requesterId = SqlValue::integer(rows.value(2, row));
	r.targetUserId = SqlValue::integer(rows.value(3, row));
	r.targetOrgId = SqlValue::integer(rows.value(4, row));
	r.targetName = rows.value(5, row).convert<std::string>();
	r.targetOrgName = rows.value(6, row).convert<std::string>();
	r.status =
		OrgRequest::parseStatus(rows.value(7, row).convert<std::string>()).value_or(OrgRequest::Status::Cancelled);
	r.createdAt = SqlValue::integer(rows.value(8, row));
	r.expiresAt = SqlValue::integer(rows.value(9, row));
	r.decidedAt = SqlValue::optionalInteger(rows.value(10, row));
	r.contactId = SqlValue::optionalInteger(rows.value(11, row));
	return r;
}

std::vector<OrgRequest> OrgRequestStore::read(Poco::Data::Statement& statement) const
{
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::vector<OrgRequest> found;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		found.push_back(readRow(rows, row));
	return found;
}

std::optional<OrgRequest> OrgRequestStore::find(Poco::Data::Session& session, Poco::Int64 id)
{
	Poco::Data::Statement statement(session);
	statement << "SELECT " << COLUMNS << " FROM ec_org_requests WHERE id = ?", use(id);
	std::vector<OrgRequest> found = read(statement);
	if (found.empty()) return std::nullopt;
	return found.front();
}

bool OrgRequestStore::settle(Poco::Data::Session& session, Poco::Int64 id, OrgRequest::Status status, Poco::Int64 nowMs,
							 std::optional<Poco::Int64> contactId)
{
	std::string name = OrgRequest::statusName(status);
	Poco::Nullable<Poco::Int64> contact = SqlValue::nullable(contactId);
	Poco::Data::Statement update(session);
	update << "UPDATE ec_org_requests SET status = ?, decided_at = ?, contact_id = ?, pending_key = NULL "
			  "WHERE id = ? AND status = 'pending' AND expires_at > ?",
		use(name), use(nowMs), use(contact), use(id), use(nowMs);
	return update.execute() == 1;
}

void OrgRequestStore::reopen(Poco::Data::Session& session, const OrgRequest& request)
{
	std::string key = pendingKey(request.requesterId, request.targetUserId);
	Poco::Int64 id = request.id;
	session << "UPDATE ec_org_requests SET status = 'pending', decided_at = NULL, contact_id = NULL, pending_key = ? "
			   "WHERE id = ?",
		use(key), use(id), now;
}

std::vector<OrgRequest> OrgRequestStore::outgoing(Poco::Data::Session& session, Poco::Int64 orgId,
												  Poco::Int64 requesterId, std::optional<Poco::Int64> beforeId,
												  std::size_t limit)
{
	Poco::Int64 below = beforeId.value_or(std::numeric_limits<Poco::Int64>::max());
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	Poco::Data::Statement statement(session);
	statement << "SELECT " << COLUMNS
			  << " FROM ec_org_requests WHERE org_id = ? AND requester_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
		use(orgId), use(requesterId), use(below), use(rowsMax);
	return read(statement);
}

std::vector<OrgRequest> OrgRequestStore::incoming(Poco::Data::Session& session, Poco::Int64 targetUserId,
												  std::optional<Poco::Int64> beforeId, std::size_t limit)
{
	Poco::Int64 below = beforeId.value_or(std::numeric_limits<Poco::Int64>::max());
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	Poco::Data::Statement statement(session);
	statement << "SELECT " << COLUMNS
			  << " FROM ec_org_requests WHERE target_user_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
		use(targetUserId), use(below), use(rowsMax);
	return read(statement);
}

void OrgRequestStore::link(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId, Poco::Int64 userId,
						   Poco::Int64 at)
{
	session << "INSERT INTO ec_contact_links (contact_id, org_id, user_id, linked_at) VALUES (?, ?, ?, ?)",
		use(contactId), use(orgId), use(userId), use(at), now;
}

std::optional<Poco::Int64> OrgRequestStore::contactOfUser(Poco::Data::Session& session, Poco::Int64 orgId,
														  Poco::Int64 userId)
{
	std::vector<Poco::Int64> ids;
	session << "SELECT contact_id FROM ec_contact_links WHERE org_id = ? AND user_id = ?", use(orgId), use(userId),
		into(ids), now;
	if (ids.empty()) return std::nullopt;
	return ids.front();
}

std::optional<Poco::Int64> OrgRequestStore::userOfContact(Poco::Data::Session& session, Poco::Int64 contactId)
{
	std::vector<Poco::Int64> ids;
	session << "SELECT user_id FROM ec_contact_links WHERE contact_id = ?", use(contactId), into(ids), now;
	if (ids.empty()) return std::nullopt;
	return ids.front();
}

std::vector<OrgRequestStore::Link> OrgRequestStore::linksOfUser(Poco::Data::Session& session, Poco::Int64 userId)
{
	std::vector<Poco::Int64> orgs, contacts;
	session << "SELECT org_id, contact_id FROM ec_contact_links WHERE user_id = ? ORDER BY contact_id", use(userId),
		into(orgs), into(contacts), now;
	std::vector<Link> links;
	for (std::size_t i = 0; i < orgs.size(); ++i)
		links.push_back({orgs[i], contacts[i]});
	return links;
}

void OrgRequestStore::unlink(Poco::Data::Session& session, Poco::Int64 contactId)
{
	session << "DELETE FROM ec_contact_links WHERE contact_id = ?", use(contactId), now;
}

void OrgRequestStore::keepFound(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 requesterId,
								Poco::Int64 targetOrgId, const std::vector<Poco::Int64>& userIds, Poco::Int64 expiresAt)
{
	// Insert-or-ignore, then renew: no statement that differs per dialect
	// beyond the ignore, and two nodes keeping the same row do not collide.
	std::string insert = std::string(SqlDialect(_database.dialect()).insertIgnore()) +
						 " INTO ec_org_search_results (org_id, requester_id, target_org_id, target_user_id, "
						 "expires_at) VALUES (?, ?, ?, ?, ?)";
	for (Poco::Int64 userId : userIds)
	{
		Poco::Int64 user = userId;
		session << insert, use(orgId), use(requesterId), use(targetOrgId), use(user), use(expiresAt), now;
		session << "UPDATE ec_org_search_results SET expires_at = ? WHERE org_id = ? AND requester_id = ? AND "
				   "target_org_id = ? AND target_user_id = ? AND expires_at < ?",
			use(expiresAt), use(orgId), use(requesterId), use(targetOrgId), use(user), use(expiresAt), now;
	}
}

bool OrgRequestStore::wasFound(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 requesterId,
							   Poco::Int64 targetOrgId, Poco::Int64 userId, Poco::Int64 nowMs)
{
	Poco::Int64 found = 0;
	session << "SELECT COUNT(*) FROM ec_org_search_results WHERE org_id = ? AND requester_id = ? AND target_org_id = ? "
			   "AND target_user_id = ? AND expires_at > ?",
		use(orgId), use(requesterId), use(targetOrgId), use(userId), use(nowMs), into(found), now;
	return found > 0;
}

void OrgRequestStore::pruneFound(Poco::Data::Session& session, Poco::Int64 nowMs)
{
	if (const char* readCommitted = SqlDialect(_database.dialect()).readCommittedNext())
		session << readCommitted, now; // the next statement only
	session << "DELETE FROM ec_org_search_results WHERE expires_at <= ?", use(nowMs), now;
}

} // namespace ExternalContacts
