#include "store/AuditStore.h"

#include "store/SqlValue.h"
#include <Poco/Data/RecordSet.h>
#include <limits>

namespace ExternalContacts
{

AuditStore::AuditStore(Database& database) : _database(database), _dialect(database.dialect()) {}

void AuditStore::append(Poco::Data::Session& session, const AuditEntry& entry)
{
	SqlStatement sql;
	sql << "INSERT INTO ec_audit (org_id, contact_id, actor_id, action, at, remote_addr, before_json, after_json)"
		   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sql.integer(entry.orgId).nullableInteger(entry.contactId).integer(entry.actorId).text(entry.action);
	sql.integer(entry.at).text(entry.remoteAddr.substr(0, REMOTE_ADDR_MAX));
	sql.nullableText(entry.beforeJson).nullableText(entry.afterJson);
	sql.execute(_database, session);
}

SqlStatement AuditStore::forContactSql(SqlDialect dialect, Poco::Int64 orgId, Poco::Int64 contactId,
									   Poco::Int64 beforeId, std::size_t limit)
{
	SqlStatement sql;
	sql << "SELECT id, actor_id, action, at, remote_addr, before_json, after_json FROM ec_audit";
	// MariaDB would otherwise weigh the audit page's (org, contact, at, id)
	// index, which does not give the id order.
	sql << dialect.forceIndex("ix_ec_audit_contact");
	sql << " WHERE org_id = ? AND contact_id = ? AND id < ? ORDER BY id DESC LIMIT ?";
	sql.integer(orgId).integer(contactId);
	sql.integer(beforeId > 0 ? beforeId : std::numeric_limits<Poco::Int64>::max());
	sql.integer(static_cast<Poco::Int64>(limit));
	return sql;
}

std::vector<AuditEntry> AuditStore::forContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
											   Poco::Int64 beforeId, std::size_t limit)
{
	Poco::Data::RecordSet rows = forContactSql(_dialect, orgId, contactId, beforeId, limit).query(session);
	std::vector<AuditEntry> entries(rows.rowCount());
	for (std::size_t i = 0; i < rows.rowCount(); ++i)
	{
		AuditEntry& e = entries[i];
		e.id = SqlValue::integer(rows.value(0, i));
		e.orgId = orgId;
		e.contactId = contactId;
		e.actorId = SqlValue::integer(rows.value(1, i));
		e.action = rows.value(2, i).convert<std::string>();
		e.at = SqlValue::integer(rows.value(3, i));
		e.remoteAddr = SqlValue::optionalString(rows.value(4, i)).value_or(std::string());
		e.beforeJson = SqlValue::optionalString(rows.value(5, i));
		e.afterJson = SqlValue::optionalString(rows.value(6, i));
	}
	return entries;
}
SqlStatement AuditStore::searchSql(SqlDialect dialect, Poco::Int64 orgId, const AuditFilter& filter,
								   const std::optional<AuditKey>& after, std::size_t limit)
{
	SqlStatement sql;
	sql << "SELECT a.id, a.contact_id, a.actor_id, a.action, a.at, a.remote_addr, a.before_json, a.after_json, "
		   "c.name, c.deleted_at FROM ec_audit a";
	// The newest-first order is the chosen index's order; MariaDB may pick
	// another on small tables, so the hint keeps the plan of a large one,
	// and SQLite would not always make the same choice for a filter on a
	// column whose statistics it lacks.
	if (filter.contactId)
		sql << dialect.indexedBy("ix_ec_audit_contact_at");
	else if (filter.actorId)
		sql << dialect.indexedBy("ix_ec_audit_actor_at");
	else if (filter.action)
		sql << dialect.indexedBy("ix_ec_audit_action_at");
	else
		sql << dialect.indexedBy("ix_ec_audit_org_at");
	// The contact as it is now (deleted ones too: their history stays).
	sql << " LEFT JOIN ec_contacts c ON c.id = a.contact_id AND c.org_id = a.org_id WHERE a.org_id = ?";
	sql.integer(orgId);
	if (filter.contactId)
	{
		sql << " AND a.contact_id = ?";
		sql.integer(*filter.contactId);
	}
	if (filter.actorId)
	{
		sql << " AND a.actor_id = ?";
		sql.integer(*filter.actorId);
	}
	if (filter.action)
	{
		sql << " AND a.action = ?";
		sql.text(*filter.action);
	}
	if (filter.from)
	{
		sql << " AND a.at >= ?";
		sql.integer(*filter.from);
	}
	if (filter.to)
	{
		sql << " AND a.at < ?";
		sql.integer(*filter.to);
	}
	if (after)
	{
		sql << " AND (a.at < ? OR (a.at = ? AND a.id < ?))";
		sql.integer(after->at).integer(after->at).integer(after->id);
	}
	sql << " ORDER BY a.at DESC, a.id DESC LIMIT ?";
	sql.integer(static_cast<Poco::Int64>(limit));
	return sql;
}

std::vector<AuditStore::Row> AuditStore::search(Poco::Data::Session& session, Poco::Int64 orgId,
												const AuditFilter& filter, const std::optional<AuditKey>& after,
												std::size_t limit)
{
	SqlStatement sql = searchSql(_dialect, orgId, filter, after, limit);
	Poco::Data::RecordSet rows = sql.query(session);
	std::vector<Row> found(rows.rowCount());
	for (std::size_t i = 0; i < rows.rowCount(); ++i)
	{
		Row& row = found[i];
		AuditEntry& e = row.entry;
		e.id = SqlValue::integer(rows.value(0, i));
		e.orgId = orgId;
		if (!rows.value(1, i).isEmpty()) e.contactId = SqlValue::integer(rows.value(1, i));
		e.actorId = SqlValue::integer(rows.value(2, i));
		e.action = rows.value(3, i).convert<std::string>();
		e.at = SqlValue::integer(rows.value(4, i));
		e.remoteAddr = SqlValue::optionalString(rows.value(5, i)).value_or(std::string());
		e.beforeJson = SqlValue::optionalString(rows.value(6, i));
		e.afterJson = SqlValue::optionalString(rows.value(7, i));
		row.contactName = SqlValue::optionalString(rows.value(8, i)).value_or(std::string());
		row.contactDeleted = !rows.value(9, i).isEmpty();
	}
	return found;
}

} // namespace ExternalContacts
