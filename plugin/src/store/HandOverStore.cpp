#include "store/HandOverStore.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

std::vector<HandOverStore::Held> HandOverStore::addedBy(Poco::Data::Session& session, Poco::Int64 orgId,
														Poco::Int64 memberId, const std::optional<std::string>& group,
														std::size_t limit)
{
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	Poco::Data::Statement statement(session);
	if (group)
	{
		// 未分组 is group_name '' with group_rank 1, every named group rank 0.
		int rank = group->empty() ? 1 : 0;
		statement << "SELECT id, group_name FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL"
					 " AND group_rank = ? AND group_name = ? ORDER BY name, id LIMIT ?",
			use(orgId), use(memberId), use(rank), useRef(*group), use(rowsMax);
	}
	else
	{
		statement << "SELECT id, group_name FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL"
					 " ORDER BY group_rank, group_name, name, id LIMIT ?",
			use(orgId), use(memberId), use(rowsMax);
	}
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::vector<Held> held;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		held.push_back({rows.value(0, row).convert<Poco::Int64>(), rows.value(1, row).convert<std::string>()});
	return held;
}

Poco::Int64 HandOverStore::countAddedBy(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 memberId)
{
	Poco::Int64 count = 0;
	session << "SELECT COUNT(*) FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL", use(orgId),
		use(memberId), into(count), now;
	return count;
}

std::vector<std::pair<std::string, Poco::Int64>> HandOverStore::countByGroup(Poco::Data::Session& session,
																			 Poco::Int64 orgId, Poco::Int64 memberId)
{
	Poco::Data::Statement statement(session);
	statement << "SELECT group_name, COUNT(*) FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL"
				 " GROUP BY group_rank, group_name ORDER BY group_rank, group_name",
		use(orgId), use(memberId);
	statement.execute();
	Poco::Data::RecordSet rows(statement);
	std::vector<std::pair<std::string, Poco::Int64>> counts;
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		counts.emplace_back(rows.value(0, row).convert<std::string>(), rows.value(1, row).convert<Poco::Int64>());
	return counts;
}

std::vector<Poco::Int64> HandOverStore::sharedWith(Poco::Data::Session& session, Poco::Int64 orgId,
												   Poco::Int64 memberId, std::size_t limit)
{
	Poco::Int64 rowsMax = static_cast<Poco::Int64>(limit);
	std::vector<Poco::Int64> ids;
	session
		<< "SELECT contact_id FROM ec_contact_shares WHERE member_id = ? AND org_id = ? ORDER BY contact_id LIMIT ?",
		use(memberId), use(orgId), use(rowsMax), into(ids), now;
	return ids;
}

void HandOverStore::unshare(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 memberId)
{
	session << "DELETE FROM ec_contact_shares WHERE contact_id = ? AND member_id = ?", use(contactId), use(memberId),
		now;
}

} // namespace ExternalContacts
