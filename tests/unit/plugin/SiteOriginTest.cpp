#include "http/SiteOrigin.h"

#include <cppunit/extensions/HelperMacros.h>

using ExternalContacts::SiteOrigin;

// The origin the invitation landing form's POST is compared with (issue 14,
// finding 8 follow-up): publicBaseUrl as an administrator writes it and the
// Origin a browser sends must meet in one spelling.
class SiteOriginTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SiteOriginTest);
	CPPUNIT_TEST(testLowerCasesSchemeAndHost);
	CPPUNIT_TEST(testDropsDefaultPortKeepsOthers);
	CPPUNIT_TEST(testDropsPathQueryAndTrailingSlash);
	CPPUNIT_TEST(testKeepsIpv6Brackets);
	CPPUNIT_TEST(testNoOriginIsNeverTheSame);
	CPPUNIT_TEST(testSameComparesBothSidesNormalised);
	CPPUNIT_TEST_SUITE_END();

public:
	void testLowerCasesSchemeAndHost()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("https://x.example"), SiteOrigin::of("HTTPS://X.Example"));
		CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8080"), SiteOrigin::of("HTTP://127.0.0.1:8080"));
	}

	void testDropsDefaultPortKeepsOthers()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("https://x.example"), SiteOrigin::of("https://x.example:443"));
		CPPUNIT_ASSERT_EQUAL(std::string("http://x.example"), SiteOrigin::of("http://x.example:80/"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://x.example:80"), SiteOrigin::of("https://x.example:80"));
		CPPUNIT_ASSERT_EQUAL(std::string("http://x.example:443"), SiteOrigin::of("http://x.example:443"));
		CPPUNIT_ASSERT_EQUAL(std::string("http://x.example:8080"), SiteOrigin::of("http://x.example:8080"));
	}

	void testDropsPathQueryAndTrailingSlash()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("https://x.example"), SiteOrigin::of("https://x.example/"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://x.example"), SiteOrigin::of("https://x.example/contacts/"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://x.example:8443"),
							 SiteOrigin::of("https://x.example:8443/invite/abc?x=1#y"));
	}

	void testKeepsIpv6Brackets()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("http://[::1]:8080"), SiteOrigin::of("http://[::1]:8080/"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://[2001:db8::1]"), SiteOrigin::of("HTTPS://[2001:DB8::1]:443"));
		CPPUNIT_ASSERT(SiteOrigin::same("http://[::1]:8080", "HTTP://[::1]:8080/"));
	}

	void testNoOriginIsNeverTheSame()
	{
		CPPUNIT_ASSERT_EQUAL(std::string(""), SiteOrigin::of("null"));
		CPPUNIT_ASSERT_EQUAL(std::string(""), SiteOrigin::of(""));
		CPPUNIT_ASSERT_EQUAL(std::string(""), SiteOrigin::of("/invite/abc"));
		CPPUNIT_ASSERT_EQUAL(std::string(""), SiteOrigin::of("http://x.example:99999"));
		CPPUNIT_ASSERT(!SiteOrigin::same("null", "null"));
		CPPUNIT_ASSERT(!SiteOrigin::same("", ""));
	}

	void testSameComparesBothSidesNormalised()
	{
		// An Origin header as browsers send it against publicBaseUrl as written.
		CPPUNIT_ASSERT(SiteOrigin::same("https://x.example", "https://X.Example:443/"));
		CPPUNIT_ASSERT(SiteOrigin::same("HTTP://X.EXAMPLE", "http://x.example:80"));
		CPPUNIT_ASSERT(!SiteOrigin::same("http://x.example", "https://x.example"));
		CPPUNIT_ASSERT(!SiteOrigin::same("https://x.example", "https://x.example:8443"));
		CPPUNIT_ASSERT(!SiteOrigin::same("https://evil.example", "https://x.example"));
		CPPUNIT_ASSERT(!SiteOrigin::same("https://x.example.evil.example", "https://x.example"));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SiteOriginTest);
