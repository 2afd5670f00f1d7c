#pragma once

#include "domain/Contact.h"
#include "store/Database.h"
#include "store/SqlDialect.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <set>
#include <string>

namespace ExternalContacts
{

class SearchIndex
/// Keeps the search tokens (ec_contact_search) and the group counts
/// (ec_group_counts) of migration 004 in step with ec_contacts. ContactStore
/// calls it in the transaction that writes the contact, after the contact's
/// row is written (so under its row lock): a contact is indexed exactly
/// while it is live. Neither table depends on added_by, so handing a
/// contact over to another member (which changes only added_by) needs no
/// call here.
{
public:
	struct Entry
	/// What the index derives from a live contact.
	{
		Poco::Int64 orgId = 0;
		Poco::Int64 id = 0;
		std::string name;
		std::optional<std::string> email;
		std::optional<std::string> mobile;
		std::optional<std::string> company;
		std::string source; /// as stored ("created", …)

		static Entry of(const Contact& contact);
	};

	explicit SearchIndex(Database& database);

	void added(Poco::Data::Session& session, const Entry& entry);
	/// The contact became live (created): its tokens, its group counts one more.

	void removed(Poco::Data::Session& session, const Entry& entry);
	/// The contact stopped being live (deleted): the reverse of added().

	void changed(Poco::Data::Session& session, const Entry& before, const Entry& after);
	/// The contact's fields changed from before to after (same id and org;
	/// source does not change): writes only the difference.

private:
	void lockOrg(Poco::Data::Session& session, Poco::Int64 orgId);
	void insertTokens(Poco::Data::Session& session, const Entry& entry, const std::set<std::string>& tokens);
	void deleteTokens(Poco::Data::Session& session, const Entry& entry, const std::set<std::string>& tokens);
	void count(Poco::Data::Session& session, const Entry& entry, int delta);

	Database& _database;
	SqlDialect _dialect;
};

} // namespace ExternalContacts
