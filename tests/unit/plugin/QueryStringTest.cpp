#include "http/QueryString.h"
#include "domain/ValidationError.h"

#include <cppunit/extensions/HelperMacros.h>

using ExternalContacts::QueryString;
using ExternalContacts::ValidationError;

namespace
{

void assertRejected(const std::string& raw, const std::string& parameter, const std::string& field)
{
	try
	{
		QueryString(raw).get(parameter);
	}
	catch (const ValidationError& e)
	{
		CPPUNIT_ASSERT_EQUAL(field, e.field());
		return;
	}
	CPPUNIT_FAIL("accepted the query string " + raw);
}

} // namespace

class QueryStringTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(QueryStringTest);
	CPPUNIT_TEST(testDecodesPlusAndPercentEscapes);
	CPPUNIT_TEST(testRejectsBadEscapesNamingTheParameter);
	CPPUNIT_TEST(testAbsentParameterFallsBack);
	CPPUNIT_TEST(testLimitAndIdCursor);
	CPPUNIT_TEST(testRejectsParameterGivenTwice);
	CPPUNIT_TEST(testIgnoresEmptyPairsAndUnaskedParameters);
	CPPUNIT_TEST_SUITE_END();

public:
	void testLimitAndIdCursor()
	{
		CPPUNIT_ASSERT_EQUAL(std::size_t(20), QueryString("").limit(20));
		CPPUNIT_ASSERT_EQUAL(std::size_t(7), QueryString("limit=7").limit(20));
		for (const char* bad : {"limit=", "limit=+5", "limit=5.0", "limit=1000", "limit=-1", "limit=%205"})
			CPPUNIT_ASSERT_EQUAL(std::size_t(0), QueryString(bad).limit(20));
		CPPUNIT_ASSERT(!QueryString("").idCursor());
		CPPUNIT_ASSERT_EQUAL(123456789012345678LL, *QueryString("cursor=123456789012345678").idCursor());
		for (const char* bad : {"cursor=", "cursor=x1", "cursor=1234567890123456789", "cursor=-4", "cursor=1&cursor=2"})
		{
			try
			{
				QueryString(bad).idCursor();
				CPPUNIT_FAIL(std::string("accepted ") + bad);
			}
			catch (const ValidationError& e)
			{
				CPPUNIT_ASSERT_EQUAL(std::string("cursor"), e.field());
			}
		}
	}

	void testDecodesPlusAndPercentEscapes()
	{
		QueryString q("q=Zhang+San&company=%E5%85%AC%E5%8F%B8&empty=&flag");
		CPPUNIT_ASSERT_EQUAL(std::string("Zhang San"), *q.get("q"));
		CPPUNIT_ASSERT_EQUAL(std::string("公司"), *q.get("company"));
		CPPUNIT_ASSERT_EQUAL(std::string(), *q.get("empty"));
		CPPUNIT_ASSERT_EQUAL(std::string(), *q.get("flag"));
		CPPUNIT_ASSERT_EQUAL(std::string("a+b"), *QueryString("x=a%2Bb").get("x"));
	}

	void testRejectsBadEscapesNamingTheParameter()
	{
		assertRejected("q=%E5%85", "q", "q");  // truncated UTF-8
		assertRejected("q=%ZZ", "q", "q");     // not hex
		assertRejected("q=abc%4", "q", "q");   // cut escape
		assertRejected("q=%FF", "q", "q");     // not UTF-8
		assertRejected("%G0=1", "x", "query"); // a key that cannot be decoded
	}

	void testAbsentParameterFallsBack()
	{
		QueryString q("limit=5");
		CPPUNIT_ASSERT(!q.get("cursor"));
		CPPUNIT_ASSERT_EQUAL(std::string("mine"), q.get("scope", "mine"));
		CPPUNIT_ASSERT_EQUAL(std::string("5"), q.get("limit", "50"));
	}

	void testRejectsParameterGivenTwice()
	{
		assertRejected("limit=5&limit=6", "limit", "limit");
	}

	void testIgnoresEmptyPairsAndUnaskedParameters()
	{
		QueryString q("&&limit=5&_=1712345678&");
		CPPUNIT_ASSERT_EQUAL(std::string("5"), *q.get("limit"));
		CPPUNIT_ASSERT(QueryString("").get("limit") == std::nullopt);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(QueryStringTest);
