#include "store/ContactPersonStore.h"

#include "store/SqlValue.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

ContactPerson ContactPersonStore::personOf(Poco::Data::Session& session, Poco::Int64 contactId) const
{
	ContactPerson person;
	{
		Poco::Data::Statement statement(session);
		statement << "SELECT user_id, status FROM ec_contact_accounts WHERE contact_id = ?", use(contactId);
		statement.execute();
		Poco::Data::RecordSet rows(statement);
		if (rows.rowCount() > 0)
		{
			ContactPerson::Account account;
			if (!rows.value(0, 0).isEmpty()) account.userId = rows.value(0, 0).convert<Poco::Int64>();
			account.status = rows.value(1, 0).convert<std::string>();
			person.account = account;
		}
	}
	std::vector<Poco::Int64> linked;
	session << "SELECT user_id FROM ec_contact_links WHERE contact_id = ?", use(contactId), into(linked), now;
	if (!linked.empty()) person.linkedUserId = linked.front();
	return person;
}

std::vector<Poco::Int64> ContactPersonStore::contactsOfUser(Poco::Data::Session& session, Poco::Int64 orgId,
															Poco::Int64 userId) const
{
	std::vector<Poco::Int64> byAccount, byLink;
	session << "SELECT contact_id FROM ec_contact_accounts WHERE user_id = ? AND org_id = ?", use(userId), use(orgId),
		into(byAccount), now;
	session << "SELECT contact_id FROM ec_contact_links WHERE org_id = ? AND user_id = ?", use(orgId), use(userId),
		into(byLink), now;
	byAccount.insert(byAccount.end(), byLink.begin(), byLink.end());
	std::sort(byAccount.begin(), byAccount.end());
	byAccount.erase(std::unique(byAccount.begin(), byAccount.end()), byAccount.end());
	return byAccount;
}

} // namespace ExternalContacts
