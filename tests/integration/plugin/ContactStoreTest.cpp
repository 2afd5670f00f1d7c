#include "store/ContactStore.h"
#include "PluginBackend.h"
#include "QueryPlans.h"
#include "store/AuditStore.h"
#include "store/SqlStatement.h"

#include <cppunit/extensions/HelperMacros.h>
#include <set>

using namespace ExternalContacts;

namespace
{

constexpr Poco::Int64 VIEWER = 1;
constexpr int MEMBERS = 40;
constexpr int CONTACTS_PER_MEMBER = 60;

void analyze(PluginBackend& b);

// Enough rows, spread over members, companies and two orgs, that a
// planner would rather sort than walk an index if the index did not fit.
void fill(PluginBackend& b)
{
	ContactStore store(b.database());
	b.database().write(
		[&](Poco::Data::Session& s)
		{
			for (int m = 1; m <= MEMBERS; ++m)
			{
				for (int i = 0; i < CONTACTS_PER_MEMBER; ++i)
				{
					Contact c;
					c.orgId = m % 10 == 0 ? PluginBackend::OTHER_ORG : PluginBackend::ORG;
					c.name = "Name " + std::to_string((i * 7919) % 97);
					if (i % 5 != 0) c.company = "Company " + std::to_string(i % 13);
					c.addedBy = m;
					c.createdAt = c.updatedAt = 1;
					Poco::Int64 id = store.insert(s, c);
					if (m != VIEWER && i % 9 == 0)
					{
						Poco::Int64 viewer = VIEWER, org = c.orgId, by = m, at = 1;
						s << "INSERT INTO ec_contact_shares (contact_id, member_id, org_id, shared_by, created_at)"
							 " VALUES (?, ?, ?, ?, ?)",
							Poco::Data::Keywords::use(id), Poco::Data::Keywords::use(viewer),
							Poco::Data::Keywords::use(org), Poco::Data::Keywords::use(by),
							Poco::Data::Keywords::use(at), Poco::Data::Keywords::now;
					}
				}
			}
		});
	analyze(b);
}

void analyze(PluginBackend& b)
{
	if (b.name() == "sqlite")
		b.execute("ANALYZE");
	else
		b.execute("ANALYZE TABLE ec_contacts, ec_contact_shares, ec_contact_search, ec_group_counts, ec_audit");
}

ContactListQuery query(bool withCursor, bool filtered)
{
	ContactListQuery q;
	q.orgId = PluginBackend::ORG;
	q.viewerId = VIEWER;
	q.limit = 51;
	if (withCursor) q.after = SortKey::forContact("Company 3", "Name 40", 1234);
	if (filtered) q.source = ContactSource::Created;
	return q;
}

std::string joined(const std::vector<std::string>& plan)
{
	std::string text;
	for (const std::string& line : plan)
		text += "\n  " + line;
	return text;
}

bool mentions(const std::vector<std::string>& plan, const std::string& what)
{
	return joined(plan).find(what) != std::string::npos;
}

// The plan reads ec_contacts through index and never sorts or scans the
// table; after a cursor it starts at the cursor's key (an index range), not
// at the first row of the member or org.
void assertServedByIndex(PluginBackend& b, const std::vector<std::string>& plan, const std::string& index,
						 bool afterCursor = false)
{
	std::string text = "[" + b.name() + "] plan:" + joined(plan);
	CPPUNIT_ASSERT_MESSAGE(text, mentions(plan, index));
	if (afterCursor)
		CPPUNIT_ASSERT_MESSAGE(text,
							   mentions(plan, b.name() == "sqlite" ? "AND (group_rank,group_name,name" : "type=range"));
	if (b.name() == "sqlite")
	{
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "TEMP B-TREE"));
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "SCAN c"));
	}
	else
	{
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "filesort"));
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "temporary"));
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "key=NULL"));
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "type=ALL"));
	}
}

std::string joinedPlans(const std::vector<QueryPlans::Plan>& plans)
{
	std::string text;
	for (const QueryPlans::Plan& p : plans)
		text += "\n " + p.label + ":" + joined(p.lines);
	return text;
}

const QueryPlans::Plan* planOf(const std::vector<QueryPlans::Plan>& plans, const std::string& label)
{
	for (const QueryPlans::Plan& p : plans)
		if (p.label == label) return &p;
	return nullptr;
}

// A token stream: the token's primary-key range (from the cursor when there
// is one), each contact by its key, nothing sorted or scanned.
void assertTokenRange(PluginBackend& b, const std::vector<std::string>& plan, bool afterCursor, bool inGroup = false)
{
	std::string text = "[" + b.name() + "] plan:" + joined(plan);
	if (b.name() == "sqlite")
	{
		CPPUNIT_ASSERT_MESSAGE(text, mentions(plan, "SEARCH s USING PRIMARY KEY (org_id=? AND token=?"));
		if (inGroup)
			CPPUNIT_ASSERT_MESSAGE(
				text, mentions(plan, afterCursor ? "group_rank=? AND group_name=? AND (name,contact_id)>(?,?)"
												 : "group_rank=? AND group_name=?)"));
		else if (afterCursor)
			CPPUNIT_ASSERT_MESSAGE(text, mentions(plan, "(group_rank,group_name,name,contact_id)>(?,?,?,?)"));
		CPPUNIT_ASSERT_MESSAGE(text, mentions(plan, "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"));
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "TEMP B-TREE"));
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "SCAN"));
	}
	else
	{
		CPPUNIT_ASSERT_MESSAGE(text, plan.size() == 2);
		CPPUNIT_ASSERT_MESSAGE(text, plan[0].find("table=s") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(text, plan[0].find("key=PRIMARY") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(text, plan[0].find(afterCursor ? "type=range" : "type=ref") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(text, plan[1].find("table=c type=eq_ref key=PRIMARY") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "filesort"));
		CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "temporary"));
	}
}

// Every variant of a list page of branch (first page or after a cursor,
// with or without filters) is served by index.
void assertListPlans(PluginBackend& b, ContactStore::Branch branch, const std::string& index)
{
	fill(b);
	ContactStore store(b.database());
	Poco::Data::Session s = b.database().session();
	for (bool cursor : {false, true})
		for (bool filtered : {false, true})
			assertServedByIndex(b, QueryPlans::list(s, store, branch, query(cursor, filtered)), index, cursor);
}

} // namespace

class ContactStoreTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactStoreTest);
	CPPUNIT_TEST(testAddedByListWalksAdderIndexWithoutSorting);
	CPPUNIT_TEST(testOrgListWalksOrgIndexWithoutSorting);
	CPPUNIT_TEST(testSharedListStartsFromShareIndex);
	CPPUNIT_TEST(testGroupCountsAreServedByIndex);
	CPPUNIT_TEST(testGroupBranchIsOneIndexRangePerGroup);
	CPPUNIT_TEST(testFindByIdIsOrgScoped);
	CPPUNIT_TEST(testSearchWalksTokenRangesInListOrder);
	CPPUNIT_TEST(testSearchReadsMatchingGroupsByIndex);
	CPPUNIT_TEST(testSearchChecksOtherTermsByIndex);
	CPPUNIT_TEST(testSearchOfAHeavyMemberReadsTokensOrTheirGroups);
	CPPUNIT_TEST(testSearchOfALightMemberWalksTheirIndex);
	CPPUNIT_TEST(testDuplicateLookUpIsAnIndexRange);
	CPPUNIT_TEST(testHistoryLookUpIsAnIndexRange);
	CPPUNIT_TEST_SUITE_END();

public:
	void testAddedByListWalksAdderIndexWithoutSorting()
	{
		PluginBackend::forEach([](PluginBackend& b)
							   { assertListPlans(b, ContactStore::Branch::AddedBy, "ix_ec_contacts_adder"); });
	}

	void testOrgListWalksOrgIndexWithoutSorting()
	{
		PluginBackend::forEach([](PluginBackend& b)
							   { assertListPlans(b, ContactStore::Branch::Org, "ix_ec_contacts_org"); });
	}

	void testSharedListStartsFromShareIndex()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (bool cursor : {false, true})
				{
					// The viewer's share rows come first, from their index; each
					// contact is then fetched by primary key. Sorting this small
					// set is expected.
					std::vector<std::string> plan =
						QueryPlans::list(s, store, ContactStore::Branch::SharedWith, query(cursor, false));
					std::string text = "[" + b.name() + "] plan:" + joined(plan);
					CPPUNIT_ASSERT_MESSAGE(text, plan.size() >= 2);
					CPPUNIT_ASSERT_MESSAGE(text, plan[0].find("ix_ec_contact_shares_member") != std::string::npos);
					if (b.name() == "sqlite")
					{
						CPPUNIT_ASSERT_MESSAGE(text, mentions(plan, "SEARCH c USING INTEGER PRIMARY KEY"));
						CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "SCAN"));
					}
					else
					{
						CPPUNIT_ASSERT_MESSAGE(text, plan[1].find("table=c") != std::string::npos);
						CPPUNIT_ASSERT_MESSAGE(text, plan[1].find("key=PRIMARY") != std::string::npos);
						CPPUNIT_ASSERT_MESSAGE(text, !mentions(plan, "type=ALL"));
					}
				}
			});
	}

	void testGroupCountsAreServedByIndex()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				assertServedByIndex(b, QueryPlans::groups(s, store, ContactStore::Branch::AddedBy, query(false, false)),
									"ix_ec_contacts_adder");
				// The whole org's counts: the kept counts, one row per group and source.
				for (bool filtered : {false, true})
					assertServedByIndex(b,
										QueryPlans::groups(s, store, ContactStore::Branch::Org, query(false, filtered)),
										b.name() == "sqlite" ? "SEARCH g USING PRIMARY KEY (org_id=?)" : "key=PRIMARY");
				Poco::Int64 orgTotal = 0;
				for (const GroupCount& g : store.groups(s, ContactStore::Branch::Org, query(false, false)))
					orgTotal += g.count;
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(CONTACTS_PER_MEMBER * (MEMBERS - MEMBERS / 10)), orgTotal);
				std::vector<std::string> shared =
					QueryPlans::groups(s, store, ContactStore::Branch::SharedWith, query(false, false));
				CPPUNIT_ASSERT_MESSAGE(joined(shared),
									   shared.at(0).find("ix_ec_contact_shares_member") != std::string::npos);
				// Counts agree with the rows.
				std::vector<GroupCount> groups = store.groups(s, ContactStore::Branch::AddedBy, query(false, false));
				Poco::Int64 total = 0;
				for (const GroupCount& g : groups)
					total += g.count;
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(CONTACTS_PER_MEMBER), total);
				CPPUNIT_ASSERT_EQUAL(SortKey::GROUP_NONE, groups.back().groupRank);
			});
	}

	void testGroupBranchIsOneIndexRangePerGroup()
	{
		// A group maintainer's "all" reads one branch per maintained group:
		// equality on (org_id, deleted_at, group_rank, group_name) of the org
		// index, the cursor continuing on (name, id) inside the range.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (const SortKey& group : {SortKey::forContact("Company 3", "", 0), SortKey::forContact("", "", 0)})
				{
					for (bool cursor : {false, true})
						for (bool filtered : {false, true})
						{
							ContactListQuery q = query(false, filtered);
							q.groupRank = group.groupRank;
							q.groupName = group.groupName;
							if (cursor) q.after = SortKey::forContact(group.groupName, "Name 40", 1234);
							std::vector<std::string> plan = QueryPlans::list(s, store, ContactStore::Branch::Group, q);
							std::string text = "[" + b.name() + "] plan:" + joined(plan);
							assertServedByIndex(b, plan, "ix_ec_contacts_org");
							if (b.name() == "sqlite")
								CPPUNIT_ASSERT_MESSAGE(
									text, mentions(plan, cursor ? "group_rank=? AND group_name=? AND name>?"
																: "group_rank=? AND group_name=?"));
							else
								CPPUNIT_ASSERT_MESSAGE(text, mentions(plan, cursor ? "type=range" : "type=ref"));
						}
					ContactListQuery q = query(false, false);
					q.groupRank = group.groupRank;
					q.groupName = group.groupName;
					assertServedByIndex(b, QueryPlans::groups(s, store, ContactStore::Branch::Group, q),
										b.name() == "sqlite"
											? "SEARCH g USING PRIMARY KEY (org_id=? AND group_rank=? AND group_name=?)"
											: "key=PRIMARY");
					std::vector<GroupCount> counts = store.groups(s, ContactStore::Branch::Group, q);
					CPPUNIT_ASSERT_EQUAL(std::size_t(1), counts.size());
					CPPUNIT_ASSERT_EQUAL(group.groupName, counts[0].groupName);
				}
			});
	}

	void testFindByIdIsOrgScoped()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(1, "Zhang San", "Acme").contact.id;
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				CPPUNIT_ASSERT(store.findById(s, PluginBackend::ORG, id));
				CPPUNIT_ASSERT(!store.findById(s, PluginBackend::OTHER_ORG, id));
				CPPUNIT_ASSERT(!store.findById(s, PluginBackend::ORG, id + 1));
				b.execute("UPDATE ec_contacts SET deleted_at = 5 WHERE id = " + std::to_string(id));
				CPPUNIT_ASSERT(!store.findById(s, PluginBackend::ORG, id));
			});
	}

	void testSearchWalksTokenRangesInListOrder()
	{
		// q=name (a token of every contact): one primary-key range of
		// ec_contact_search per page, from the cursor on, each row joined to
		// its contact by key; no sort, whatever the token's size. Its group
		// counts read the token's index entries only.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (ContactStore::Branch branch : {ContactStore::Branch::Org, ContactStore::Branch::Group})
					for (bool cursor : {false, true})
						for (bool filtered : {false, true})
						{
							ContactListQuery q = query(cursor, filtered);
							q.search = "NAME";
							if (branch == ContactStore::Branch::Group)
							{
								q.groupRank = SortKey::GROUP_NAMED;
								q.groupName = "Company 3";
							}
							std::vector<QueryPlans::Plan> plans = QueryPlans::search(s, store, branch, q);
							std::string text = "[" + b.name() + "]" + joinedPlans(plans);
							const QueryPlans::Plan* token = planOf(plans, "token name");
							CPPUNIT_ASSERT_MESSAGE(text, token);
							assertTokenRange(b, token->lines, cursor, branch == ContactStore::Branch::Group);
							const QueryPlans::Plan* count = planOf(plans, "count tokens");
							CPPUNIT_ASSERT_MESSAGE(text, count);
							if (b.name() == "sqlite")
							{
								CPPUNIT_ASSERT_MESSAGE(
									text, mentions(count->lines, "SEARCH s USING PRIMARY KEY (org_id=? AND token=?"));
								CPPUNIT_ASSERT_MESSAGE(text, !mentions(count->lines, "TEMP B-TREE"));
							}
							else
							{
								CPPUNIT_ASSERT_MESSAGE(text, count->lines.at(0).find("table=s") != std::string::npos);
								CPPUNIT_ASSERT_MESSAGE(text,
													   count->lines.at(0).find("key=PRIMARY") != std::string::npos);
								CPPUNIT_ASSERT_MESSAGE(text, !mentions(count->lines, "filesort"));
								CPPUNIT_ASSERT_MESSAGE(text, !mentions(count->lines, "type=ALL"));
							}
							const QueryPlans::Plan* probe = planOf(plans, "probe name");
							CPPUNIT_ASSERT_MESSAGE(text, probe);
							CPPUNIT_ASSERT_MESSAGE(
								text, mentions(probe->lines, b.name() == "sqlite"
																 ? "SEARCH s USING PRIMARY KEY (org_id=? AND token=?"
																 : "key=PRIMARY"));
						}
			});
	}

	void testSearchReadsMatchingGroupsByIndex()
	{
		// q=company: every group's company holds it, so the page reads the
		// groups' ranges of the org index (several groups per statement), in
		// list order.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (bool cursor : {false, true})
					for (bool filtered : {false, true})
					{
						ContactListQuery q = query(cursor, filtered);
						q.search = "company";
						std::vector<QueryPlans::Plan> plans =
							QueryPlans::search(s, store, ContactStore::Branch::Org, q);
						std::string text = "[" + b.name() + "]" + joinedPlans(plans);
						std::size_t groupPlans = 0;
						for (const QueryPlans::Plan& p : plans)
						{
							if (p.label.rfind("groups", 0) != 0) continue;
							++groupPlans;
							assertServedByIndex(b, p.lines, "ix_ec_contacts_org");
							if (b.name() == "sqlite")
								CPPUNIT_ASSERT_MESSAGE(text, mentions(p.lines, "group_rank=? AND group_name=?"));
						}
						CPPUNIT_ASSERT_MESSAGE(text, groupPlans == (cursor ? 2u : 1u));
					}
			});
	}

	void testSearchChecksOtherTermsByIndex()
	{
		// q=name 4: the rows of the term with fewer candidates are read; the
		// other term is checked by a primary-key look-up of its token in the
		// row's own key range (no scan, no sort).
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (bool cursor : {false, true})
				{
					ContactListQuery q = query(cursor, false);
					q.search = "name 4";
					std::vector<QueryPlans::Plan> plans = QueryPlans::search(s, store, ContactStore::Branch::Org, q);
					std::string text = "[" + b.name() + "]" + joinedPlans(plans);
					const QueryPlans::Plan* token = planOf(plans, "token 4");
					CPPUNIT_ASSERT_MESSAGE(text, token);
					if (b.name() == "sqlite")
					{
						CPPUNIT_ASSERT_MESSAGE(
							text, mentions(token->lines, "SEARCH s USING PRIMARY KEY (org_id=? AND token=?"));
						CPPUNIT_ASSERT_MESSAGE(
							text, mentions(token->lines,
										   "SEARCH x USING PRIMARY KEY (org_id=? AND token=? AND group_rank=? AND "
										   "group_name=? AND name=? AND contact_id=?)"));
						CPPUNIT_ASSERT_MESSAGE(text, !mentions(token->lines, "TEMP B-TREE"));
						CPPUNIT_ASSERT_MESSAGE(text, !mentions(token->lines, "SCAN"));
					}
					else
					{
						CPPUNIT_ASSERT_MESSAGE(text, token->lines.at(0).find("table=s") != std::string::npos);
						CPPUNIT_ASSERT_MESSAGE(text, token->lines.at(0).find("key=PRIMARY") != std::string::npos);
						CPPUNIT_ASSERT_MESSAGE(text, mentions(token->lines, "table=x"));
						for (const std::string& line : token->lines)
							CPPUNIT_ASSERT_MESSAGE(text, line.find("key=PRIMARY") != std::string::npos);
						CPPUNIT_ASSERT_MESSAGE(text, !mentions(token->lines, "filesort"));
						CPPUNIT_ASSERT_MESSAGE(text, !mentions(token->lines, "type=ALL"));
					}
				}
			});
	}

	void testSearchOfAHeavyMemberReadsTokensOrTheirGroups()
	{
		// A member with more contacts than ContactSearch walks: the token's
		// range filtered by the adder (joined by key), and the matching
		// groups' ranges of the adder index; counts likewise.
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				b.database().write(
					[&](Poco::Data::Session& s)
					{
						for (int i = 0; i < 2100; ++i)
						{
							Contact c;
							c.orgId = PluginBackend::ORG;
							c.name = (i % 50 == 0 ? "Rare " : "Often ") + std::to_string(i);
							if (i % 3 == 0) c.company = "Company " + std::to_string(i % 13);
							c.addedBy = VIEWER;
							c.createdAt = c.updatedAt = 1;
							store.insert(s, c);
						}
					});
				analyze(b);
				Poco::Data::Session s = b.database().session();
				for (const char* q : {"rare", "company 3"})
					for (bool cursor : {false, true})
					{
						ContactListQuery lq = query(cursor, false);
						lq.search = q;
						std::vector<QueryPlans::Plan> plans =
							QueryPlans::search(s, store, ContactStore::Branch::AddedBy, lq);
						std::string text = "[" + b.name() + "] q=" + q + joinedPlans(plans);
						CPPUNIT_ASSERT_MESSAGE(text, !planOf(plans, "walk"));
						// "company 3": the term with fewer candidates is read.
						const QueryPlans::Plan* token = planOf(plans, q[0] == 'r' ? "token rare" : "token 3");
						CPPUNIT_ASSERT_MESSAGE(text, token);
						assertTokenRange(b, token->lines, cursor);
						for (const QueryPlans::Plan& p : plans)
							if (p.label.rfind("groups", 0) == 0 || p.label == "count groups")
								assertServedByIndex(b, p.lines, "ix_ec_contacts_adder");
					}
			});
	}

	void testSearchOfALightMemberWalksTheirIndex()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (bool cursor : {false, true})
				{
					ContactListQuery q = query(cursor, true);
					q.search = "name 4";
					std::vector<QueryPlans::Plan> plans =
						QueryPlans::search(s, store, ContactStore::Branch::AddedBy, q);
					CPPUNIT_ASSERT_EQUAL(std::size_t(1), plans.size());
					CPPUNIT_ASSERT_EQUAL(std::string("walk"), plans[0].label);
					assertServedByIndex(b, plans[0].lines, "ix_ec_contacts_adder", cursor);
					plans = QueryPlans::search(s, store, ContactStore::Branch::SharedWith, q);
					CPPUNIT_ASSERT_EQUAL(std::size_t(1), plans.size());
					CPPUNIT_ASSERT_MESSAGE(joined(plans[0].lines),
										   plans[0].lines.at(0).find("ix_ec_contact_shares_member") !=
											   std::string::npos);
				}
			});
	}

	void testDuplicateLookUpIsAnIndexRange()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				fill(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (const char* column : {"mobile_key", "email_key"})
				{
					std::vector<std::string> plan =
						QueryPlans::withSameKey(s, store, PluginBackend::ORG, column, "+8613800138000");
					std::string index = std::string("ix_ec_contacts_") + column;
					assertServedByIndex(b, plan, index);
					if (b.name() == "sqlite")
						CPPUNIT_ASSERT_MESSAGE(joined(plan),
											   mentions(plan, "(org_id=? AND " + std::string(column) + "=?"));
					else
						CPPUNIT_ASSERT_MESSAGE(joined(plan),
											   mentions(plan, "type=ref") || mentions(plan, "type=range"));
				}
			});
	}

	void testHistoryLookUpIsAnIndexRange()
	{
		// AuditStore::forContact's statement: the contact's entries, newest
		// first, from ix_ec_audit_contact (org_id, contact_id, id).
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				for (int i = 0; i < 30; ++i)
					b.create(1 + i % 3, "History " + std::to_string(i), "Acme");
				analyze(b);
				ContactStore store(b.database());
				Poco::Data::Session s = b.database().session();
				for (Poco::Int64 before : {Poco::Int64(9223372036854775807LL), Poco::Int64(20)})
				{
					SqlStatement sql =
						AuditStore::forContactSql(b.database().dialect(), PluginBackend::ORG, 7, before, 51);
					std::vector<std::string> plan = QueryPlans::explain(s, store.dialect(), sql);
					assertServedByIndex(b, plan, "ix_ec_audit_contact");
					if (b.name() == "sqlite")
						CPPUNIT_ASSERT_MESSAGE(joined(plan), mentions(plan, "(org_id=? AND contact_id=? AND id<?)"));
					else
						CPPUNIT_ASSERT_MESSAGE(joined(plan), mentions(plan, "type=range"));
				}
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactStoreTest);
