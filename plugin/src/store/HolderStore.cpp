#include "store/HolderStore.h"

#include "store/SqlStatement.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

HolderStore::HolderStore(SqlDialect dialect) : _dialect(dialect) {}

std::vector<Poco::Int64> HolderStore::lockHeld(Poco::Data::Session& session, const std::vector<Poco::Int64>& contactIds,
											   Poco::Int64 holder)
{
	std::vector<Poco::Int64> held;
	if (contactIds.empty()) return held;
	Poco::Data::Statement select(session);
	select << "SELECT id FROM ec_contacts WHERE id IN (" << SqlStatement::placeholders(contactIds.size())
		   << ") AND added_by = ? AND deleted_at IS NULL ORDER BY id" << _dialect.forUpdate();
	for (const Poco::Int64& id : contactIds)
		select, useRef(id);
	select, use(holder), into(held);
	select.execute();
	return held;
}

std::map<Poco::Int64, std::vector<Poco::Int64>> HolderStore::visibleMembers(Poco::Data::Session& session,
																			const std::vector<Poco::Int64>& contactIds)
{
	std::map<Poco::Int64, std::vector<Poco::Int64>> members;
	if (contactIds.empty()) return members;
	Poco::Data::Statement select(session);
	select << "SELECT contact_id, member_id FROM ec_contact_visible_members WHERE contact_id IN ("
		   << SqlStatement::placeholders(contactIds.size()) << ") ORDER BY contact_id, member_id";
	for (const Poco::Int64& id : contactIds)
		select, useRef(id);
	select.execute();
	Poco::Data::RecordSet rows(select);
	for (std::size_t row = 0; row < rows.rowCount(); ++row)
		members[rows.value(0, row).convert<Poco::Int64>()].push_back(rows.value(1, row).convert<Poco::Int64>());
	return members;
}

void HolderStore::reassign(Poco::Data::Session& session, const std::vector<Poco::Int64>& contactIds, Poco::Int64 from,
						   Poco::Int64 to, Poco::Int64 at)
{
	if (contactIds.empty()) return;
	Poco::Data::Statement update(session);
	update << "UPDATE ec_contacts SET added_by = ?, version = version + 1, updated_at = ? WHERE id IN ("
		   << SqlStatement::placeholders(contactIds.size()) << ") AND added_by = ? AND deleted_at IS NULL",
		use(to), use(at);
	for (const Poco::Int64& id : contactIds)
		update, useRef(id);
	update, use(from);
	update.execute();
}

void HolderStore::replaceVisible(Poco::Data::Session& session, const std::vector<Poco::Int64>& contactIds,
								 Poco::Int64 from, const std::vector<Poco::Int64>& addTo, Poco::Int64 to)
{
	if (!contactIds.empty())
	{
		Poco::Data::Statement remove(session);
		remove << "DELETE FROM ec_contact_visible_members WHERE member_id = ? AND contact_id IN ("
			   << SqlStatement::placeholders(contactIds.size()) << ")",
			use(from);
		for (const Poco::Int64& id : contactIds)
			remove, useRef(id);
		remove.execute();
	}
	if (!addTo.empty())
	{
		Poco::Data::Statement insert(session);
		insert << "INSERT INTO ec_contact_visible_members (contact_id, member_id) VALUES ";
		for (std::size_t i = 0; i < addTo.size(); ++i)
		{
			insert << (i == 0 ? "(?, ?)" : ", (?, ?)");
			insert, useRef(addTo[i]), use(to);
		}
		insert.execute();
	}
}

} // namespace ExternalContacts
