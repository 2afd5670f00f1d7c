#pragma once

#include "domain/Contact.h"
#include "store/ContactListQuery.h"
#include "store/Database.h"
#include "store/GroupCount.h"
#include "store/SearchIndex.h"
#include "store/SqlDialect.h"
#include "store/SqlStatement.h"
#include <Poco/Data/Session.h>
#include <functional>
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
/// Every write of a contact (insert, update, softDelete) also writes its
/// search tokens and group counts (SearchIndex) in the same transaction;
/// a search (query.search) takes the index path of ContactSearch
/// (store/search/).
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

	explicit ContactStore(Database& database);
	/// database gives the dialect and the id of an inserted row; the
	/// sessions come from the caller.

	Poco::Int64 insert(Poco::Data::Session& session, const Contact& contact);
	/// Stores contact (its id is ignored) and returns the new id. Must run
	/// in a write transaction (it also writes the search index).

	bool update(Poco::Data::Session& session, const Contact& contact, Poco::Int64 expectedVersion);
	/// Writes every stored field of contact (entered fields, security
	/// level, version, updatedAt) in one conditional UPDATE, only if the
	/// row is still at expectedVersion and not deleted. False when it is
	/// not (someone else changed or deleted it first): nothing changed.
	/// Must run in a write transaction: the row is read under its lock
	/// first, so the search index gets exactly the difference.

	std::vector<Poco::Int64> withSameKey(Poco::Data::Session& session, Poco::Int64 orgId, const std::string& column,
										 const std::string& key, Poco::Int64 excludeId, std::size_t limit);
	/// Ids of the org's live contacts (other than excludeId) whose column
	/// ("mobile_key" or "email_key") equals key, ascending, at most limit.

	bool softDelete(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id, Poco::Int64 at);
	/// Marks the contact deleted at `at` (ms) and bumps its version; false
	/// when it does not exist or was already deleted. Must run in a write
	/// transaction (it also writes the search index).

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

	std::optional<WeChatIdentity> wechatOf(Poco::Data::Session& session, Poco::Int64 contactId);
	/// The WeChat identity bound to the contact (ec_contact_wechat), if any.
	/// The members the contact's external user may see, ascending.

	bool isSharedWith(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 memberId);

	std::vector<Contact> list(Poco::Data::Session& session, Branch branch, const ContactListQuery& query);
	/// Up to query.limit contacts of branch after query.after, in SortKey
	/// order; with query.search, only those SearchText::matches().

	std::vector<GroupCount> groups(Poco::Data::Session& session, Branch branch, const ContactListQuery& query);
	/// The groups of branch with their counts, in SortKey order
	/// (query.after and query.limit are ignored). Without a search, the
	/// whole org (Org) and one group (Group) are read from the kept counts.

	// The statements the methods above run, built and not run: the search
	// path composes them, and the plan tests explain them
	// (tests/integration/plugin/QueryPlans.h). A search page runs several,
	// chosen at run time: see ContactSearch::statements().

	using Filter = std::function<void(SqlStatement&)>;
	/// Appends conditions on the row (alias c) to a list statement.

	SqlStatement listSql(Branch branch, const ContactListQuery& query, const Filter& filter = Filter()) const;
	/// The statement of list() without a search; filter narrows it.

	SqlStatement groupsSql(Branch branch, const ContactListQuery& query) const;
	/// The statement of groups() without a search.

	SqlStatement countsSql(Branch branch, const ContactListQuery& query) const;
	/// The kept counts (ec_group_counts) of the whole org (Org) or of one
	/// group (Group): group_rank, group_name, count.

	SqlStatement withSameKeySql(Poco::Int64 orgId, const std::string& column, const std::string& key,
								Poco::Int64 excludeId, std::size_t limit) const;
	/// The statement of withSameKey().

	SqlDialect dialect() const
	{
		return _dialect;
	}

	Database& database() const
	{
		return _database;
	}

private:
	void appendFrom(SqlStatement& sql, Branch branch, const ContactListQuery& query, const Filter& filter) const;
	struct Stored;
	std::optional<Stored> lockLive(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id,
								   std::optional<Poco::Int64> version);

	Database& _database;
	SqlDialect _dialect;
	SearchIndex _index;
};

} // namespace ExternalContacts
