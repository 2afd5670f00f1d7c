#include "MigrationRunner.h"
#include "PasswordHasher.h"
#include "Secrets.h"
#include <cppunit/extensions/HelperMacros.h>
#include <set>

using namespace RefHost;

class SecurityPrimitivesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SecurityPrimitivesTest);
	CPPUNIT_TEST(testPasswordHashIsArgon2idAndVerifies);
	CPPUNIT_TEST(testWrongPasswordAndMalformedHashFail);
	CPPUNIT_TEST(testRandomTokensAreLongAndDistinct);
	CPPUNIT_TEST(testSha256KnownAnswer);
	CPPUNIT_TEST(testConstantTimeEquals);
	CPPUNIT_TEST(testSplitStatements);
	CPPUNIT_TEST_SUITE_END();

public:
	void testPasswordHashIsArgon2idAndVerifies()
	{
		std::string h = PasswordHasher::hash("correct horse battery");
		CPPUNIT_ASSERT(h.compare(0, 10, "$argon2id$") == 0);
		CPPUNIT_ASSERT(h.find("correct horse") == std::string::npos);
		CPPUNIT_ASSERT(PasswordHasher::verify(h, "correct horse battery"));
		CPPUNIT_ASSERT(h != PasswordHasher::hash("correct horse battery")); // salted
	}

	void testWrongPasswordAndMalformedHashFail()
	{
		std::string h = PasswordHasher::hash("correct horse battery");
		CPPUNIT_ASSERT(!PasswordHasher::verify(h, "correct horse batterz"));
		CPPUNIT_ASSERT(!PasswordHasher::verify("", "x"));
		CPPUNIT_ASSERT(!PasswordHasher::verify("$argon2id$garbage", "x"));
	}

	void testRandomTokensAreLongAndDistinct()
	{
		std::set<std::string> seen;
		for (int i = 0; i < 1000; ++i)
		{
			std::string t = Secrets::randomHex(32);
			CPPUNIT_ASSERT_EQUAL(std::size_t(64), t.size());
			CPPUNIT_ASSERT(seen.insert(t).second);
		}
	}

	void testSha256KnownAnswer()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
							 Secrets::sha256Hex("abc"));
	}

	void testConstantTimeEquals()
	{
		CPPUNIT_ASSERT(Secrets::constantTimeEquals("abc", "abc"));
		CPPUNIT_ASSERT(!Secrets::constantTimeEquals("abc", "abd"));
		CPPUNIT_ASSERT(!Secrets::constantTimeEquals("abc", "abcd"));
	}

	void testSplitStatements()
	{
		auto v =
			MigrationRunner::splitStatements("-- comment\nCREATE TABLE a (\n x INT\n);\n\nINSERT INTO a VALUES (1);\n");
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), v.size());
		CPPUNIT_ASSERT(v[0].find("CREATE TABLE a") == 0);
		CPPUNIT_ASSERT_EQUAL(std::string("INSERT INTO a VALUES (1)"), v[1]);
		CPPUNIT_ASSERT(MigrationRunner::splitStatements("-- only a comment\n").empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecurityPrimitivesTest);
