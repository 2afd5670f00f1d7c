#include "domain/ListCursor.h"
#include "domain/ValidationError.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Checksum.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using ExternalContacts::ListCursor;
using ExternalContacts::SortKey;
using ExternalContacts::ValidationError;

namespace
{

std::string base64url(const std::string& bytes)
{
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder.rdbuf()->setLineLength(0);
	encoder << bytes;
	encoder.close();
	return out.str();
}

// A cursor with a correct checksum around any payload: what someone who
// read the format would forge.
std::string forge(const std::string& payload)
{
	Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
	crc.update(payload);
	Poco::UInt32 v = crc.checksum();
	std::string bytes;
	for (int i = 0; i < 4; ++i)
		bytes += static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
	return base64url(bytes + payload);
}

void assertRejected(const std::string& cursor)
{
	try
	{
		ListCursor::decode(cursor);
	}
	catch (const ValidationError& e)
	{
		CPPUNIT_ASSERT_EQUAL(ValidationError::VALIDATION_FAILED, e.code());
		CPPUNIT_ASSERT_EQUAL(std::string("cursor"), e.field());
		return;
	}
	CPPUNIT_FAIL("accepted the cursor \"" + cursor + "\"");
}

SortKey key(int rank, const std::string& group, const std::string& name, Poco::Int64 id)
{
	SortKey k;
	k.groupRank = rank;
	k.groupName = group;
	k.name = name;
	k.id = id;
	return k;
}

} // namespace

class ListCursorTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ListCursorTest);
	CPPUNIT_TEST(testRoundTripsNamedGroup);
	CPPUNIT_TEST(testRoundTripsUngrouped);
	CPPUNIT_TEST(testRoundTripsQuotesAndUnicode);
	CPPUNIT_TEST(testIsUrlSafeText);
	CPPUNIT_TEST(testRejectsEmptyAndGarbage);
	CPPUNIT_TEST(testRejectsEveryTamperedCharacter);
	CPPUNIT_TEST(testRejectsPaddingAndNonCanonicalBase64);
	CPPUNIT_TEST(testRejectsWellChecksummedPayloadOfWrongShape);
	CPPUNIT_TEST(testRejectsOverlongCursor);
	CPPUNIT_TEST_SUITE_END();

public:
	void testRoundTripsNamedGroup()
	{
		SortKey k = key(SortKey::GROUP_NAMED, "Acme", "Zhang San", 42);
		CPPUNIT_ASSERT(ListCursor::decode(ListCursor::encode(k)) == k);
	}

	void testRoundTripsUngrouped()
	{
		SortKey k = key(SortKey::GROUP_NONE, "", "李四", 9007199254740993LL);
		CPPUNIT_ASSERT(ListCursor::decode(ListCursor::encode(k)) == k);
	}

	void testRoundTripsQuotesAndUnicode()
	{
		SortKey k = key(SortKey::GROUP_NAMED, "\"Quote\" & \\Co/ 公司", "😀 O'Brien", 7);
		CPPUNIT_ASSERT(ListCursor::decode(ListCursor::encode(k)) == k);
	}

	void testIsUrlSafeText()
	{
		std::string c = ListCursor::encode(key(SortKey::GROUP_NAMED, "公司?>>>", "~~~", 1));
		CPPUNIT_ASSERT(c.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
					   std::string::npos);
	}

	void testRejectsEmptyAndGarbage()
	{
		for (const char* c : {"", "a", "abc", "!!!!", "null", "eyJ9", "AAAAAAAA", "a b c d", "abcd.efg"})
			assertRejected(c);
		assertRejected(base64url("[1,0,\"Acme\",\"Zhang\",42]")); // no checksum
	}

	void testRejectsEveryTamperedCharacter()
	{
		std::string good = ListCursor::encode(key(SortKey::GROUP_NAMED, "Acme", "Zhang San", 42));
		for (std::size_t i = 0; i < good.size(); ++i)
		{
			std::string bad = good;
			bad[i] = bad[i] == 'A' ? 'B' : 'A';
			assertRejected(bad);
		}
		assertRejected(good.substr(0, good.size() - 1));
		assertRejected(good + "AA");
	}

	void testRejectsPaddingAndNonCanonicalBase64()
	{
		std::string good = ListCursor::encode(key(SortKey::GROUP_NAMED, "Acme", "Zhang", 4));
		assertRejected(good + "=");
		assertRejected(good + "==");
		std::string standard = good;
		for (char& ch : standard)
			ch = ch == '-' ? '+' : ch == '_' ? '/' : ch;
		if (standard != good) assertRejected(standard);
		// Same bytes, different trailing bits: only one spelling is the cursor.
		std::string payload = "[1,0,\"Acme\",\"Zhang\",4]";
		std::string c = forge(payload);
		if (c.size() % 4 != 0)
		{
			std::string odd = c;
			odd.back() = odd.back() == 'A' ? 'B' : static_cast<char>(odd.back() + 1);
			assertRejected(odd);
		}
	}

	void testRejectsWellChecksummedPayloadOfWrongShape()
	{
		CPPUNIT_ASSERT(ListCursor::decode(forge("[1,0,\"Acme\",\"Zhang\",4]")) ==
					   key(SortKey::GROUP_NAMED, "Acme", "Zhang", 4)); // the forge is right
		for (const char* payload :
			 {"{\"v\":1}", "[1,0,\"Acme\",\"Zhang\"]", "[1,0,\"Acme\",\"Zhang\",4,5]", "[2,0,\"Acme\",\"Zhang\",4]",
			  "[1,0,\"\",\"Zhang\",4]", "[1,1,\"Acme\",\"Zhang\",4]", "[1,2,\"Acme\",\"Zhang\",4]",
			  "[1,0,\"Acme\",\"Zhang\",0]", "[1,0,\"Acme\",\"Zhang\",-4]", "[1,0,\"Acme\",\"Zhang\",\"4\"]",
			  "[1,0,\"Acme\",\"Zhang\",4.5]", "[1,0,\"Acme\",7,4]", "[1,\"0\",\"Acme\",\"Zhang\",4]",
			  "[1,0,\"Acme\",\"Zh\\nang\",4]", "[1,0,\"Acme\",\"Zhang\",99999999999999999999]",
			  "[1,0,[\"Acme\"],\"Zhang\",4]", "[1,0,\"Acme\",\"Zhang\",4] x", "not json"})
		{
			assertRejected(forge(payload));
		}
	}

	void testRejectsOverlongCursor()
	{
		assertRejected(std::string(ListCursor::MAX_LENGTH + 4, 'A'));
		std::string huge = forge("[1,0,\"" + std::string(2000, 'a') + "\",\"Zhang\",4]");
		assertRejected(huge);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListCursorTest);
