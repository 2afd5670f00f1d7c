#include "http/CsvWriter.h"

#include <cppunit/extensions/HelperMacros.h>

using ExternalContacts::CsvWriter;

class CsvWriterTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(CsvWriterTest);
	CPPUNIT_TEST(testStartsWithABomAndEndsRowsWithCrLf);
	CPPUNIT_TEST(testQuotesWhatWouldBreakTheRow);
	CPPUNIT_TEST(testNeutralisesFormulas);
	CPPUNIT_TEST_SUITE_END();

public:
	void testStartsWithABomAndEndsRowsWithCrLf()
	{
		CsvWriter csv;
		csv.row({"联系人", "申请人"});
		csv.row({"张三", ""});
		CPPUNIT_ASSERT_EQUAL(std::string("\xEF\xBB\xBF联系人,申请人\r\n张三,\r\n"), csv.str());
	}

	void testQuotesWhatWouldBreakTheRow()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("plain text"), CsvWriter::cell("plain text"));
		CPPUNIT_ASSERT_EQUAL(std::string("\"a,b\""), CsvWriter::cell("a,b"));
		CPPUNIT_ASSERT_EQUAL(std::string("\"say \"\"hi\"\"\""), CsvWriter::cell("say \"hi\""));
		CPPUNIT_ASSERT_EQUAL(std::string("\"第一行\n第二行\""), CsvWriter::cell("第一行\n第二行"));
		CPPUNIT_ASSERT_EQUAL(std::string("\"a\r\nb\""), CsvWriter::cell("a\r\nb"));
	}

	void testNeutralisesFormulas()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("'=1+1"), CsvWriter::cell("=1+1"));
		CPPUNIT_ASSERT_EQUAL(std::string("'+86 138"), CsvWriter::cell("+86 138"));
		CPPUNIT_ASSERT_EQUAL(std::string("'-2+3"), CsvWriter::cell("-2+3"));
		CPPUNIT_ASSERT_EQUAL(std::string("'@SUM(A1)"), CsvWriter::cell("@SUM(A1)"));
		CPPUNIT_ASSERT_EQUAL(std::string("'\tx"), CsvWriter::cell("\tx"));
		CPPUNIT_ASSERT_EQUAL(std::string("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
							 CsvWriter::cell("=HYPERLINK(\"http://x\",\"y\")"));
		CPPUNIT_ASSERT_EQUAL(std::string("a=b"), CsvWriter::cell("a=b")); // only a leading sign matters
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(CsvWriterTest);
