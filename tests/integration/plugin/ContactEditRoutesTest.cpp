#include "RouteCall.h"

#include <Poco/JSON/Parser.h>
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <thread>

using namespace RouteTest;
using namespace Poco::Data::Keywords;

namespace
{

constexpr Poco::Int64 CAROL = 3;
constexpr Poco::Int64 ADMIN = 9;

Poco::Int64 versionOf(PluginBackend& b, Poco::Int64 id)
{
	Poco::Data::Session s = b.database().session();
	Poco::Int64 version = 0;
	s << "SELECT version FROM ec_contacts WHERE id = ?", use(id), into(version), now;
	return version;
}

Poco::Int64 auditRows(PluginBackend& b, Poco::Int64 id, const std::string& action)
{
	Poco::Data::Session s = b.database().session();
	Poco::Int64 n = 0;
	s << "SELECT COUNT(*) FROM ec_audit WHERE contact_id = ? AND action = ?", use(id), useRef(action), into(n), now;
	return n;
}

Poco::JSON::Object::Ptr parse(const std::string& json)
{
	Poco::JSON::Parser parser;
	return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

class ContactEditRoutesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactEditRoutesTest);
	CPPUNIT_TEST(testPatchChangesOnlyGivenFieldsAndBumpsVersion);
	CPPUNIT_TEST(testPatchWritesAuditRowWithBeforeAndAfter);
	CPPUNIT_TEST(testPatchWithStaleVersionAnswersConflictWithCurrent);
	CPPUNIT_TEST(testPatchRejectsBadBodiesAndWritesNothing);
	CPPUNIT_TEST(testPatchThatChangesNothingWritesNothing);
	CPPUNIT_TEST(testPatchFollowsAccessPolicy);
	CPPUNIT_TEST(testConcurrentPatchesWithOneVersionLetExactlyOneWin);
	CPPUNIT_TEST(testDeleteHidesContactFromEveryone);
	CPPUNIT_TEST(testDeleteFollowsAccessPolicy);
	CPPUNIT_TEST_SUITE_END();

public:
	void testPatchChangesOnlyGivenFieldsAndBumpsVersion()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				Answer created =
					http.create(R"({"name":"张三","mobile":"13800138000","company":"Acme","tags":["vip"]})").send();
				Poco::Int64 id = created.json()->getValue<Poco::Int64>("id");
				Answer a =
					http.patch(id, R"({"version":1,"title":" CEO ","company":null,"tags":["a","a","b"]})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
				Poco::JSON::Object::Ptr c = a.json();
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), c->getValue<Poco::Int64>("version"));
				CPPUNIT_ASSERT_EQUAL(std::string("CEO"), c->getValue<std::string>("title"));
				CPPUNIT_ASSERT(c->isNull("company"));
				CPPUNIT_ASSERT_EQUAL(std::string("13800138000"), c->getValue<std::string>("mobile"));
				CPPUNIT_ASSERT_EQUAL(std::string("张三"), c->getValue<std::string>("name"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(2), c->getArray("tags")->size());
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), c->getArray("visibleMembers")->size());
				CPPUNIT_ASSERT(c->getValue<Poco::Int64>("updatedAt") >
							   created.json()->getValue<Poco::Int64>("updatedAt"));
				Answer got = http.get(std::to_string(id)).send();
				CPPUNIT_ASSERT_EQUAL(std::string("CEO"), got.json()->getValue<std::string>("title"));
				CPPUNIT_ASSERT(got.json()->isNull("company"));
				// The list now files it under 未分组.
				Answer groups = http.groups().send();
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[{"name":null,"count":1}],"total":1})"), groups.body);
			});
	}

	void testPatchWritesAuditRowWithBeforeAndAfter()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang", "Acme").contact.id;
				Http http(b);
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":1,"name":"Zhang San"})").send().status);
				Poco::Data::Session s = b.database().session();
				std::string action, remote, before, after;
				Poco::Int64 actor = 0;
				s << "SELECT action, actor_id, remote_addr, before_json, after_json FROM ec_audit WHERE contact_id = ?"
					 " ORDER BY id DESC",
					use(id), into(action), into(actor), into(remote), into(before), into(after), limit(1), now;
				CPPUNIT_ASSERT_EQUAL(std::string("contact.update"), action);
				CPPUNIT_ASSERT_EQUAL(ALICE, actor);
				CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"), remote);
				CPPUNIT_ASSERT_EQUAL(std::string("Zhang"), parse(before)->getValue<std::string>("name"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), parse(before)->getValue<Poco::Int64>("version"));
				CPPUNIT_ASSERT_EQUAL(std::string("Zhang San"), parse(after)->getValue<std::string>("name"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), parse(after)->getValue<Poco::Int64>("version"));
				CPPUNIT_ASSERT_EQUAL(std::size_t(1), parse(after)->getArray("visibleMembers")->size());
			});
	}

	void testPatchWithStaleVersionAnswersConflictWithCurrent()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":1,"title":"first"})").send().status);
				Answer stale = http.patch(id, R"({"version":1,"title":"second"})").send();
				assertError(stale, 409, "conflict", "");
				Poco::JSON::Object::Ptr current = stale.json()->getObject("current");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), current->getValue<Poco::Int64>("version"));
				CPPUNIT_ASSERT_EQUAL(std::string("first"), current->getValue<std::string>("title"));
				CPPUNIT_ASSERT_EQUAL(std::string("Alice"),
									 current->getObject("addedBy")->getValue<std::string>("displayName"));
				assertError(http.patch(id, R"({"version":7,"title":"second"})").send(), 409, "conflict", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), versionOf(b, id));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), auditRows(b, id, "contact.update"));
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":2,"title":"second"})").send().status);
			});
	}

	void testPatchRejectsBadBodiesAndWritesNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang", "Acme").contact.id;
				Http http(b);
				assertError(http.patch(id, R"({"title":"x"})").send(), 400, "validation_failed", "version");
				for (const char* v : {"null", "\"1\"", "0", "-1", "1.5", "true", "[1]", "{}"})
					assertError(http.patch(id, std::string("{\"version\":") + v + ",\"title\":\"x\"}").send(), 400,
								"validation_failed", "version");
				assertError(http.patch(id, R"({"version":1,"nick":"x"})").send(), 400, "unknown_field", "nick");
				assertError(http.patch(id, R"({"version":1,"id":5})").send(), 400, "unknown_field", "id");
				assertError(http.patch(id, R"({"version":1,"name":""})").send(), 400, "validation_failed", "name");
				assertError(http.patch(id, R"({"version":1,"name":null})").send(), 400, "validation_failed", "name");
				assertError(http.patch(id, R"({"version":1,"mobile":"12ab"})").send(), 400, "validation_failed",
							"mobile");
				assertError(http.patch(id, R"({"version":1,"email":"no-at"})").send(), 400, "validation_failed",
							"email");
				assertError(http.patch(id, R"({"version":1,"tags":"vip"})").send(), 400, "validation_failed", "tags");
				assertError(http.patch(id, "{\"version\":1,\"title\":\"" + std::string(101, 'x') + "\"}").send(), 400,
							"validation_failed", "title");
				assertError(http.patch(id, "{\"version\":1,").send(), 400, "invalid_json", "");
				assertError(http.patch(id, "[1]").send(), 400, "invalid_json", "");
				assertError(http.patch(id, R"({"version":1})").body("x", "text/plain").send(), 415,
							"unsupported_media_type", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), versionOf(b, id));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_audit"));
				CPPUNIT_ASSERT_EQUAL(std::string("Acme"),
									 http.get(std::to_string(id)).send().json()->getValue<std::string>("company"));
			});
	}

	void testPatchThatChangesNothingWritesNothing()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang", "Acme").contact.id;
				Http http(b);
				Answer a = http.patch(id, R"({"version":1,"name":"Zhang","company":" Acme "})").send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), a.json()->getValue<Poco::Int64>("version"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), versionOf(b, id));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_audit"));
			});
	}

	void testPatchFollowsAccessPolicy()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Poco::Int64 elsewhere = b.create(BOB, "Other org", "", PluginBackend::OTHER_ORG).contact.id;
				Http http(b);
				std::string body = R"({"version":1,"title":"x"})";
				Answer hidden = http.patch(id, body).as(BOB).send();
				Answer missing = http.patch(id + 1000, body).as(BOB).send();
				assertError(hidden, 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(missing.body, hidden.body);
				CPPUNIT_ASSERT(missing.headers == hidden.headers);
				assertError(http.patch(id, body).as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 404, "not_found", "");
				assertError(http.patch(id, body).as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401, "unauthenticated", "");
				assertError(http.patch(elsewhere, body).as(ADMIN, HOSTSDK_CALLER_MEMBER, true).send(), 404, "not_found",
							"");
				b.share(id, CAROL);
				assertError(http.patch(id, body).as(CAROL).send(), 403, "forbidden", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), versionOf(b, id));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), auditRows(b, id, "contact.update"));

				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, body).as(ADMIN, HOSTSDK_CALLER_MEMBER, true).send().status);
				b.directory().grant(BOB, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":2,"title":"y"})").as(BOB).send().status);
				CPPUNIT_ASSERT_EQUAL(200, http.patch(id, R"({"version":3,"title":"z"})").send().status);
				CPPUNIT_ASSERT(http.logged.empty());
			});
	}

	void testConcurrentPatchesWithOneVersionLetExactlyOneWin()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Http http(b);
				for (int round = 0; round < 50; ++round)
				{
					Poco::Int64 id = b.create(ALICE, "Race " + std::to_string(round)).contact.id;
					Answer answers[2];
					std::atomic<int> ready{0};
					auto edit = [&](int i)
					{
						Call call = http.patch(id, "{\"version\":1,\"title\":\"writer " + std::to_string(i) + "\"}");
						++ready;
						while (ready.load() < 2)
							std::this_thread::yield();
						answers[i] = call.send();
					};
					std::thread first(edit, 0);
					std::thread second(edit, 1);
					first.join();
					second.join();
					int ok = 0, conflicts = 0;
					std::string winner;
					for (const Answer& a : answers)
					{
						if (a.status == 200)
						{
							++ok;
							winner = a.json()->getValue<std::string>("title");
						}
						else
						{
							assertError(a, 409, "conflict", "");
							++conflicts;
						}
					}
					CPPUNIT_ASSERT_EQUAL_MESSAGE(answers[0].body + answers[1].body, 1, ok);
					CPPUNIT_ASSERT_EQUAL(1, conflicts);
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), versionOf(b, id));
					CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), auditRows(b, id, "contact.update"));
					CPPUNIT_ASSERT_EQUAL(winner,
										 http.get(std::to_string(id)).send().json()->getValue<std::string>("title"));
				}
				CPPUNIT_ASSERT_MESSAGE(http.logged, http.logged.empty());
			});
	}

	void testDeleteHidesContactFromEveryone()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang", "Acme").contact.id;
				b.share(id, BOB);
				Http http(b);
				Answer a = http.remove(id).send();
				CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 204, a.status);
				CPPUNIT_ASSERT(a.body.empty());
				Answer missing = http.get(std::to_string(id + 1000)).send();
				for (Answer got : {http.get(std::to_string(id)).send(), http.get(std::to_string(id)).as(BOB).send(),
								   http.get(std::to_string(id)).as(ADMIN, HOSTSDK_CALLER_MEMBER, true).send()})
				{
					CPPUNIT_ASSERT_EQUAL(404, got.status);
					CPPUNIT_ASSERT_EQUAL(missing.body, got.body);
				}
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), http.list().send().json()->getArray("items")->size());
				CPPUNIT_ASSERT_EQUAL(std::size_t(0), http.list().as(BOB).send().json()->getArray("items")->size());
				CPPUNIT_ASSERT_EQUAL(std::string(R"({"items":[],"total":0})"), http.groups().send().body);
				assertError(http.remove(id).send(), 404, "not_found", "");
				assertError(http.patch(id, R"({"version":2,"title":"x"})").send(), 404, "not_found", "");
				// Soft: the row and its history stay.
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), b.count("ec_contacts"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), auditRows(b, id, "contact.delete"));
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), auditRows(b, id, "contact.create"));
			});
	}

	void testDeleteFollowsAccessPolicy()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Poco::Int64 id = b.create(ALICE, "Zhang").contact.id;
				Http http(b);
				Answer hidden = http.remove(id).as(BOB).send();
				assertError(hidden, 404, "not_found", "");
				CPPUNIT_ASSERT_EQUAL(http.remove(id + 1000).as(BOB).send().body, hidden.body);
				assertError(http.remove(id).as(ALICE, HOSTSDK_CALLER_EXTERNAL).send(), 404, "not_found", "");
				assertError(http.remove(id).as(0, HOSTSDK_CALLER_ANONYMOUS).send(), 401, "unauthenticated", "");
				b.share(id, CAROL);
				assertError(http.remove(id).as(CAROL).send(), 403, "forbidden", "");
				CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), auditRows(b, id, "contact.delete"));
				CPPUNIT_ASSERT_EQUAL(200, http.get(std::to_string(id)).send().status);
				b.directory().grant(BOB, PluginBackend::ORG, AccessPolicy::MAINTAIN_PERMISSION);
				CPPUNIT_ASSERT_EQUAL(204, http.remove(id).as(BOB).send().status);
				Poco::Int64 second = b.create(ALICE, "Li").contact.id;
				CPPUNIT_ASSERT_EQUAL(204, http.remove(second).as(ADMIN, HOSTSDK_CALLER_MEMBER, true).send().status);
			});
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactEditRoutesTest);
