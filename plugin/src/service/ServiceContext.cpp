#include "service/ServiceContext.h"

#include "domain/ContactSnapshot.h"
#include "domain/ValidationError.h"
#include <set>

namespace ExternalContacts
{

ServiceContext::ServiceContext(Database& database_, Directory& directory_) :
	database(database_), directory(directory_), access(database_, directory_), audit(database_)
{
}

std::vector<ContactView::Person> ServiceContext::people(const std::vector<Poco::Int64>& ids) const
{
	std::map<Poco::Int64, std::string> names;
	if (!ids.empty()) names = directory.displayNames(ids);
	std::vector<ContactView::Person> result;
	result.reserve(ids.size());
	for (Poco::Int64 id : ids)
		result.push_back(ContactView::Person::of(id, names));
	return result;
}

void ServiceContext::requireMembers(const Actor& actor, const std::vector<Poco::Int64>& ids,
									const std::string& field) const
{
	if (ids.empty()) return;
	std::set<Poco::Int64> members = directory.membersAmong(actor.orgId, ids);
	for (Poco::Int64 id : ids)
	{
		if (!members.count(id))
			throw ValidationError::failed(field, field + " holds " + std::to_string(id) +
													 ", which is not a member of this organization");
	}
}

AuditEntry ServiceContext::auditEntry(const Actor& actor, const Contact& contact, const std::string& action,
									  const std::string& remoteAddr, const Contact* before, const Contact* after) const
{
	AuditEntry entry = AuditEntry::of(contact.orgId, contact.id, actor.userId, action,
									  after ? after->updatedAt : directory.nowMs(), remoteAddr);
	if (before) entry.beforeJson = ContactSnapshot::toAuditJson(*before);
	if (after) entry.afterJson = ContactSnapshot::toAuditJson(*after);
	return entry;
}

} // namespace ExternalContacts
