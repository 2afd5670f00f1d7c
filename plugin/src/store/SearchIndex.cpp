#include "store/SearchIndex.h"

#include "store/SearchText.h"
#include "store/SqlStatement.h"
#include <tuple>

namespace ExternalContacts
{

SearchIndex::Entry SearchIndex::Entry::of(const Contact& contact)
{
	Entry e;
	e.orgId = contact.orgId;
	e.id = contact.id;
	e.name = contact.name;
	e.email = contact.email;
	e.mobile = contact.mobile;
	e.company = contact.company;
	e.source = toString(contact.source);
	return e;
}

SearchIndex::SearchIndex(Database& database) : _database(database), _dialect(database.dialect()) {}

void SearchIndex::added(Poco::Data::Session& session, const Entry& entry)
{
	lockOrg(session, entry.orgId);
	insertTokens(session, entry, SearchText::tokens(entry.name, entry.email, entry.mobile));
	count(session, entry, +1);
}

void SearchIndex::removed(Poco::Data::Session& session, const Entry& entry)
{
	lockOrg(session, entry.orgId);
	deleteTokens(session, entry, SearchText::tokens(entry.name, entry.email, entry.mobile));
	count(session, entry, -1);
}

void SearchIndex::changed(Poco::Data::Session& session, const Entry& before, const Entry& after)
{
	SortKey was = SortKey::forContact(before.company.value_or(std::string()), before.name, before.id);
	SortKey is = SortKey::forContact(after.company.value_or(std::string()), after.name, after.id);
	std::set<std::string> gone = SearchText::tokens(before.name, before.email, before.mobile);
	std::set<std::string> came = SearchText::tokens(after.name, after.email, after.mobile);
	if (was == is)
	{
		// Same key: only the tokens that came or went. Every row carries
		// the key, so when it changes all of them move.
		std::set<std::string> old;
		old.swap(gone);
		for (const std::string& t : old)
			if (!came.erase(t)) gone.insert(t);
	}
	bool moved = was.groupRank != is.groupRank || was.groupName != is.groupName;
	if (gone.empty() && came.empty() && !moved) return; // e.g. permissions, title: nothing indexed changed
	lockOrg(session, after.orgId);
	deleteTokens(session, before, gone);
	insertTokens(session, after, came);
	if (moved)
	{
		// Two counters in key order, so two edits between the same groups
		// lock them in the same order (no deadlock on MySQL).
		if (std::tie(was.groupRank, was.groupName) < std::tie(is.groupRank, is.groupName))
		{
			count(session, before, -1);
			count(session, after, +1);
		}
		else
		{
			count(session, after, +1);
			count(session, before, -1);
		}
	}
}

void SearchIndex::lockOrg(Poco::Data::Session& session, Poco::Int64 orgId)
{
	// MySQL: the index rows of different contacts share B-tree gaps, and
	// InnoDB's next-key locks on them let two concurrent edits deadlock.
	// One row lock per org, taken before any index row, serializes the
	// index writes of an org (each a few statements; contact rows are
	// locked before, per contact). SQLite's write transaction already does.
	if (!_dialect.locksRows()) return;
	SqlStatement sql;
	sql << "INSERT INTO ec_search_locks (org_id) VALUES (?)" << _dialect.onConflictUpdate("org_id", "org_id = org_id");
	sql.integer(orgId);
	sql.execute(_database, session);
}

void SearchIndex::insertTokens(Poco::Data::Session& session, const Entry& entry, const std::set<std::string>& tokens)
{
	if (tokens.empty()) return;
	SortKey key = SortKey::forContact(entry.company.value_or(std::string()), entry.name, entry.id);
	SqlStatement sql;
	sql << "INSERT INTO ec_contact_search (org_id, token, group_rank, group_name, name, contact_id) VALUES ";
	bool first = true;
	for (const std::string& token : tokens)
	{
		sql << (first ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
		sql.integer(entry.orgId)
			.text(token)
			.smallInteger(key.groupRank)
			.text(key.groupName)
			.text(key.name)
			.integer(entry.id);
		first = false;
	}
	sql.execute(_database, session);
}

void SearchIndex::deleteTokens(Poco::Data::Session& session, const Entry& entry, const std::set<std::string>& tokens)
{
	if (tokens.empty()) return;
	SortKey key = SortKey::forContact(entry.company.value_or(std::string()), entry.name, entry.id);
	SqlStatement sql;
	sql << "DELETE FROM ec_contact_search WHERE org_id = ? AND group_rank = ? AND group_name = ? AND name = ?"
		   " AND contact_id = ? AND token ";
	sql.integer(entry.orgId).smallInteger(key.groupRank).text(key.groupName).text(key.name).integer(entry.id);
	sql.in(tokens);
	sql.execute(_database, session);
}

void SearchIndex::count(Poco::Data::Session& session, const Entry& entry, int delta)
{
	SortKey key = SortKey::forContact(entry.company.value_or(std::string()), entry.name, entry.id);
	SqlStatement sql;
	if (delta < 0)
	{
		// The row exists while the contact is counted; never below zero.
		sql << "UPDATE ec_group_counts SET n = n - 1"
			   " WHERE org_id = ? AND group_rank = ? AND group_name = ? AND source = ? AND n > 0";
	}
	else
	{
		sql << "INSERT INTO ec_group_counts (org_id, group_rank, group_name, source, n) VALUES (?, ?, ?, ?, 1)"
			<< _dialect.onConflictUpdate("org_id, group_rank, group_name, source", "n = n + 1");
	}
	sql.integer(entry.orgId).smallInteger(key.groupRank).text(key.groupName).text(entry.source);
	sql.execute(_database, session);
}

} // namespace ExternalContacts
