#include "store/ContactStore.h"
#include "PluginBackend.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace ExternalContacts;

namespace
{

constexpr Poco::Int64 VIEWER = 1;
constexpr int MEMBERS = 40;
constexpr int CONTACTS_PER_MEMBER = 60;

// Enough rows, spread over members, companies and two orgs, that a
// planner would rather sort than walk an index if the index did not fit.
void fill(PluginBackend& b)
{
	ContactStore store(b.database().dialect());
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
	if (b.name() == "sqlite")
		b.execute("ANALYZE");
	else
		b.execute("ANALYZE TABLE ec_contacts, ec_contact_shares");
}

ContactListQuery query(bool withCursor, bool filtered)
{
	ContactListQuery q;
	q.orgId = PluginBackend::ORG;
	q.viewerId = VIEWER;
	q.limit = 51;
	if (withCursor) q.after = SortKey::forContact("Company 3", "Name 40", 1234);
	if (filtered)
	{
		q.source = ContactSource::Created;
		q.search = "name";
	}
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

// Every variant of a list page of branch (first page or after a cursor,
// with or without filters) is served by index.
void assertListPlans(PluginBackend& b, ContactStore::Branch branch, const std::string& index)
{
	fill(b);
	ContactStore store(b.database().dialect());
	Poco::Data::Session s = b.database().session();
	for (bool cursor : {false, true})
		for (bool filtered : {false, true})
			assertServedByIndex(b, store.listPlanForTest(s, branch, query(cursor, filtered)), index, cursor);
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
				ContactStore store(b.database().dialect());
				Poco::Data::Session s = b.database().session();
				for (bool cursor : {false, true})
				{
					// The viewer's share rows come first, from their index; each
					// contact is then fetched by primary key. Sorting this small
					// set is expected.
					std::vector<std::string> plan =
						store.listPlanForTest(s, ContactStore::Branch::SharedWith, query(cursor, false));
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
				ContactStore store(b.database().dialect());
				Poco::Data::Session s = b.database().session();
				assertServedByIndex(b, store.groupsPlanForTest(s, ContactStore::Branch::AddedBy, query(false, false)),
									"ix_ec_contacts_adder");
				assertServedByIndex(b, store.groupsPlanForTest(s, ContactStore::Branch::Org, query(false, false)),
									"ix_ec_contacts_org");
				std::vector<std::string> shared =
					store.groupsPlanForTest(s, ContactStore::Branch::SharedWith, query(false, false));
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
				ContactStore store(b.database().dialect());
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
							std::vector<std::string> plan = store.listPlanForTest(s, ContactStore::Branch::Group, q);
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
					assertServedByIndex(b, store.groupsPlanForTest(s, ContactStore::Branch::Group, q),
										"ix_ec_contacts_org");
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
				ContactStore store(b.database().dialect());
				Poco::Data::Session s = b.database().session();
				CPPUNIT_ASSERT(store.findById(s, PluginBackend::ORG, id));
				CPPUNIT_ASSERT(!store.findById(s, PluginBackend::OTHER_ORG, id));
				CPPUNIT_ASSERT(!store.findById(s, PluginBackend::ORG, id + 1));
				b.execute("UPDATE ec_contacts SET deleted_at = 5 WHERE id = " + std::to_string(id));
				CPPUNIT_ASSERT(!store.findById(s, PluginBackend::ORG, id));
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactStoreTest);
