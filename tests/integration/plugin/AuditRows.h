#pragma once

#include "PluginBackend.h"

#include "store/SqlValue.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <optional>
#include <string>
#include <vector>

struct AuditRow
/// One ec_audit row as the database holds it (for the tests' checks).
{
	Poco::Int64 orgId = 0;
	std::optional<Poco::Int64> contactId;
	Poco::Int64 actorId = 0;
	std::string remoteAddr;
	std::optional<std::string> beforeJson;
	std::optional<std::string> afterJson;

	bool mentions(const std::string& text) const
	/// True when either JSON snapshot holds text.
	{
		return (beforeJson && beforeJson->find(text) != std::string::npos) ||
			   (afterJson && afterJson->find(text) != std::string::npos);
	}
};

inline std::vector<AuditRow> auditRows(PluginBackend& b, const std::string& action)
/// The rows of action, oldest first.
{
	using namespace Poco::Data::Keywords;
	using ExternalContacts::SqlValue;
	Poco::Data::Session s = b.database().session();
	std::string name = action;
	Poco::Data::Statement select(s);
	select << "SELECT org_id, contact_id, actor_id, remote_addr, before_json, after_json FROM ec_audit "
			  "WHERE action = ? ORDER BY id",
		use(name);
	select.execute();
	Poco::Data::RecordSet rows(select);
	std::vector<AuditRow> found;
	for (std::size_t i = 0; i < rows.rowCount(); ++i)
	{
		AuditRow row;
		row.orgId = SqlValue::integer(rows.value(0, i));
		if (!rows.value(1, i).isEmpty()) row.contactId = SqlValue::integer(rows.value(1, i));
		row.actorId = SqlValue::integer(rows.value(2, i));
		row.remoteAddr = SqlValue::optionalString(rows.value(3, i)).value_or("");
		row.beforeJson = SqlValue::optionalString(rows.value(4, i));
		row.afterJson = SqlValue::optionalString(rows.value(5, i));
		found.push_back(row);
	}
	return found;
}
