#pragma once

#include "domain/Contact.h"
#include "store/Database.h"
#include "store/SqlStatement.h"
#include <Poco/Data/Session.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactRows
/// How ec_contacts rows are read: the column list (table alias c) and the
/// typed extraction of a result that selected it, straight into Contact
/// (through Database::query(): the statement kept prepared on the
/// connection, no RecordSet, no Dynamic::Var per value).
{
public:
	static const std::string COLUMNS;

	static std::vector<Contact> read(Database& database, Poco::Data::Session& session, const SqlStatement& sql);
	/// Runs sql, which selects COLUMNS first, and decodes every row.

	static Contact decode(const HostSdk::SqlDatabase::Row& row);
	/// One row of COLUMNS, in that order. Poco::DataFormatException when
	/// a column that may not be NULL is, or the source is unknown.
};

} // namespace ExternalContacts
