// The org-wide audit log (R10, issue 13) on SQLite and MariaDB: ec_audit
// refuses UPDATE and DELETE in the database itself (migration 008), and
// AuditService pages it newest first under filters (actor, action,
// contact — deleted ones too —, period), each filter on its own index, for
// admins only, with a bounded export.
#include "Expect.h"
#include "PluginBackend.h"
#include "QueryPlans.h"

#include "domain/Exceptions.h"
#include "domain/ValidationError.h"
#include "service/AuditService.h"
#include "store/AuditStore.h"
#include <Poco/Data/Session.h>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <limits>
#include <set>

using namespace ExternalContacts;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 ALICE = 1;
constexpr Poco::Int64 BOB = 2;
constexpr Poco::Int64 CAROL = 3;

Actor admin()
{
	return PluginBackend::member(CAROL, PluginBackend::ORG, true);
}

// One row written as the plugin writes them, at a chosen time.
void append(PluginBackend& b, Poco::Int64 orgId, std::optional<Poco::Int64> contactId, Poco::Int64 actorId,
			const std::string& action, Poco::Int64 at)
{
	AuditEntry e;
	e.orgId = orgId;
	e.contactId = contactId;
	e.actorId = actorId;
	e.action = action;
	e.at = at;
	e.remoteAddr = "203.0.113.7";
	e.afterJson = R"({"n":)" + std::to_string(at) + "}";
	b.database().write([&](Poco::Data::Session& s) { b.context().audit.append(s, e); });
}

// Every entry that passes filter, through the pages of `size` rows.
std::vector<AuditService::Item> allPages(AuditService& audit, const AuditFilter& filter, std::size_t size)
{
	std::vector<AuditService::Item> all;
	std::string cursor;
	for (int guard = 0; guard < 1000; ++guard)
	{
		AuditService::Page page = audit.page(admin(), filter, cursor, size);
		all.insert(all.end(), page.items.begin(), page.items.end());
		if (page.nextCursor.empty()) return all;
		CPPUNIT_ASSERT_EQUAL(size, page.items.size());
		cursor = page.nextCursor;
	}
	CPPUNIT_FAIL("the pages never ended");
	return all;
}

void assertNewestFirst(const std::vector<AuditService::Item>& items)
{
	for (std::size_t i = 1; i < items.size(); ++i)
	{
		const AuditEntry& a = items[i - 1].row.entry;
		const AuditEntry& b = items[i].row.entry;
		CPPUNIT_ASSERT(a.at > b.at || (a.at == b.at && a.id > b.id));
	}
}

void assertField(const std::function<void()>& f, const std::string& field)
{
	ValidationError e = expectThrow<ValidationError>(f, field);
	CPPUNIT_ASSERT_EQUAL(field, e.field());
}

} // namespace

class AuditLogTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(AuditLogTest);
	CPPUNIT_TEST(testTheAuditTableIsAppendOnly);
	CPPUNIT_TEST(testTheOrgLogPagesNewestFirstUnderEachFilter);
	CPPUNIT_TEST(testDeletedContactsKeepTheirHistory);
	CPPUNIT_TEST(testOnlyAdminsReadTheLog);
	CPPUNIT_TEST(testBadFiltersAreNamed);
	CPPUNIT_TEST(testEachFilterPagesOnItsIndex);
	CPPUNIT_TEST(testTheExportIsBounded);
	CPPUNIT_TEST_SUITE_END();

public:
	void testTheAuditTableIsAppendOnly()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				b.create(ALICE, "Zhang");
				Poco::Int64 rows = b.count("ec_audit");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rows);
				// Whoever connects — the plugin's own pool here — cannot change or remove a row.
				for (const char* sql : {"UPDATE ec_audit SET action = 'contact.forged'", "DELETE FROM ec_audit",
										"UPDATE ec_audit SET before_json = NULL WHERE id > 0"})
				{
					bool refused = false;
					try
					{
						b.execute(sql);
					}
					catch (const Poco::Exception& e)
					{
						refused = e.displayText().find("append-only") != std::string::npos;
						CPPUNIT_ASSERT_MESSAGE(e.displayText(), refused);
					}
					CPPUNIT_ASSERT_MESSAGE(sql, refused);
				}
				CPPUNIT_ASSERT_EQUAL(rows, b.count("ec_audit"));
				Poco::Data::Session s = b.database().session();
				std::string action;
				s << "SELECT action FROM ec_audit", into(action), now;
				CPPUNIT_ASSERT_EQUAL(std::string("contact.create"), action);
				// Appending still works.
				append(b, PluginBackend::ORG, std::nullopt, ALICE, "invitation.create", 1000);
				CPPUNIT_ASSERT_EQUAL(rows + 1, b.count("ec_audit"));
			});
	}

	void testTheOrgLogPagesNewestFirstUnderEachFilter()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				AuditService audit(b.context());
				// 30 rows over three actors, two actions, two contacts and the system;
				// some share a time so the id breaks the tie.
				for (int i = 0; i < 30; ++i)
				{
					Poco::Int64 actor = i % 5 == 0 ? 0 : (i % 2 ? ALICE : BOB);
					std::optional<Poco::Int64> contact =
						i % 3 == 0 ? std::nullopt : std::optional<Poco::Int64>(i % 3 == 1 ? 101 : 102);
					append(b, PluginBackend::ORG, contact, actor, i % 4 ? "contact.update" : "invitation.create",
						   10000 + (i / 2) * 1000);
				}
				// Another org's rows never show.
				append(b, PluginBackend::OTHER_ORG, 101, ALICE, "contact.update", 99999999);

				std::vector<AuditService::Item> all = allPages(audit, AuditFilter(), 7);
				CPPUNIT_ASSERT_EQUAL(std::size_t(30), all.size());
				assertNewestFirst(all);
				std::set<Poco::Int64> distinct;
				for (const AuditService::Item& item : all)
				{
					distinct.insert(item.row.entry.id);
					CPPUNIT_ASSERT_EQUAL(PluginBackend::ORG, item.row.entry.orgId);
					CPPUNIT_ASSERT_EQUAL(item.row.entry.actorId, item.actor.id);
					if (item.row.entry.actorId == ALICE)
						CPPUNIT_ASSERT_EQUAL(std::string("Alice"), item.actor.displayName.value_or(""));
					if (item.row.entry.actorId == 0) CPPUNIT_ASSERT(!item.actor.displayName);
				}
				CPPUNIT_ASSERT_EQUAL(std::size_t(30), distinct.size());

				auto check = [&](const AuditFilter& filter, const std::function<bool(const AuditEntry&)>& passes)
				{
					std::size_t expected = 0;
					for (const AuditService::Item& item : all)
						if (passes(item.row.entry)) ++expected;
					CPPUNIT_ASSERT(expected > 0);
					std::vector<AuditService::Item> got = allPages(audit, filter, 4);
					CPPUNIT_ASSERT_EQUAL(expected, got.size());
					assertNewestFirst(got);
					for (const AuditService::Item& item : got)
						CPPUNIT_ASSERT(passes(item.row.entry));
				};
				AuditFilter byActor;
				byActor.actorId = BOB;
				check(byActor, [](const AuditEntry& e) { return e.actorId == BOB; });
				AuditFilter bySystem;
				bySystem.actorId = 0;
				check(bySystem, [](const AuditEntry& e) { return e.actorId == 0; });
				AuditFilter byAction;
				byAction.action = "invitation.create";
				check(byAction, [](const AuditEntry& e) { return e.action == "invitation.create"; });
				AuditFilter byContact;
				byContact.contactId = 102;
				check(byContact, [](const AuditEntry& e) { return e.contactId == Poco::Int64(102); });
				AuditFilter period;
				period.from = 13000;
				period.to = 20000;
				check(period, [](const AuditEntry& e) { return e.at >= 13000 && e.at < 20000; });
				AuditFilter combined;
				combined.actorId = ALICE;
				combined.action = "contact.update";
				combined.from = 12000;
				check(combined, [](const AuditEntry& e)
					  { return e.actorId == ALICE && e.action == "contact.update" && e.at >= 12000; });
				AuditFilter nothing;
				nothing.action = "orgrequest.cancel";
				AuditService::Page empty = audit.page(admin(), nothing, "", 10);
				CPPUNIT_ASSERT(empty.items.empty());
				CPPUNIT_ASSERT(empty.nextCursor.empty());
			});
	}

	void testDeletedContactsKeepTheirHistory()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				AuditService audit(b.context());
				Poco::Int64 gone = b.create(ALICE, "王小明").contact.id;
				Poco::Int64 kept = b.create(ALICE, "Kept").contact.id;
				b.service().remove(PluginBackend::member(ALICE), gone, "198.51.100.4");
				AuditFilter filter;
				filter.contactId = gone;
				AuditService::Page page = audit.page(admin(), filter, "", 10);
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), page.items.size());
				CPPUNIT_ASSERT_EQUAL(std::string("contact.delete"), page.items[0].row.entry.action);
				CPPUNIT_ASSERT_EQUAL(std::string("contact.create"), page.items[1].row.entry.action);
				for (const AuditService::Item& item : page.items)
				{
					CPPUNIT_ASSERT_EQUAL(std::string("王小明"), item.row.contactName);
					CPPUNIT_ASSERT(item.row.contactDeleted);
				}
				CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.4"), page.items[0].row.entry.remoteAddr);
				filter.contactId = kept;
				page = audit.page(admin(), filter, "", 10);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), page.items.size());
				CPPUNIT_ASSERT(!page.items[0].row.contactDeleted);
				CPPUNIT_ASSERT_EQUAL(std::string("Kept"), page.items[0].row.contactName);
				// A row about no contact has no name.
				append(b, PluginBackend::ORG, std::nullopt, ALICE, "invitation.revoke", 5);
				AuditFilter revokes;
				revokes.action = "invitation.revoke";
				page = audit.page(admin(), revokes, "", 10);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), page.items.size());
				CPPUNIT_ASSERT(!page.items[0].row.entry.contactId);
				CPPUNIT_ASSERT_EQUAL(std::string(), page.items[0].row.contactName);
			});
	}

	void testOnlyAdminsReadTheLog()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				AuditService audit(b.context());
				b.create(ALICE, "Zhang");
				expectThrow<AccessDeniedException>([&] { audit.page(PluginBackend::member(ALICE), {}, "", 10); },
												   "a member who is not an admin");
				expectThrow<AccessDeniedException>([&] { audit.page(PluginBackend::external(ALICE), {}, "", 10); },
												   "an external user");
				expectThrow<AccessDeniedException>(
					[&]
					{ audit.exportTo(PluginBackend::member(BOB), {}, [](const std::vector<AuditService::Item>&) {}); },
					"an export by a member");
				// An admin of another org sees that org's rows only: none here.
				Actor otherAdmin = PluginBackend::member(CAROL, PluginBackend::OTHER_ORG, true);
				CPPUNIT_ASSERT(audit.page(otherAdmin, {}, "", 10).items.empty());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), audit.page(admin(), {}, "", 10).items.size());
			});
	}

	void testBadFiltersAreNamed()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				AuditService audit(b.context());
				for (const char* action : {"Contact.update", "contact", "contact.update;", "contact..x", ".x", "a.b c",
										   "contact.update' OR 1=1"})
				{
					AuditFilter f;
					f.action = action;
					assertField([&] { audit.page(admin(), f, "", 10); }, "action");
				}
				AuditFilter longAction;
				longAction.action = "contact." + std::string(60, 'x');
				assertField([&] { audit.page(admin(), longAction, "", 10); }, "action");
				AuditFilter backwards;
				backwards.from = 2000;
				backwards.to = 2000;
				assertField([&] { audit.page(admin(), backwards, "", 10); }, "to");
				assertField([&] { audit.exportTo(admin(), backwards, [](const std::vector<AuditService::Item>&) {}); },
							"to");
				for (std::size_t limit : {std::size_t(0), AuditService::LIMIT_MAX + 1})
					assertField([&] { audit.page(admin(), {}, "", limit); }, "limit");
				for (const char* cursor :
					 {"x", "12", "12.", ".5", "12.0", "012.5", "1.2.3", "-1.5", "99999999999999999999.1"})
					assertField([&] { audit.page(admin(), {}, cursor, 10); }, "cursor");
				// A well-formed cursor pages on.
				CPPUNIT_ASSERT_NO_THROW(audit.page(admin(), {}, AuditService::encodeCursor({5, 7}), 10));
			});
	}

	void testEachFilterPagesOnItsIndex()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				// Enough rows that a database with statistics would weigh a scan.
				for (int i = 0; i < 40; ++i)
					append(b, PluginBackend::ORG, i % 2 ? std::optional<Poco::Int64>(i) : std::nullopt, i % 7,
						   "contact.update", 1000 + i);
				b.execute(b.database().dialect() == Database::Dialect::SQLite ? "ANALYZE" : "ANALYZE TABLE ec_audit");
				AuditFilter org, actor, action, contact, mixed;
				actor.actorId = 3;
				action.action = "contact.update";
				contact.contactId = 5;
				mixed.actorId = 3;
				mixed.action = "contact.update";
				mixed.from = 1000;
				mixed.to = 5000;
				for (const std::pair<AuditFilter, std::string>& expected :
					 std::vector<std::pair<AuditFilter, std::string>>{{org, "ix_ec_audit_org_at"},
																	  {actor, "ix_ec_audit_actor_at"},
																	  {action, "ix_ec_audit_action_at"},
																	  {contact, "ix_ec_audit_contact_at"},
																	  {mixed, "ix_ec_audit_actor_at"}})
				{
					Poco::Data::Session s = b.database().session();
					SqlStatement sql = AuditStore::searchSql(b.database().dialect(), PluginBackend::ORG, expected.first,
															 AuditKey{5000, 40}, 51);
					std::string all;
					for (const std::string& line : QueryPlans::explain(s, b.database().dialect(), sql))
						all += line + "\n";
					CPPUNIT_ASSERT_MESSAGE(all, all.find(expected.second) != std::string::npos);
					CPPUNIT_ASSERT_MESSAGE(all, all.find("TEMP B-TREE") == std::string::npos); // SQLite sorts nothing
					CPPUNIT_ASSERT_MESSAGE(all, all.find("filesort") == std::string::npos);    // nor does MariaDB
					CPPUNIT_ASSERT_MESSAGE(all, all.find("SCAN c") == std::string::npos &&
													all.find("table=c type=ALL") == std::string::npos);
				}
			});
	}

	void testTheExportIsBounded()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				AuditService audit(b.context());
				// EXPORT_MAX + 3 rows, 1000 an INSERT.
				const std::size_t total = AuditService::EXPORT_MAX + 3;
				for (std::size_t done = 0; done < total;)
				{
					std::string sql =
						"INSERT INTO ec_audit (org_id, contact_id, actor_id, action, at, remote_addr) VALUES ";
					for (std::size_t i = 0; i < 1000 && done < total; ++i, ++done)
						sql += std::string(i ? "," : "") + "(1, NULL, 1, 'contact.update', " + std::to_string(done) +
							   ", '')";
					b.execute(sql);
				}
				std::size_t seen = 0, batches = 0;
				Poco::Int64 newest = -1, previous = std::numeric_limits<Poco::Int64>::max();
				bool truncated = audit.exportTo(admin(), {},
												[&](const std::vector<AuditService::Item>& batch)
												{
													++batches;
													for (const AuditService::Item& item : batch)
													{
														CPPUNIT_ASSERT(item.row.entry.at < previous);
														previous = item.row.entry.at;
														if (newest < 0) newest = item.row.entry.at;
													}
													seen += batch.size();
												});
				CPPUNIT_ASSERT(truncated);
				CPPUNIT_ASSERT_EQUAL(AuditService::EXPORT_MAX, seen);
				CPPUNIT_ASSERT(batches > 1);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(total - 1), newest); // the newest rows go first
				// Under the cap: everything, not truncated.
				AuditFilter recent;
				recent.from = static_cast<Poco::Int64>(total - 1200);
				seen = 0;
				truncated = audit.exportTo(admin(), recent,
										   [&](const std::vector<AuditService::Item>& batch) { seen += batch.size(); });
				CPPUNIT_ASSERT(!truncated);
				CPPUNIT_ASSERT_EQUAL(std::size_t(1200), seen);
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuditLogTest);
