#pragma once

#include "domain/AuditFilter.h"
#include "store/AuditEntry.h"
#include "store/Database.h"
#include "store/SqlDialect.h"
#include "store/SqlStatement.h"
#include <Poco/Data/Session.h>
#include <vector>

namespace ExternalContacts
{

class AuditStore
/// The append-only audit log (ec_audit).
{
public:
	static constexpr std::size_t REMOTE_ADDR_MAX = 64;

	explicit AuditStore(Database& database);

	void append(Poco::Data::Session& session, const AuditEntry& entry);
	/// Adds entry in the session's transaction. A longer remote address
	/// is cut to REMOTE_ADDR_MAX bytes.

	std::vector<AuditEntry> forContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
									   Poco::Int64 beforeId, std::size_t limit);
	/// The contact's entries with id < beforeId (0: from the newest),
	/// newest first, at most limit; served by ix_ec_audit_contact.

	static SqlStatement forContactSql(SqlDialect dialect, Poco::Int64 orgId, Poco::Int64 contactId,
									  Poco::Int64 beforeId, std::size_t limit);
	/// The statement forContact() runs (the tests read its plan).

	struct Row
	/// An entry of the org-wide log with the contact it names, if any.
	{
		AuditEntry entry;
		std::string contactName;     /// "" when the row names no contact
		bool contactDeleted = false; /// the contact was deleted since
	};

	std::vector<Row> search(Poco::Data::Session& session, Poco::Int64 orgId, const AuditFilter& filter,
							const std::optional<AuditKey>& after, std::size_t limit);
	/// The org's entries that pass filter, after `after` (nothing: from the
	/// newest), newest first (at, then id), at most limit. Each filter has
	/// an index whose order is the page's: contact (ix_ec_audit_contact,
	/// then sorted: a contact's rows are few), actor, action, else the org.

	static SqlStatement searchSql(SqlDialect dialect, Poco::Int64 orgId, const AuditFilter& filter,
								  const std::optional<AuditKey>& after, std::size_t limit);
	/// The statement search() runs (the tests read its plan).

private:
	Database& _database;
	SqlDialect _dialect;
};

} // namespace ExternalContacts
