#include "store/WeChatProposalStore.h"

#include "store/SqlDialect.h"
#include "store/SqlValue.h"
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

namespace
{

const char* const COLUMNS = "id, org_id, contact_id, invitation_id, inviter_id, openid, unionid, nickname, avatar_url, "
							"proposed_at, expires_at, status, decided_at, decided_by";

// What a settled proposal no longer keeps (issue 14, finding 3, review):
// the visitor's identity, never bound to the contact by this row (ignored,
// replaced, expired) or copied to ec_contact_wechat (confirmed). The audit
// rows keep the nickname.
const char* const FORGET = "openid = NULL, unionid = NULL, nickname = '', avatar_url = ''";

std::string text(const Poco::Dynamic::Var& value)
{
	return value.isEmpty() ? std::string() : value.convert<std::string>();
}

} // namespace

WeChatProposalStore::WeChatProposalStore(Database& database) : _database(database) {}

WeChatProposal WeChatProposalStore::readRow(const Poco::Data::RecordSet& rows, std::size_t row) const
{
	WeChatProposal p;
	p.id = SqlValue::integer(rows.value(0, row));
	p.orgId = SqlValue::integer(rows.value(1, row));
	p.contactId = SqlValue::integer(rows.value(2, row));
	p.invitationId = SqlValue::integer(rows.value(3, row));
	p.inviterId = SqlValue::integer(rows.value(4, row));
	p.wechat.openid = text(rows.value(5, row));
	p.wechat.unionid = text(rows.value(6, row));
	p.wechat.nickname = text(rows.value(7, row));
	p.wechat.avatarUrl = text(rows.value(8, row));
	p.wechat.boundAt = SqlValue::integer(rows.value(9, row));
	p.expiresAt = SqlValue::integer(rows.value(10, row));
	p.status = WeChatProposal::statusOf(text(rows.value(11, row)));
	p.decidedAt = SqlValue::optionalInteger(rows.value(12, row));
	p.decidedBy = SqlValue::optionalInteger(rows.value(13, row));
	return p;
}

bool WeChatProposalStore::lockContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId)
{
	Poco::Data::Statement select(session);
	select << "SELECT id FROM ec_contacts WHERE id = ? AND org_id = ? AND deleted_at IS NULL"
		   << SqlDialect(_database.dialect()).forUpdate(),
		use(contactId), use(orgId);
	select.execute();
	Poco::Data::RecordSet rows(select);
	return rows.rowCount() == 1;
}

std::optional<WeChatProposal> WeChatProposalStore::replacePending(Poco::Data::Session& session, Poco::Int64 contactId,
																  Poco::Int64 nowMs)
{
	// MySQL: a locking read, so the pending proposal as last committed (not
	// as this transaction's REPEATABLE READ snapshot saw it: a confirm may
	// have settled it since, another join may have stored a newer one), held
	// until the transaction ends: a confirm or ignore at the same time waits
	// for this one or this one for it. SQLite's write transaction already
	// excludes every other writer.
	Poco::Data::Statement select(session);
	select << "SELECT " << COLUMNS << " FROM ec_wechat_proposals WHERE pending_contact = ? AND status = 'pending'"
		   << SqlDialect(_database.dialect()).forUpdate(),
		use(contactId);
	select.execute();
	Poco::Data::RecordSet rows(select);
	if (rows.rowCount() == 0) return std::nullopt;
	WeChatProposal old = readRow(rows, 0);
	std::string status = WeChatProposal::statusName(old.statusAt(nowMs) == WeChatProposal::Status::Expired
														? WeChatProposal::Status::Expired
														: WeChatProposal::Status::Replaced);
	// Conditional as settle() is: only the row that is still pending.
	Poco::Data::Statement update(session);
	update << "UPDATE ec_wechat_proposals SET status = ?, pending_contact = NULL, decided_at = ?, " << FORGET
		   << " WHERE pending_contact = ? AND status = 'pending' AND id = ?",
		use(status), use(nowMs), use(contactId), use(old.id);
	if (update.execute() != 1) return std::nullopt;
	return old;
}

Poco::Int64 WeChatProposalStore::insert(Poco::Data::Session& session, const WeChatProposal& proposal)
{
	WeChatProposal p = proposal;
	Poco::Nullable<std::string> unionid;
	if (!p.wechat.unionid.empty()) unionid = p.wechat.unionid;
	session << "INSERT INTO ec_wechat_proposals (org_id, contact_id, invitation_id, inviter_id, openid, unionid, "
			   "nickname, avatar_url, proposed_at, expires_at, status, pending_contact) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
		use(p.orgId), use(p.contactId), use(p.invitationId), use(p.inviterId), use(p.wechat.openid), use(unionid),
		use(p.wechat.nickname), use(p.wechat.avatarUrl), use(p.wechat.boundAt), use(p.expiresAt), use(p.contactId), now;
	return _database.lastInsertId(session);
}

std::optional<WeChatProposal> WeChatProposalStore::find(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id,
														bool latest)
{
	// SQLite has one writer at a time and no snapshots older than the write
	// transaction: a plain read is the latest there.
	Poco::Data::Statement select(session);
	select << "SELECT " << COLUMNS << " FROM ec_wechat_proposals WHERE id = ? AND org_id = ?"
		   << (latest ? SqlDialect(_database.dialect()).forUpdate() : ""),
		use(id), use(orgId);
	select.execute();
	Poco::Data::RecordSet rows(select);
	if (rows.rowCount() == 0) return std::nullopt;
	return readRow(rows, 0);
}

std::optional<WeChatProposal> WeChatProposalStore::pendingOf(Poco::Data::Session& session, Poco::Int64 orgId,
															 Poco::Int64 contactId, Poco::Int64 nowMs)
{
	Poco::Data::Statement select(session);
	select << "SELECT " << COLUMNS
		   << " FROM ec_wechat_proposals WHERE pending_contact = ? AND org_id = ? AND expires_at > ?",
		use(contactId), use(orgId), use(nowMs);
	select.execute();
	Poco::Data::RecordSet rows(select);
	if (rows.rowCount() == 0) return std::nullopt;
	return readRow(rows, 0);
}

bool WeChatProposalStore::settle(Poco::Data::Session& session, Poco::Int64 id, WeChatProposal::Status status,
								 Poco::Int64 by, Poco::Int64 nowMs)
{
	std::string name = WeChatProposal::statusName(status);
	Poco::Data::Statement update(session);
	update << "UPDATE ec_wechat_proposals SET status = ?, pending_contact = NULL, decided_at = ?, decided_by = ?, "
		   << FORGET << " WHERE id = ? AND status = 'pending' AND expires_at > ?",
		use(name), use(nowMs), use(by), use(id), use(nowMs);
	return update.execute() == 1;
}

} // namespace ExternalContacts
