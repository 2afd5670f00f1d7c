#pragma once

#include "domain/Contact.h"
#include <Poco/JSON/Object.h>
#include <string>

namespace ExternalContacts
{

class ContactSnapshot
/// The one place that names a contact's fields in JSON, for the API
/// answers and for the audit log's before/after snapshots. Absent
/// optional fields are written as null; times are ms since the epoch.
{
public:
	static void writeSummaryFields(Poco::JSON::Object& out, const Contact& contact);
	/// id, name, mobile, email, company, title, department, source,
	/// createdAt, version.

	static void writeDetailFields(Poco::JSON::Object& out, const Contact& contact);
	/// address, remark, tags, securityLevel, updatedAt.

	static std::string toAuditJson(const Contact& contact);
	/// Every stored field, people as ids: summary and detail fields plus
	/// orgId, addedBy and visibleMembers.

	static std::string membersJson(const std::string& name, const std::vector<Poco::Int64>& ids);
	/// {"<name>":[ids]}: the audit snapshot of a list of members.
};

} // namespace ExternalContacts
