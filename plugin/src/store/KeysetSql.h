#pragma once

#include "domain/SortKey.h"
#include "store/SqlDialect.h"
#include "store/SqlStatement.h"
#include <string>

namespace ExternalContacts
{

struct KeysetSql
/// The keyset predicate "after this SortKey" over the columns of one table
/// (ec_contacts as c, ec_contact_search as s): SQLite turns a row-value
/// comparison into one index range; MySQL and MariaDB range-scan the
/// expanded form, not row values.
{
	std::string rank, group, name, id; /// the column names, e.g. "c.group_rank"
	std::string org;                   /// the org column, e.g. "c.org_id"

	static KeysetSql of(const std::string& alias, const std::string& idColumn = "id")
	{
		return {alias + ".group_rank", alias + ".group_name", alias + ".name", alias + "." + idColumn,
				alias + ".org_id"};
	}

	void after(SqlStatement& sql, SqlDialect dialect, const SortKey& k) const
	/// Appends " AND (…) > key" on all four columns.
	{
		if (dialect.rowValues())
		{
			sql << " AND (" + rank + ", " + group + ", " + name + ", " + id + ") > (?, ?, ?, ?)";
			sql.smallInteger(k.groupRank).text(k.groupName).text(k.name).integer(k.id);
			return;
		}
		sql << " AND (" + rank + " > ? OR (" + rank + " = ? AND (" + group + " > ? OR (" + group + " = ? AND (" + name +
				   " > ? OR (" + name + " = ? AND " + id + " > ?))))))";
		sql.smallInteger(k.groupRank).smallInteger(k.groupRank);
		sql.text(k.groupName).text(k.groupName);
		sql.text(k.name).text(k.name);
		sql.integer(k.id);
	}

	void afterInGroup(SqlStatement& sql, SqlDialect dialect, const SortKey& k) const
	/// Appends " AND (name, id) > key" for a query fixed to key's group.
	{
		if (dialect.rowValues())
		{
			sql << " AND (" + name + ", " + id + ") > (?, ?)";
			sql.text(k.name).integer(k.id);
			return;
		}
		sql << " AND (" + name + " > ? OR (" + name + " = ? AND " + id + " > ?))";
		sql.text(k.name).text(k.name).integer(k.id);
	}
};

} // namespace ExternalContacts
