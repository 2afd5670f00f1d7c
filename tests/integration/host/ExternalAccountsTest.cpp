// External accounts on SQLite and MariaDB: pending accounts with one-time
// activation links (R3.4), reset and security level (R6.4); links that are
// expired, reused, tampered with, replaced or another's; two activations
// of one link at once on real threads.
#include "ExternalAccounts.h"
#include "Directory.h"
#include "MigrationRunner.h"
#include "PasswordPolicy.h"
#include "Secrets.h"
#include "SessionManager.h"
#include "TestEnv.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>
#include <thread>
#include <vector>

using namespace RefHost;
using namespace Poco::Data::Keywords;

namespace
{

const std::string GOOD = "Tq8#vLm2!pZr-外部";

const PasswordPolicy& policy()
{
	static const PasswordPolicy p(TestEnv::sourceDir() + "/resources/security/common-passwords.txt");
	return p;
}

struct Fixture
{
	std::unique_ptr<Database> db;
	std::unique_ptr<Directory> dir;
	std::unique_ptr<SessionManager> sessions;
	std::unique_ptr<ExternalAccounts> accounts;
	Poco::Int64 org = 0, other = 0, member = 0;

	explicit Fixture(const TestEnv::Backend& b)
	{
		db = std::make_unique<Database>(b.connector, b.connectionString, 16);
		MigrationRunner(*db, TestEnv::sqlRoot()).migrate("host");
		dir = std::make_unique<Directory>(*db);
		sessions = std::make_unique<SessionManager>(*db, *dir, SessionManager::Settings{});
		ExternalAccounts::Settings settings;
		settings.publicBaseUrl = "https://im.example.com/";
		accounts = std::make_unique<ExternalAccounts>(*db, *dir, *sessions, policy(), settings);
		org = dir->createOrg("Org");
		other = dir->createOrg("Other");
		member = dir->createUser("colleague", "Colleague", "colleague-pass-1");
		dir->addMembership(org, member, "member", false, 0);
	}

	std::string tokenHashOf(const std::string& token)
	{
		Poco::Data::Session s = db->session();
		std::vector<std::string> hashes;
		s << "SELECT token_hash FROM account_activations", into(hashes), now;
		for (const auto& h : hashes)
			if (h == token) return "plain";
		return hashes.empty() ? "" : hashes.back();
	}
};

} // namespace

class ExternalAccountsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ExternalAccountsTest);
	CPPUNIT_TEST(testPendingAccountActivatesOnceWithAGoodPassword);
	CPPUNIT_TEST(testLoginsAreUniqueAndValid);
	CPPUNIT_TEST(testBadLinksAreRefused);
	CPPUNIT_TEST(testResetRevokesTheOldLinkAndEndsSessions);
	CPPUNIT_TEST(testOnlyExternalUsersAreManaged);
	CPPUNIT_TEST(testTwoActivationsAtOnceExactlyOneWins);
	CPPUNIT_TEST(testPendingAccountsCreatedAtOnceAllSucceed);
	CPPUNIT_TEST_SUITE_END();

	template <typename F> void onBoth(const std::string& name, F f)
	{
		TestEnv::onBoth<Fixture>(name, f);
	}

public:
	void testPendingAccountActivatesOnceWithAGoodPassword()
	{
		onBoth("acct",
			   [](Fixture& fx)
			   {
				   auto created = fx.accounts->createPending(fx.org, " 林外部 ", "Lin.Wai", -20, 0);
				   CPPUNIT_ASSERT_EQUAL(std::string("lin.wai"), created.login);
				   CPPUNIT_ASSERT_EQUAL(std::size_t(64), created.link.token.size());
				   CPPUNIT_ASSERT_EQUAL("/#/activate/" + created.link.token, created.link.path);
				   CPPUNIT_ASSERT_EQUAL("https://im.example.com/#/activate/" + created.link.token, created.link.url);
				   // Seven days by default; only the hash is stored.
				   Poco::Int64 week = 7LL * 24 * 3600 * 1000;
				   CPPUNIT_ASSERT(created.link.expiresAt > Secrets::nowMs() + week - 60000);
				   CPPUNIT_ASSERT(created.link.expiresAt <= Secrets::nowMs() + week);
				   CPPUNIT_ASSERT_EQUAL(Secrets::sha256Hex(created.link.token), fx.tokenHashOf(created.link.token));

				   auto user = fx.dir->userById(created.userId);
				   CPPUNIT_ASSERT_EQUAL(std::string("pending"), user->status);
				   CPPUNIT_ASSERT_EQUAL(std::string("林外部"), user->displayName);
				   CPPUNIT_ASSERT(user->passwordHash.empty());
				   auto m = fx.dir->membership(fx.org, created.userId);
				   CPPUNIT_ASSERT(m && m->kind == "external" && m->securityLevel == -20 && !m->isAdmin);
				   CPPUNIT_ASSERT(!fx.sessions->login("lin.wai", GOOD, "127.0.0.1"));

				   auto pending = fx.accounts->check(created.link.token);
				   CPPUNIT_ASSERT_EQUAL(created.userId, pending.userId);
				   CPPUNIT_ASSERT_EQUAL(std::string("lin.wai"), pending.login);
				   // A weak password uses nothing up.
				   try
				   {
					   fx.accounts->activate(created.link.token, "password2026!");
					   CPPUNIT_FAIL("a common password was accepted");
				   }
				   catch (const PasswordRejectedException& e)
				   {
					   CPPUNIT_ASSERT_EQUAL(std::string("password_too_common"), e.code);
				   }
				   CPPUNIT_ASSERT_NO_THROW(fx.accounts->check(created.link.token));
				   fx.accounts->activate(created.link.token, GOOD);
				   CPPUNIT_ASSERT_EQUAL(std::string("active"), fx.dir->userById(created.userId)->status);
				   CPPUNIT_ASSERT(fx.sessions->login("lin.wai", GOOD, "127.0.0.1"));
				   // Single use.
				   CPPUNIT_ASSERT_THROW(fx.accounts->check(created.link.token), ActivationExpiredException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->activate(created.link.token, "Another-Good-Pass-9"),
										ActivationExpiredException);
				   CPPUNIT_ASSERT(fx.sessions->login("lin.wai", GOOD, "127.0.0.1"));

				   fx.accounts->setSecurityLevel(fx.org, created.userId, -300);
				   CPPUNIT_ASSERT_EQUAL(-300, fx.dir->membership(fx.org, created.userId)->securityLevel);
				   CPPUNIT_ASSERT_THROW(fx.accounts->setSecurityLevel(fx.org, created.userId, 1),
										Poco::InvalidArgumentException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->setSecurityLevel(fx.org, created.userId, -1000),
										Poco::InvalidArgumentException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->setSecurityLevel(fx.other, created.userId, -1),
										Poco::NotFoundException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->setSecurityLevel(fx.org, fx.member, -1), Poco::NotFoundException);
			   });
	}

	void testLoginsAreUniqueAndValid()
	{
		onBoth("acctlogin",
			   [](Fixture& fx)
			   {
				   CPPUNIT_ASSERT_EQUAL(std::string("colleague-2"),
										fx.accounts->createPending(fx.org, "A", "colleague", 0, 0).login);
				   CPPUNIT_ASSERT_EQUAL(std::string("colleague-3"),
										fx.accounts->createPending(fx.org, "B", "Colleague", 0, 0).login);
				   std::string fromName = fx.accounts->createPending(fx.org, "张伟", "张伟", 0, 0).login;
				   CPPUNIT_ASSERT_EQUAL(std::size_t(14), fromName.size());
				   CPPUNIT_ASSERT_EQUAL(std::string("ext-"), fromName.substr(0, 4));
				   CPPUNIT_ASSERT(fromName.find_first_not_of("0123456789", 4) == std::string::npos);
				   CPPUNIT_ASSERT_EQUAL(std::string("a.b"),
										fx.accounts->createPending(fx.org, "C", " a.b.. ", 0, 0).login);
				   CPPUNIT_ASSERT_THROW(fx.accounts->createPending(fx.org, "  ", "x", 0, 0),
										Poco::InvalidArgumentException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->createPending(fx.org, "D", "d", 1, 0),
										Poco::InvalidArgumentException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->createPending(fx.org, "D", "d", 0, 60),
										Poco::InvalidArgumentException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->createPending(999999, "D", "d", 0, 0), Poco::NotFoundException);
				   CPPUNIT_ASSERT(!fx.dir->userByLogin("d"));
			   });
	}

	void testBadLinksAreRefused()
	{
		onBoth("acctbad",
			   [](Fixture& fx)
			   {
				   auto a = fx.accounts->createPending(fx.org, "A", "alpha", 0, 3600);
				   auto b = fx.accounts->createPending(fx.org, "B", "bravo", 0, 0);
				   // Tampered: one digit changed; not hex; too short.
				   std::string tampered = a.link.token;
				   tampered[10] = tampered[10] == '0' ? '1' : '0';
				   CPPUNIT_ASSERT_THROW(fx.accounts->check(tampered), ActivationLinkException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->activate(tampered, GOOD), ActivationLinkException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->check(std::string(64, 'g')), ActivationLinkException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->check(a.link.token.substr(1)), ActivationLinkException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->check(""), ActivationLinkException);
				   // Expired: the clock passed expires_at.
				   {
					   Poco::Data::Session s = fx.db->session();
					   Poco::Int64 past = Secrets::nowMs() - 1;
					   s << "UPDATE account_activations SET expires_at = ? WHERE user_id = ?", use(past), use(a.userId),
						   now;
				   }
				   CPPUNIT_ASSERT_THROW(fx.accounts->check(a.link.token), ActivationExpiredException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->activate(a.link.token, GOOD), ActivationExpiredException);
				   CPPUNIT_ASSERT_EQUAL(std::string("pending"), fx.dir->userById(a.userId)->status);
				   // Another contact's link activates that contact only.
				   fx.accounts->activate(b.link.token, GOOD);
				   CPPUNIT_ASSERT_EQUAL(std::string("active"), fx.dir->userById(b.userId)->status);
				   CPPUNIT_ASSERT_EQUAL(std::string("pending"), fx.dir->userById(a.userId)->status);
				   CPPUNIT_ASSERT(!fx.sessions->login("alpha", GOOD, "127.0.0.1"));
			   });
	}

	void testResetRevokesTheOldLinkAndEndsSessions()
	{
		onBoth("acctreset",
			   [](Fixture& fx)
			   {
				   auto a = fx.accounts->createPending(fx.org, "A", "alpha", 0, 0);
				   auto unused = fx.accounts->reset(a.userId, 0); // a second link replaces the first
				   CPPUNIT_ASSERT_THROW(fx.accounts->check(a.link.token), ActivationExpiredException);
				   fx.accounts->activate(unused.token, GOOD);
				   auto session = fx.sessions->login("alpha", GOOD, "127.0.0.1");
				   CPPUNIT_ASSERT(session);
				   auto fresh = fx.accounts->reset(a.userId, 2 * 3600);
				   CPPUNIT_ASSERT(fresh.expiresAt <= Secrets::nowMs() + 2 * 3600 * 1000);
				   CPPUNIT_ASSERT(!fx.sessions->authenticate(session->token));      // ended at once
				   CPPUNIT_ASSERT(!fx.sessions->login("alpha", GOOD, "127.0.0.1")); // the old password is gone
				   CPPUNIT_ASSERT_EQUAL(std::string("pending"), fx.dir->userById(a.userId)->status);
				   fx.accounts->activate(fresh.token, "Second-Good-Pass-42");
				   CPPUNIT_ASSERT(fx.sessions->login("alpha", "Second-Good-Pass-42", "127.0.0.1"));
				   // A disabled account is not reset (enable it first), and its link cannot activate it.
				   fx.dir->setUserStatus(a.userId, "disabled");
				   CPPUNIT_ASSERT_THROW(fx.accounts->reset(a.userId, 0), Poco::IllegalStateException);
			   });
	}

	void testOnlyExternalUsersAreManaged()
	{
		onBoth("acctext",
			   [](Fixture& fx)
			   {
				   CPPUNIT_ASSERT_THROW(fx.accounts->reset(fx.member, 0), Poco::NoPermissionException);
				   CPPUNIT_ASSERT_THROW(fx.accounts->reset(987654, 0), Poco::NotFoundException);
				   // An external user who is also a member somewhere is out of reach too.
				   auto a = fx.accounts->createPending(fx.org, "A", "alpha", 0, 0);
				   fx.dir->addMembership(fx.other, a.userId, "member", false, 0);
				   CPPUNIT_ASSERT_THROW(fx.accounts->reset(a.userId, 0), Poco::NoPermissionException);
				   CPPUNIT_ASSERT_NO_THROW(fx.accounts->check(a.link.token));
			   });
	}

	void testTwoActivationsAtOnceExactlyOneWins()
	{
		onBoth("acctrace",
			   [](Fixture& fx)
			   {
				   for (int round = 0; round < 25; ++round)
				   {
					   auto a = fx.accounts->createPending(fx.org, "R", "race" + std::to_string(round), 0, 0);
					   std::atomic<int> won{0}, refused{0};
					   auto attempt = [&](const std::string& password)
					   {
						   try
						   {
							   fx.accounts->activate(a.link.token, password);
							   ++won;
						   }
						   catch (const ActivationExpiredException&)
						   {
							   ++refused;
						   }
					   };
					   std::thread t1(attempt, "First-Racer-Pass-1");
					   std::thread t2(attempt, "Second-Racer-Pass-2");
					   t1.join();
					   t2.join();
					   CPPUNIT_ASSERT_EQUAL(1, won.load());
					   CPPUNIT_ASSERT_EQUAL(1, refused.load());
					   std::string login = "race" + std::to_string(round);
					   std::string from = "10.1.0." + std::to_string(round); // no address reaches the throttle
					   bool first = fx.sessions->login(login, "First-Racer-Pass-1", from).has_value();
					   bool second = fx.sessions->login(login, "Second-Racer-Pass-2", from).has_value();
					   CPPUNIT_ASSERT(first != second); // the winner's password, never a mix
				   }
			   });
	}
	// Approvers deciding different applications at once each create an
	// account: none may fail (on MariaDB the revocation of a new user's
	// links once took next-key locks at the end of the index, and two such
	// transactions deadlocked on their INSERTs: a 500 for one approver).
	void testPendingAccountsCreatedAtOnceAllSucceed()
	{
		onBoth("acctmany",
			   [](Fixture& fx)
			   {
				   constexpr int THREADS = 4, EACH = 15;
				   std::atomic<int> created{0};
				   std::vector<std::string> errors(THREADS);
				   std::vector<std::thread> threads;
				   for (int t = 0; t < THREADS; ++t)
					   threads.emplace_back(
						   [&, t]
						   {
							   for (int i = 0; i < EACH; ++i)
							   {
								   try
								   {
									   auto a = fx.accounts->createPending(
										   fx.org, "M", "many" + std::to_string(t) + "x" + std::to_string(i), 0, 0);
									   if (!a.link.token.empty()) ++created;
								   }
								   catch (const Poco::Exception& e)
								   {
									   errors[t] = e.displayText();
								   }
							   }
						   });
				   for (auto& thread : threads)
					   thread.join();
				   for (const auto& e : errors)
					   CPPUNIT_ASSERT_EQUAL(std::string(), e);
				   CPPUNIT_ASSERT_EQUAL(THREADS * EACH, created.load());
				   Poco::Data::Session s = fx.db->session();
				   int links = 0;
				   s << "SELECT COUNT(*) FROM account_activations a JOIN users u ON u.id = a.user_id "
						"WHERE u.login LIKE 'many%' AND a.revoked_at IS NULL AND a.used_at IS NULL",
					   into(links), now;
				   CPPUNIT_ASSERT_EQUAL(THREADS * EACH, links);
			   });
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExternalAccountsTest);
