#include "store/TransferStore.h"

#include "store/SqlStatement.h"
#include "store/SqlValue.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <algorithm>
#include <set>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

namespace
{

const char* const COLUMNS = "id, org_id, from_user_id, to_user_id, created_by, created_at, finished_at, status, "
							"all_contacts, max_id, total, done, skipped, cursor_id, error, remote_addr, lease_until";

// Rows per multi-row INSERT and ids per IN list.
constexpr std::size_t CHUNK = 200;

std::string runningKey(Poco::Int64 orgId, Poco::Int64 fromUserId)
{
	return std::to_string(orgId) + ":" + std::to_string(fromUserId);
}

} // namespace

TransferStore::TransferStore(Database& database) : _database(database) {}

Poco::Int64 TransferStore::insert(Poco::Data::Session& session, const Transfer& transfer)
{
	Transfer t = transfer;
	std::string key = runningKey(t.orgId, t.fromUserId);
	int all = t.all ? 1 : 0;
	session
		<< "INSERT INTO ec_transfers (org_id, from_user_id, to_user_id, created_by, created_at, status, "
		   "all_contacts, max_id, total, remote_addr, running_key) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)",
		use(t.orgId), use(t.fromUserId), use(t.toUserId), use(t.createdBy), use(t.createdAt), use(all), use(t.maxId),
		use(t.total), use(t.remoteAddr), use(key), now;
	return _database.lastInsertId(session);
}

void TransferStore::addContacts(Poco::Data::Session& session, Poco::Int64 transferId,
								const std::vector<Poco::Int64>& contactIds)
{
	for (std::size_t start = 0; start < contactIds.size(); start += CHUNK)
	{
		std::size_t n = std::min(CHUNK, contactIds.size() - start);
		Poco::Data::Statement insert(session);
		insert << "INSERT INTO ec_transfer_contacts (transfer_id, contact_id) VALUES ";
		for (std::size_t i = 0; i < n; ++i)
		{
			insert << (i == 0 ? "(?, ?)" : ", (?, ?)");
			insert, use(transferId), bind(contactIds[start + i]);
		}
		insert.execute();
	}
}

std::vector<Transfer> TransferStore::read(Poco::Data::Statement& statement)
{
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::vector<Transfer> out;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
	{
		Transfer t;
		t.id = SqlValue::integer(rows.value(0, row));
		t.orgId = SqlValue::integer(rows.value(1, row));
		t.fromUserId = SqlValue::integer(rows.value(2, row));
		t.toUserId = SqlValue::integer(rows.value(3, row));
		t.createdBy = SqlValue::integer(rows.value(4, row));
		t.createdAt = SqlValue::integer(rows.value(5, row));
		if (!rows.value(6, row).isEmpty()) t.finishedAt = SqlValue::integer(rows.value(6, row));
		t.status = Transfer::statusOf(rows.value(7, row).convert<std::string>());
		t.all = SqlValue::integer(rows.value(8, row)) != 0;
		t.maxId = SqlValue::integer(rows.value(9, row));
		t.total = SqlValue::integer(rows.value(10, row));
		t.done = SqlValue::integer(rows.value(11, row));
		t.skipped = SqlValue::integer(rows.value(12, row));
		t.cursorId = SqlValue::integer(rows.value(13, row));
		t.error = SqlValue::optionalString(rows.value(14, row));
		t.remoteAddr = rows.value(15, row).convert<std::string>();
		t.leaseUntil = SqlValue::integer(rows.value(16, row));
		out.push_back(std::move(t));
	}
	return out;
}

std::optional<Transfer> TransferStore::find(Poco::Data::Session& session, Poco::Int64 id)
{
	Poco::Data::Statement select(session);
	select << "SELECT " << COLUMNS << " FROM ec_transfers WHERE id = ?", use(id);
	std::vector<Transfer> found = read(select);
	if (found.empty()) return std::nullopt;
	return found.front();
}

std::optional<Poco::Int64> TransferStore::runningOf(Poco::Data::Session& session, Poco::Int64 orgId,
													Poco::Int64 fromUserId)
{
	std::string key = runningKey(orgId, fromUserId);
	std::vector<Poco::Int64> ids;
	session << "SELECT id FROM ec_transfers WHERE running_key = ?", use(key), into(ids), now;
	if (ids.empty()) return std::nullopt;
	return ids.front();
}

std::vector<Transfer> TransferStore::page(Poco::Data::Session& session, Poco::Int64 orgId,
										  std::optional<Poco::Int64> beforeId, std::size_t limit)
{
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	Poco::Data::Statement select(session);
	if (beforeId)
		select << "SELECT " << COLUMNS << " FROM ec_transfers WHERE org_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
			use(orgId), bind(*beforeId), use(rowsMax);
	else
		select << "SELECT " << COLUMNS << " FROM ec_transfers WHERE org_id = ? ORDER BY id DESC LIMIT ?", use(orgId),
			use(rowsMax);
	return read(select);
}

Poco::Int64 TransferStore::countHeld(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 fromUserId,
									 const std::vector<Poco::Int64>& contactIds)
{
	std::set<Poco::Int64> distinct(contactIds.begin(), contactIds.end());
	std::vector<Poco::Int64> ids(distinct.begin(), distinct.end());
	Poco::Int64 held = 0;
	for (std::size_t start = 0; start < ids.size(); start += CHUNK)
	{
		std::size_t n = std::min(CHUNK, ids.size() - start);
		Poco::Int64 count = 0;
		Poco::Data::Statement select(session);
		select << "SELECT COUNT(*) FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL"
				  " AND id IN ("
			   << SqlStatement::placeholders(n) << ")",
			use(orgId), use(fromUserId);
		for (std::size_t i = 0; i < n; ++i)
			select, bind(ids[start + i]);
		select, into(count);
		select.execute();
		held += count;
	}
	return held;
}

std::pair<Poco::Int64, Poco::Int64> TransferStore::heldRange(Poco::Data::Session& session, Poco::Int64 orgId,
															 Poco::Int64 fromUserId)
{
	Poco::Int64 count = 0, maxId = 0;
	session << "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM ec_contacts WHERE org_id = ? AND added_by = ?"
			   " AND deleted_at IS NULL",
		use(orgId), use(fromUserId), into(count), into(maxId), now;
	return {count, maxId};
}

std::vector<TransferStore::Held> TransferStore::heldPage(Poco::Data::Session& session, Poco::Int64 orgId,
														 Poco::Int64 fromUserId, Poco::Int64 afterId, std::size_t limit)
{
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	Poco::Data::Statement select(session);
	select << "SELECT id, name, company FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL"
			  " AND id > ? ORDER BY id LIMIT ?",
		use(orgId), use(fromUserId), use(afterId), use(rowsMax);
	select.execute();
	Poco::Data::RecordSet rows(select);
	std::vector<Held> held;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		held.push_back({SqlValue::integer(rows.value(0, row)), rows.value(1, row).convert<std::string>(),
						SqlValue::optionalString(rows.value(2, row)).value_or("")});
	return held;
}

std::vector<Poco::Int64> TransferStore::nextIds(Poco::Data::Session& session, const Transfer& transfer,
												std::size_t limit)
{
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	Transfer t = transfer;
	std::vector<Poco::Int64> ids;
	if (t.all)
		session << "SELECT id FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL"
				   " AND id > ? AND id <= ? ORDER BY id LIMIT ?",
			use(t.orgId), use(t.fromUserId), use(t.cursorId), use(t.maxId), use(rowsMax), into(ids), now;
	else
		session << "SELECT contact_id FROM ec_transfer_contacts WHERE transfer_id = ? AND contact_id > ?"
				   " ORDER BY contact_id LIMIT ?",
			use(t.id), use(t.cursorId), use(rowsMax), into(ids), now;
	return ids;
}

bool TransferStore::claim(Poco::Data::Session& session, Poco::Int64 id, const std::string& node, Poco::Int64 nowMs,
						  Poco::Int64 leaseUntil)
{
	std::string n = node;
	Poco::Data::Statement update(session);
	update << "UPDATE ec_transfers SET claimed_by = ?, lease_until = ?, claims = claims + 1"
			  " WHERE id = ? AND status = 'running' AND (claimed_by IS NULL OR lease_until < ?)",
		use(n), use(leaseUntil), use(id), use(nowMs);
	return update.execute() == 1;
}

bool TransferStore::renew(Poco::Data::Session& session, Poco::Int64 id, const std::string& node, Poco::Int64 leaseUntil)
{
	std::string n = node;
	Poco::Data::Statement update(session);
	update << "UPDATE ec_transfers SET lease_until = ?, claims = claims + 1"
			  " WHERE id = ? AND status = 'running' AND claimed_by = ?",
		use(leaseUntil), use(id), use(n);
	return update.execute() == 1;
}

void TransferStore::release(Poco::Data::Session& session, Poco::Int64 id, const std::string& node)
{
	std::string n = node;
	session << "UPDATE ec_transfers SET claimed_by = NULL, lease_until = 0, claims = claims + 1"
			   " WHERE id = ? AND status = 'running' AND claimed_by = ?",
		use(id), use(n), now;
}

void TransferStore::advance(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 moved, Poco::Int64 skipped,
							Poco::Int64 cursorId)
{
	session << "UPDATE ec_transfers SET done = done + ?, skipped = skipped + ?, cursor_id = ? WHERE id = ?", use(moved),
		use(skipped), use(cursorId), use(id), now;
}

std::size_t TransferStore::failOf(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 userId,
								  const std::string& error, Poco::Int64 at)
{
	std::string message = error;
	Poco::Data::Statement update(session);
	update << "UPDATE ec_transfers SET status = 'failed', error = ?, finished_at = ?, running_key = NULL,"
			  " claimed_by = NULL, claims = claims + 1"
			  " WHERE org_id = ? AND status = 'running' AND (from_user_id = ? OR to_user_id = ?)",
		use(message), use(at), use(orgId), use(userId), use(userId);
	return update.execute();
}

bool TransferStore::finish(Poco::Data::Session& session, Poco::Int64 id, const std::string& node,
						   Transfer::Status status, const std::optional<std::string>& error, Poco::Int64 at)
{
	std::string n = node;
	std::string name = Transfer::statusName(status);
	Poco::Nullable<std::string> message = SqlValue::nullable(error);
	Poco::Data::Statement update(session);
	if (status == Transfer::Status::Done)
		update
			<< "UPDATE ec_transfers SET status = ?, error = ?, finished_at = ?, running_key = NULL,"
			   " claimed_by = NULL, skipped = CASE WHEN total > done THEN total - done ELSE 0 END, claims = claims + 1"
			   " WHERE id = ? AND status = 'running' AND claimed_by = ?",
			use(name), use(message), use(at), use(id), use(n);
	else
		update << "UPDATE ec_transfers SET status = ?, error = ?, finished_at = ?, running_key = NULL,"
				  " claimed_by = NULL, claims = claims + 1 WHERE id = ? AND status = 'running' AND claimed_by = ?",
			use(name), use(message), use(at), use(id), use(n);
	return update.execute() == 1;
}

std::vector<Poco::Int64> TransferStore::stale(Poco::Data::Session& session, Poco::Int64 nowMs, std::size_t limit)
{
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	std::vector<Poco::Int64> ids;
	session << "SELECT id FROM ec_transfers WHERE status = 'running' AND lease_until < ? ORDER BY lease_until, id"
			   " LIMIT ?",
		use(nowMs), use(rowsMax), into(ids), now;
	return ids;
}

} // namespace ExternalContacts
