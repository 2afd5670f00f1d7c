#pragma once

#include "domain/Contact.h"
#include "store/SqlStatement.h"
#include <Poco/Data/Session.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactRows
/// How ec_contacts rows are read: the column list (table alias c) and the
/// typed extraction of a result that selected it, straight into Contact
/// (a Poco::Data TypeHandler: no RecordSet, no Dynamic::Var per value).
{
public:
	static const std::string COLUMNS;

	static std::vector<Contact> read(Poco::Data::Session& session, const SqlStatement& sql);
	/// Runs sql, which selects COLUMNS first, and decodes every row.
};

} // namespace ExternalContacts
