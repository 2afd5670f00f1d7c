#pragma once

#include "domain/Contact.h"
#include "store/ContactListQuery.h"
#include "store/Database.h"
#include "store/GroupCount.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactStore
/// Contacts, their visible members and share lists in the database.
/// Every method works in the session it is given, so the service decides
/// the transaction. Lists are keyset pages in SortKey order, each served
/// by an index (see the migration): no OFFSET, no sort of the org's rows.
{
public:
	enum class Branch
	/// Which contacts a list or a group count reads.
	{
		AddedBy,    /// added by the viewer (ix_ec_contacts_adder)
		SharedWith, /// shared with the viewer and added by someone else (ix_ec_contact_shares_member)
		Org,        /// every contact of the org (ix_ec_contacts_org)
		Group       /// one group of the org, query.groupRank/groupName; query.after must lie in it (ix_ec_contacts_org)
	};

	explicit ContactStore(Database::Dialect dialect);

	Poco::Int64 insert(Poco::Data::Session& session, const Contact& contact);
	/// Stores contact (its id is ignored) and returns the new id.

	bool update(Poco::Data::Session& session, const Contact& contact, Poco::Int64 expectedVersion);
	/// Writes every stored field of contact (entered fields, security
	/// level, version, updatedAt) in one conditional UPDATE, only if the
	/// row is still at expectedVersion and not deleted. False when it is
	/// not (someone else changed or deleted it first): nothing changed.

	std::vector<Poco::Int64> withSameKey(Poco::Data::Session& session, Poco::Int64 orgId, const std::string& column,
										 const std::string& key, Poco::Int64 excludeId, std::size_t limit);
	/// Ids of the org's live contacts (other than excludeId) whose column
	/// ("mobile_key" or "email_key") equals key, ascending, at most limit.

	bool softDelete(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id, Poco::Int64 at);
	/// Marks the contact deleted at `at` (ms) and bumps its version; false
	/// when it does not exist or was already deleted.

	void addVisibleMembers(Poco::Data::Session& session, Poco::Int64 contactId,
						   const std::vector<Poco::Int64>& memberIds);

	void replaceVisibleMembers(Poco::Data::Session& session, Poco::Int64 contactId,
							   const std::vector<Poco::Int64>& memberIds);
	/// Makes memberIds the contact's visible members.

	std::vector<Poco::Int64> shareMembers(Poco::Data::Session& session, Poco::Int64 contactId);
	/// The members the contact is shared with, ascending.

	void replaceShares(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
					   const std::vector<Poco::Int64>& memberIds, Poco::Int64 sharedBy, Poco::Int64 at);
	/// Makes memberIds the share list: rows of members who stay are kept
	/// (with who shared and when), the others are deleted, new ones added.

	std::optional<Contact> findById(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id);
	/// The contact with id in org, unless it does not exist, belongs to
	/// another org or was deleted. visibleMembers is left empty.

	std::vector<Poco::Int64> visibleMembers(Poco::Data::Session& session, Poco::Int64 contactId);
	/// The members the contact's external user may see, ascending.

	bool isSharedWith(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 memberId);

	std::vector<Contact> list(Poco::Data::Session& session, Branch branch, const ContactListQuery& query);
	/// Up to query.limit contacts of branch after query.after, in SortKey order.

	std::vector<GroupCount> groups(Poco::Data::Session& session, Branch branch, const ContactListQuery& query);
	/// The groups of branch with their counts, in SortKey order
	/// (query.after and query.limit are ignored).

	std::vector<std::string> listPlanForTest(Poco::Data::Session& session, Branch branch,
											 const ContactListQuery& query);
	/// The database's plan for list(), one line per step: SQLite's
	/// EXPLAIN QUERY PLAN detail, or MySQL's EXPLAIN as
	/// "table=… type=… key=… Extra=…".

	std::vector<std::string> groupsPlanForTest(Poco::Data::Session& session, Branch branch,
											   const ContactListQuery& query);
	/// The plan for groups(), as listPlanForTest().

private:
	class Sql;

	Sql listSql(Branch branch, const ContactListQuery& query) const;
	Sql groupsSql(Branch branch, const ContactListQuery& query) const;
	std::string indexHint(const std::string& index) const;
	void appendFrom(Sql& sql, Branch branch, const ContactListQuery& query) const;
	std::vector<std::string> plan(Poco::Data::Session& session, const Sql& sql) const;

	Database::Dialect _dialect;
};

} // namespace ExternalContacts
