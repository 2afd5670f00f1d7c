#include "store/ApplicationStore.h"

#include "store/SqlDialect.h"
#include "store/SqlStatement.h"
#include "store/SqlValue.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/String.h>

namespace ExternalContacts
{

namespace
{

const char* const COLUMNS =
	"id, org_id, contact_id, applicant_id, remark, status, submitted_at, decided_by, decided_at, "
	"comment";

} // namespace

ApplicationStore::ApplicationStore(Database& database) : _database(database) {}

std::optional<Poco::Int64> ApplicationStore::pendingOf(Poco::Data::Session& session, Poco::Int64 contactId)
{
	SqlStatement sql;
	sql << "SELECT id FROM ec_account_applications WHERE pending_contact_id = ?";
	sql.integer(contactId);
	Poco::Data::RecordSet rows = sql.query(session);
	if (rows.rowCount() == 0) return std::nullopt;
	return SqlValue::integer(rows.value(0, 0));
}

Poco::Int64 ApplicationStore::insert(Poco::Data::Session& session, const AccountApplication& application)
{
	const AccountApplication& a = application;
	SqlStatement sql;
	sql << "INSERT INTO ec_account_applications (org_id, contact_id, applicant_id, remark, status, submitted_at, "
		   "pending_contact_id) VALUES (?, ?, ?, ?, 'pending', ?, ?)";
	sql.integer(a.orgId).integer(a.contactId).integer(a.applicantId).text(a.remark).integer(a.submittedAt);
	sql.integer(a.contactId);
	sql.execute(_database, session);
	return _database.lastInsertId(session);
}

bool ApplicationStore::decide(Poco::Data::Session& session, Poco::Int64 id, AccountApplication::Status status,
							  Poco::Int64 decidedBy, Poco::Int64 at, const std::optional<std::string>& comment)
{
	SqlStatement sql;
	sql << "UPDATE ec_account_applications SET status = ?, decided_by = ?, decided_at = ?, comment = ?, "
		   "pending_contact_id = NULL WHERE id = ? AND status = 'pending'";
	sql.text(AccountApplication::statusName(status)).integer(decidedBy).integer(at).nullableText(comment).integer(id);
	return sql.execute(_database, session) == 1;
}

void ApplicationStore::reopen(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 contactId)
{
	SqlStatement sql;
	sql << "UPDATE ec_account_applications SET status = 'pending', decided_by = NULL, decided_at = NULL, "
		   "comment = NULL, pending_contact_id = ? WHERE id = ?";
	sql.integer(contactId).integer(id);
	sql.execute(_database, session);
}

AccountApplication ApplicationStore::readRow(const Poco::Data::RecordSet& rows, std::size_t row) const
{
	AccountApplication a;
	a.id = SqlValue::integer(rows.value(0, row));
	a.orgId = SqlValue::integer(rows.value(1, row));
	a.contactId = SqlValue::integer(rows.value(2, row));
	a.applicantId = SqlValue::integer(rows.value(3, row));
	a.remark = rows.value(4, row).convert<std::string>();
	a.status = AccountApplication::parseStatus(rows.value(5, row).convert<std::string>())
				   .value_or(AccountApplication::Status::Pending);
	a.submittedAt = SqlValue::integer(rows.value(6, row));
	a.decidedBy = SqlValue::optionalInteger(rows.value(7, row));
	a.decidedAt = SqlValue::optionalInteger(rows.value(8, row));
	a.comment = SqlValue::optionalString(rows.value(9, row));
	return a;
}

std::optional<AccountApplication> ApplicationStore::find(Poco::Data::Session& session, Poco::Int64 orgId,
														 Poco::Int64 id)
{
	SqlStatement sql;
	sql << "SELECT " << COLUMNS << " FROM ec_account_applications WHERE id = ? AND org_id = ?";
	sql.integer(id).integer(orgId);
	Poco::Data::RecordSet rows = sql.query(session);
	if (rows.rowCount() == 0) return std::nullopt;
	return readRow(rows, 0);
}

std::vector<AccountApplication> ApplicationStore::ofContact(Poco::Data::Session& session, Poco::Int64 contactId,
															std::size_t limit)
{
	SqlStatement sql;
	sql << "SELECT " << COLUMNS << " FROM ec_account_applications WHERE contact_id = ? ORDER BY id DESC LIMIT ?";
	sql.integer(contactId).integer(static_cast<Poco::Int64>(limit));
	Poco::Data::RecordSet rows = sql.query(session);
	std::vector<AccountApplication> found;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		found.push_back(readRow(rows, row));
	return found;
}

SqlStatement ApplicationStore::logSql(Poco::Int64 orgId, const ApplicationFilter& filter,
									  const std::optional<ApplicationLogKey>& after, std::size_t limit) const
{
	SqlStatement sql;
	sql << "SELECT a.id, a.org_id, a.contact_id, a.applicant_id, a.remark, a.status, a.submitted_at, a.decided_by, "
		   "a.decided_at, a.comment, c.name FROM ec_account_applications a";
	// The newest-first order is the index's order: with a status the
	// (org, status, submitted, id) index, else the (org, submitted, id) one.
	// MariaDB may choose otherwise on small tables; the hint keeps the plan.
	sql << SqlDialect(_database.dialect())
			   .forceIndex(filter.status ? "ix_ec_account_applications_status" : "ix_ec_account_applications_org");
	sql << " JOIN ec_contacts c ON c.id = a.contact_id WHERE a.org_id = ?";
	sql.integer(orgId);
	if (filter.status)
	{
		sql << " AND a.status = ?";
		sql.text(AccountApplication::statusName(*filter.status));
	}
	if (filter.from)
	{
		sql << " AND a.submitted_at >= ?";
		sql.integer(*filter.from);
	}
	if (filter.to)
	{
		sql << " AND a.submitted_at < ?";
		sql.integer(*filter.to);
	}
	if (filter.applicantId)
	{
		sql << " AND a.applicant_id = ?";
		sql.integer(*filter.applicantId);
	}
	if (!filter.keyword.empty())
	{
		// LIKE wildcards in the keyword match literally.
		std::string pattern = "%";
		for (char ch : Poco::toLower(filter.keyword))
		{
			if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
			pattern += ch;
		}
		pattern += '%';
		sql << " AND (LOWER(c.name) LIKE ? ESCAPE '!' OR LOWER(a.remark) LIKE ? ESCAPE '!')";
		sql.text(pattern).text(pattern);
	}
	if (after)
	{
		sql << " AND (a.submitted_at < ? OR (a.submitted_at = ? AND a.id < ?))";
		sql.integer(after->submittedAt).integer(after->submittedAt).integer(after->id);
	}
	sql << " ORDER BY a.submitted_at DESC, a.id DESC LIMIT ?";
	sql.integer(static_cast<Poco::Int64>(limit));
	return sql;
}

std::vector<ApplicationStore::LogRow> ApplicationStore::log(Poco::Data::Session& session, Poco::Int64 orgId,
															const ApplicationFilter& filter,
															const std::optional<ApplicationLogKey>& after,
															std::size_t limit)
{
	SqlStatement sql = logSql(orgId, filter, after, limit);
	Poco::Data::RecordSet rows = sql.query(session);
	std::vector<LogRow> found;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		found.push_back({readRow(rows, row), rows.value(10, row).convert<std::string>()});
	return found;
}

std::optional<ApplicationStore::Account> ApplicationStore::accountOf(Poco::Data::Session& session,
																	 Poco::Int64 contactId)
{
	SqlStatement sql;
	sql << "SELECT contact_id, user_id, login, status, application_id FROM ec_contact_accounts WHERE contact_id = ?";
	sql.integer(contactId);
	Poco::Data::RecordSet rows = sql.query(session);
	if (rows.rowCount() == 0) return std::nullopt;
	Account account;
	account.contactId = SqlValue::integer(rows.value(0, 0));
	account.userId = SqlValue::optionalInteger(rows.value(1, 0));
	account.login = SqlValue::optionalString(rows.value(2, 0));
	account.status = rows.value(3, 0).convert<std::string>();
	account.applicationId = SqlValue::optionalInteger(rows.value(4, 0));
	return account;
}

void ApplicationStore::reserveAccount(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
									  std::optional<Poco::Int64> applicationId, Poco::Int64 by, Poco::Int64 at)
{
	SqlStatement sql;
	sql << "INSERT INTO ec_contact_accounts (contact_id, org_id, status, application_id, created_by, created_at, "
		   "updated_at) VALUES (?, ?, 'creating', ?, ?, ?, ?)";
	sql.integer(contactId).integer(orgId).nullableInteger(applicationId).integer(by).integer(at).integer(at);
	sql.execute(_database, session);
}

void ApplicationStore::completeAccount(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 userId,
									   const std::string& login, Poco::Int64 at)
{
	SqlStatement sql;
	sql << "UPDATE ec_contact_accounts SET user_id = ?, login = ?, status = 'pending', updated_at = ? "
		   "WHERE contact_id = ?";
	sql.integer(userId).text(login).integer(at).integer(contactId);
	sql.execute(_database, session);
}

void ApplicationStore::setAccountStatus(Poco::Data::Session& session, Poco::Int64 contactId, const std::string& status,
										Poco::Int64 at)
{
	SqlStatement sql;
	sql << "UPDATE ec_contact_accounts SET status = ?, updated_at = ? WHERE contact_id = ?";
	sql.text(status).integer(at).integer(contactId);
	sql.execute(_database, session);
}

void ApplicationStore::dropReservation(Poco::Data::Session& session, Poco::Int64 contactId)
{
	SqlStatement sql;
	sql << "DELETE FROM ec_contact_accounts WHERE contact_id = ? AND status = 'creating'";
	sql.integer(contactId);
	sql.execute(_database, session);
}

} // namespace ExternalContacts
