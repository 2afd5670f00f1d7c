#include "domain/JsonWriter.h"
#include "domain/ContactSnapshot.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <limits>

using ExternalContacts::ContactSnapshot;
using ExternalContacts::JsonWriter;

// The streaming writer of the hot answers (domain/JsonWriter) and the
// stored tags' reader; tests/fuzz/fuzz_json_writer.cpp checks the same
// against POCO's parser on arbitrary bytes.
class JsonWriterTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(JsonWriterTest);
	CPPUNIT_TEST(testWritesNestedValuesWithCommasWhereTheyBelong);
	CPPUNIT_TEST(testEscapesQuotesBackslashesAndControls);
	CPPUNIT_TEST(testKeepsUtf8AsItIs);
	CPPUNIT_TEST(testRefusesInvalidUtf8);
	CPPUNIT_TEST(testIntegersAtTheirLimits);
	CPPUNIT_TEST(testStoredTagsReadBackBothWays);
	CPPUNIT_TEST(testStoredTagsThatAreNotAnArrayOfStringsAreRefused);
	CPPUNIT_TEST_SUITE_END();

public:
	void testWritesNestedValuesWithCommasWhereTheyBelong()
	{
		JsonWriter out;
		CPPUNIT_ASSERT(!out.complete());
		out.startObject().key("items").startArray();
		out.startObject().field("id", Poco::Int64(1)).field("name", std::optional<std::string>()).endObject();
		out.startObject().field("id", Poco::Int64(2)).key("tags").startArray().endArray().endObject();
		out.endArray().field("more", true).key("empty").startObject().endObject().endObject();
		CPPUNIT_ASSERT(out.complete());
		CPPUNIT_ASSERT_EQUAL(
			std::string(R"({"items":[{"id":1,"name":null},{"id":2,"tags":[]}],"more":true,"empty":{}})"), out.take());
		CPPUNIT_ASSERT(!out.complete());
		out.startArray().value(false).null().value("x").endArray();
		CPPUNIT_ASSERT_EQUAL(std::string(R"([false,null,"x"])"), out.str());
	}

	void testEscapesQuotesBackslashesAndControls()
	{
		JsonWriter out;
		out.value(std::string("a\"b\\c/\b\f\n\r\t\x01\x1f\x7f") + std::string(1, '\0') + "end");
		CPPUNIT_ASSERT_EQUAL(std::string(R"("a\"b\\c/\b\f\n\r\t\u0001\u001f)") + "\x7f" + R"(\u0000end")", out.str());
		// POCO's parser reads back every byte.
		Poco::JSON::Parser parser;
		JsonWriter object;
		std::string text = std::string("say \"hi\"\\\n\x02") + std::string(1, '\0');
		object.startObject().field("t", text).endObject();
		Poco::JSON::Object::Ptr back = parser.parse(object.str()).extract<Poco::JSON::Object::Ptr>();
		CPPUNIT_ASSERT(text == back->getValue<std::string>("t"));
	}

	void testKeepsUtf8AsItIs()
	{
		JsonWriter out;
		out.value(std::string("张三 😀 \xE2\x80\xA8 é"));
		CPPUNIT_ASSERT_EQUAL(std::string("\"张三 😀 \xE2\x80\xA8 é\""), out.str());
	}

	void testRefusesInvalidUtf8()
	{
		for (const std::string& bad : {std::string("\xFF"), std::string("ok \xC3"), std::string("\xC0\xAF"),
									   std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")})
		{
			JsonWriter out;
			out.startArray();
			CPPUNIT_ASSERT_THROW(out.value(bad), Poco::DataFormatException);
		}
	}

	void testIntegersAtTheirLimits()
	{
		JsonWriter out;
		out.startArray()
			.value(std::numeric_limits<Poco::Int64>::min())
			.value(std::numeric_limits<Poco::Int64>::max())
			.value(std::numeric_limits<Poco::UInt64>::max())
			.value(-999)
			.value(0)
			.endArray();
		CPPUNIT_ASSERT_EQUAL(std::string("[-9223372036854775808,9223372036854775807,18446744073709551615,-999,0]"),
							 out.str());
	}

	void testStoredTagsReadBackBothWays()
	{
		using Tags = std::vector<std::string>;
		for (const Tags& tags : {Tags{}, Tags{""}, Tags{"VIP"}, Tags{"VIP", "客户", ""}, Tags{"a\"b", "c\\d"},
								 Tags{"line\nbreak", "a,b", "\",\""}})
			CPPUNIT_ASSERT(tags == ContactSnapshot::tagsFromJson(ContactSnapshot::tagsToJson(tags)));
		CPPUNIT_ASSERT_EQUAL(std::string(R"(["VIP","客户"])"), ContactSnapshot::tagsToJson({"VIP", "客户"}));
		// Rows written before (POCO's Stringifier) and other spellings of the same array.
		CPPUNIT_ASSERT(Tags({"a/b", "中"}) == ContactSnapshot::tagsFromJson(R"(["a\/b","\u4e2d"])"));
		CPPUNIT_ASSERT(Tags({"a", "b"}) == ContactSnapshot::tagsFromJson(R"([ "a" , "b" ])"));
	}

	void testStoredTagsThatAreNotAnArrayOfStringsAreRefused()
	{
		for (const char* bad : {"", "{}", "\"a\"", "[\"a\",\"]", "[\"VIP\",\"]", "[\"a\"", "nonsense"})
			CPPUNIT_ASSERT_THROW(ContactSnapshot::tagsFromJson(bad), Poco::Exception);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonWriterTest);
