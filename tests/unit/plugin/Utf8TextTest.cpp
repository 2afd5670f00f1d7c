#include "domain/Utf8Text.h"

#include <cppunit/extensions/HelperMacros.h>

using ExternalContacts::Utf8Text;

class Utf8TextTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(Utf8TextTest);
	CPPUNIT_TEST(testAcceptsWellFormedText);
	CPPUNIT_TEST(testRejectsMalformedText);
	CPPUNIT_TEST(testFindsControlCharacters);
	CPPUNIT_TEST(testAcceptsTextWithoutControlCharacters);
	CPPUNIT_TEST(testCountsCodePoints);
	CPPUNIT_TEST(testTrimsUnicodeSpaceAtBothEnds);
	CPPUNIT_TEST(testTrimKeepsInnerSpaceAndBlankBecomesEmpty);
	CPPUNIT_TEST_SUITE_END();

public:
	void testAcceptsWellFormedText()
	{
		CPPUNIT_ASSERT(Utf8Text::isValid(""));
		CPPUNIT_ASSERT(Utf8Text::isValid("Zhang San"));
		CPPUNIT_ASSERT(Utf8Text::isValid("张三 · 外部互联"));
		CPPUNIT_ASSERT(Utf8Text::isValid("\xF0\x9F\x98\x80"));     // U+1F600
		CPPUNIT_ASSERT(Utf8Text::isValid("\xF4\x8F\xBF\xBF"));     // U+10FFFF
		CPPUNIT_ASSERT(Utf8Text::isValid(std::string("a\0b", 3))); // NUL is UTF-8, only a control
	}

	void testRejectsMalformedText()
	{
		CPPUNIT_ASSERT(!Utf8Text::isValid("\x80"));             // lone continuation byte
		CPPUNIT_ASSERT(!Utf8Text::isValid("\xE5\xBC"));         // truncated sequence
		CPPUNIT_ASSERT(!Utf8Text::isValid("\xC0\x80"));         // overlong NUL
		CPPUNIT_ASSERT(!Utf8Text::isValid("\xE0\x80\xAF"));     // overlong '/'
		CPPUNIT_ASSERT(!Utf8Text::isValid("\xED\xA0\x80"));     // surrogate U+D800
		CPPUNIT_ASSERT(!Utf8Text::isValid("\xF4\x90\x80\x80")); // above U+10FFFF
		CPPUNIT_ASSERT(!Utf8Text::isValid("ok\xFF"));
	}

	void testFindsControlCharacters()
	{
		CPPUNIT_ASSERT(Utf8Text::hasControlCharacters("a\nb"));
		CPPUNIT_ASSERT(Utf8Text::hasControlCharacters("a\tb"));
		CPPUNIT_ASSERT(Utf8Text::hasControlCharacters(std::string("a\0b", 3)));
		CPPUNIT_ASSERT(Utf8Text::hasControlCharacters("a\x7F"));
		CPPUNIT_ASSERT(Utf8Text::hasControlCharacters("a\xC2\x85")); // U+0085, C1 "next line"
	}

	void testAcceptsTextWithoutControlCharacters()
	{
		CPPUNIT_ASSERT(!Utf8Text::hasControlCharacters("Zhang San, 张三 (Acme) 😀"));
		CPPUNIT_ASSERT(!Utf8Text::hasControlCharacters("\xC2\xA0")); // no-break space is text
	}

	void testCountsCodePoints()
	{
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), Utf8Text::length(""));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), Utf8Text::length("abc"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), Utf8Text::length("张三"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), Utf8Text::length("\xF0\x9F\x98\x80"));
	}

	void testTrimsUnicodeSpaceAtBothEnds()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("张三"), Utf8Text::trim("  张三 "));
		CPPUNIT_ASSERT_EQUAL(std::string("张三"), Utf8Text::trim("\xE3\x80\x80张三\xE3\x80\x80")); // ideographic space
		CPPUNIT_ASSERT_EQUAL(std::string("a"), Utf8Text::trim("\xC2\xA0"
															  "a"
															  "\xEF\xBB\xBF"));
	}

	void testTrimKeepsInnerSpaceAndBlankBecomesEmpty()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("Zhang  San"), Utf8Text::trim(" Zhang  San "));
		CPPUNIT_ASSERT_EQUAL(std::string(), Utf8Text::trim(" \xE3\x80\x80 "));
		CPPUNIT_ASSERT_EQUAL(std::string("\xFF"), Utf8Text::trim(" \xFF ")); // malformed bytes are kept
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(Utf8TextTest);
