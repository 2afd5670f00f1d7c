#pragma once

#include "domain/Contact.h"
#include <Poco/Data/RecordSet.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactRows
/// How ec_contacts rows are read: the column list (table alias c) and the
/// decoding of one row of a result that selected it.
{
public:
	static const std::string COLUMNS;

	static Contact at(const Poco::Data::RecordSet& rows, std::size_t row);

	static std::vector<Contact> all(const Poco::Data::RecordSet& rows);

	static std::string tagsToJson(const std::vector<std::string>& tags);
};

} // namespace ExternalContacts
