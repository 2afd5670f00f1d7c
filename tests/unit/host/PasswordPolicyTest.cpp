// The password rules of the reference host (ASVS 2.1), with the shipped
// list of common passwords.
#include "PasswordPolicy.h"
#include "TestEnv.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace RefHost;

namespace
{

std::string codeOf(const PasswordPolicy& policy, const std::string& password, const std::string& login = "lin.wai",
				   const std::string& name = "林外")
{
	auto problem = policy.check(password, login, name);
	return problem ? problem->code : "ok";
}

} // namespace

class PasswordPolicyTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PasswordPolicyTest);
	CPPUNIT_TEST(testLengthCountsCharactersNotBytes);
	CPPUNIT_TEST(testCommonPasswordsAndTheirDecorationsAreRefused);
	CPPUNIT_TEST(testLoginAndNameAreRefused);
	CPPUNIT_TEST(testGoodPasswordsPass);
	CPPUNIT_TEST(testAMissingListStopsTheHost);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override
	{
		if (!_policy)
			_policy =
				std::make_unique<PasswordPolicy>(TestEnv::sourceDir() + "/resources/security/common-passwords.txt");
	}

	void testLengthCountsCharactersNotBytes()
	{
		CPPUNIT_ASSERT(_policy->listSize() > 40000);
		CPPUNIT_ASSERT_EQUAL(std::string("too_short"), codeOf(*_policy, "Short-1!"));
		CPPUNIT_ASSERT_EQUAL(std::string("too_short"),
							 codeOf(*_policy, "长城长城长城长城长城好")); // 11 characters, 33 bytes
		CPPUNIT_ASSERT_EQUAL(std::string("ok"), codeOf(*_policy, "长城内外长城内外长城好吗")); // 12 characters
		CPPUNIT_ASSERT_EQUAL(std::string("too_long"), codeOf(*_policy, std::string(129, 'x') + "yzabc"));
		CPPUNIT_ASSERT_EQUAL(std::string("too_simple"), codeOf(*_policy, "aaaaaaaaaaaaaaaaaaaa"));
		CPPUNIT_ASSERT_EQUAL(std::string("too_simple"), codeOf(*_policy, "abababababababcd")); // 4 different
		CPPUNIT_ASSERT_EQUAL(std::string("invalid"), codeOf(*_policy, "bad-utf8-\xff-password"));
		CPPUNIT_ASSERT_EQUAL(std::string("invalid"), codeOf(*_policy, std::string("nul-in-the\0-middle", 18)));
	}

	void testCommonPasswordsAndTheirDecorationsAreRefused()
	{
		for (const char* weak : {"password1234", "Password2026!", "iloveyou2026", "qwertyuiop12", "!!Sunshine2026",
								 "1234567890123", "P-A-S-S-W-O-R-D-1", "football123456", "Dragon.2026.05"})
			CPPUNIT_ASSERT_EQUAL_MESSAGE(weak, std::string("too_common"), codeOf(*_policy, weak));
	}

	void testLoginAndNameAreRefused()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("contains_login"), codeOf(*_policy, "my-LIN.WAI-account-7"));
		CPPUNIT_ASSERT_EQUAL(std::string("contains_login"), codeOf(*_policy, "Zhou Lin Feng", "zlf", "zhou lin feng"));
	}

	void testGoodPasswordsPass()
	{
		for (const char* good :
			 {"Demo-Member-2026!", "correct horse battery staple", "Tq8#vLm2!pZr", "外部联系人的新密码2026"})
			CPPUNIT_ASSERT_EQUAL_MESSAGE(good, std::string("ok"), codeOf(*_policy, good));
	}

	void testAMissingListStopsTheHost()
	{
		CPPUNIT_ASSERT_THROW(PasswordPolicy("/nonexistent/common-passwords.txt"), Poco::FileNotFoundException);
	}

private:
	static std::unique_ptr<PasswordPolicy> _policy;
};

std::unique_ptr<PasswordPolicy> PasswordPolicyTest::_policy;

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordPolicyTest);
