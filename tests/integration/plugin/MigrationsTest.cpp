#include "PluginBackend.h"

#include "MigrationRunner.h"
#include "TestEnv.h"
#include <cppunit/extensions/HelperMacros.h>

namespace
{

void assertRejected(PluginBackend& b, const std::string& sql)
{
	try
	{
		b.execute(sql);
	}
	catch (const Poco::Exception&)
	{
		return;
	}
	CPPUNIT_FAIL("[" + b.name() + "] the schema accepted: " + sql);
}

std::string contactRow(const std::string& securityLevel, const std::string& source, const std::string& groupRank)
{
	return "INSERT INTO ec_contacts (org_id, name, tags, source, added_by, security_level, group_rank, group_name,"
		   " version, created_at, updated_at) VALUES (1, 'x', '[]', '" +
		   source + "', 1, " + securityLevel + ", " + groupRank + ", '', 1, 1, 1)";
}

} // namespace

class MigrationsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(MigrationsTest);
	CPPUNIT_TEST(testMigrationsCreateThePluginTables);
	CPPUNIT_TEST(testMigrationsAreIdempotent);
	CPPUNIT_TEST(testSchemaAcceptsBoundaryValues);
	CPPUNIT_TEST(testSchemaRejectsOutOfRangeValues);
	CPPUNIT_TEST(testOneWeChatProposalPendingPerContact);
	CPPUNIT_TEST_SUITE_END();

public:
	void testMigrationsCreateThePluginTables()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				for (const char* table : {"ec_contacts", "ec_contact_visible_members", "ec_contact_shares", "ec_audit",
										  "ec_org_search_results", "ec_wechat_proposals"})
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count(table));
			});
	}

	void testMigrationsAreIdempotent()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(1, "Zhang San", "Acme");
				CPPUNIT_ASSERT_EQUAL(0, b.migrate());
				CPPUNIT_ASSERT_EQUAL(0, b.migrate());
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contacts"));
				Poco::Data::Session s = b.database().session();
				Poco::Int64 recorded = 0;
				s << "SELECT COUNT(*) FROM schema_migrations WHERE component = 'external-contacts'",
					Poco::Data::Keywords::into(recorded), Poco::Data::Keywords::now;
				RefHost::MigrationRunner runner(b.database(), TestEnv::sqlRoot());
				CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(runner.available("external-contacts").size()), recorded);
				CPPUNIT_ASSERT(recorded >= 2);
			});
	}

	void testSchemaAcceptsBoundaryValues()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.execute(contactRow("-999", "created", "1"));
				b.execute(contactRow("0", "wechat_invite", "0"));
				b.execute(contactRow("-1", "other_org", "1"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), b.count("ec_contacts"));
			});
	}

	void testSchemaRejectsOutOfRangeValues()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				assertRejected(b, contactRow("-1000", "created", "1"));
				assertRejected(b, contactRow("1", "created", "1"));
				assertRejected(b, contactRow("0", "invented", "1"));
				assertRejected(b, contactRow("0", "created", "2"));
				assertRejected(b, "INSERT INTO ec_contact_visible_members (contact_id, member_id) VALUES (999999, 1)");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), b.count("ec_contact_visible_members"));
			});
	}

	void testOneWeChatProposalPendingPerContact()
	{
		// Migration 010 (issue 14, finding 3): pending_contact is set exactly
		// while a proposal is pending, and unique, on both databases; openid
		// is required only while pending.
		auto proposal = [](const std::string& status, const std::string& pendingContact)
		{
			return "INSERT INTO ec_wechat_proposals (org_id, contact_id, invitation_id, inviter_id, openid, "
				   "proposed_at, "
				   "expires_at, status, pending_contact) VALUES (1, 7, 1, 1, 'o', 1, 2, '" +
				   status + "', " + pendingContact + ")";
		};
		PluginBackend::forEach(
			[&](PluginBackend& b)
			{
				b.execute(proposal("pending", "7"));
				b.execute(proposal("replaced", "NULL"));
				b.execute(proposal("confirmed", "NULL"));
				assertRejected(b, proposal("pending", "7"));
				assertRejected(b, proposal("pending", "NULL"));
				assertRejected(b, proposal("ignored", "8"));
				assertRejected(b, proposal("accepted", "NULL"));
				// Only a pending proposal holds the visitor's openid; a settled
				// one forgets it (review of issue 14, finding 3).
				b.execute("INSERT INTO ec_wechat_proposals (org_id, contact_id, invitation_id, inviter_id, openid, "
						  "proposed_at, expires_at, status, pending_contact) VALUES (1, 7, 1, 1, NULL, 1, 2, "
						  "'ignored', NULL)");
				assertRejected(b, "INSERT INTO ec_wechat_proposals (org_id, contact_id, invitation_id, inviter_id, "
								  "openid, proposed_at, expires_at, status, pending_contact) VALUES (1, 8, 1, 1, "
								  "NULL, 1, 2, 'pending', 8)");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), b.count("ec_wechat_proposals"));
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigrationsTest);
