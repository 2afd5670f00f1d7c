#pragma once

#include "domain/Contact.h"
#include "domain/JsonWriter.h"
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactSnapshot
/// The one place that names a contact's fields in JSON, for the API
/// answers and for the audit log's before/after snapshots. Absent
/// optional fields are written as null; times are ms since the epoch.
/// The fields are written into an object the caller has started.
{
public:
	static void writeSummaryFields(JsonWriter& out, const Contact& contact);
	/// id, name, mobile, email, company, title, department, source,
	/// createdAt, version.

	static void writeDetailFields(JsonWriter& out, const Contact& contact);
	/// address, remark, tags, securityLevel, updatedAt.

	static std::string toAuditJson(const Contact& contact);
	/// Every stored field, people as ids: summary and detail fields plus
	/// orgId, addedBy and visibleMembers.

	static std::string tagsToJson(const std::vector<std::string>& tags);
	/// The stored form of ec_contacts.tags: a JSON array of strings.

	static std::vector<std::string> tagsFromJson(const std::string& json);
	/// Reads ec_contacts.tags: the stored form quickly, any other JSON
	/// array of strings through POCO's parser (rows written before);
	/// Poco::DataFormatException (or a JSON exception) for anything else.

	static std::string membersJson(const std::string& name, const std::vector<Poco::Int64>& ids);
	/// {"<name>":[ids]}: the audit snapshot of a list of members.
};

} // namespace ExternalContacts
