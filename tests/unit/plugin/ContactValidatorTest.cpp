#include "domain/ContactValidator.h"
#include "domain/ValidationError.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using ExternalContacts::ContactEdit;
using ExternalContacts::ContactFields;
using ExternalContacts::ContactValidator;
using ExternalContacts::ValidationError;

namespace
{

Poco::JSON::Object::Ptr parse(const std::string& json)
{
	Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
	return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string repeat(const std::string& unit, std::size_t n)
{
	std::string s;
	for (std::size_t i = 0; i < n; ++i)
		s += unit;
	return s;
}

ContactFields validate(const Poco::JSON::Object& body)
{
	return ContactValidator::validateCreate(body);
}

void assertRejected(const Poco::JSON::Object& body, const std::string& code, const std::string& field)
{
	try
	{
		validate(body);
	}
	catch (const ValidationError& e)
	{
		CPPUNIT_ASSERT_EQUAL(code, e.code());
		CPPUNIT_ASSERT_EQUAL(field, e.field());
		CPPUNIT_ASSERT(!e.message().empty());
		return;
	}
	CPPUNIT_FAIL("accepted a body that breaks a rule of " + field);
}

void assertFieldRejected(const std::string& field, const Poco::Dynamic::Var& value)
{
	Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
	if (field != "name") body.set("name", "Zhang San");
	body.set(field, value);
	assertRejected(body, ValidationError::VALIDATION_FAILED, field);
}

ContactFields validateField(const std::string& field, const Poco::Dynamic::Var& value)
{
	Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
	if (field != "name") body.set("name", "Zhang San");
	body.set(field, value);
	return validate(body);
}

} // namespace

class ContactValidatorTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ContactValidatorTest);
	CPPUNIT_TEST(testGroupMaintainersBody);
	CPPUNIT_TEST(testAcceptsNameOnly);
	CPPUNIT_TEST(testRejectsMissingName);
	CPPUNIT_TEST(testAcceptsEveryFieldTrimmed);
	CPPUNIT_TEST(testBlankOrNullOptionalFieldsAreAbsent);
	CPPUNIT_TEST(testRejectsBlankOrNullName);
	CPPUNIT_TEST(testAcceptsNameOfMaximumLength);
	CPPUNIT_TEST(testRejectsOverlongName);
	CPPUNIT_TEST(testAcceptsMobileFormats);
	CPPUNIT_TEST(testRejectsBadMobiles);
	CPPUNIT_TEST(testAcceptsEmails);
	CPPUNIT_TEST(testRejectsBadEmails);
	CPPUNIT_TEST(testAcceptsTextFieldsAtTheirLimits);
	CPPUNIT_TEST(testRejectsOverlongTextFields);
	CPPUNIT_TEST(testAcceptsTagsAndDropsDuplicates);
	CPPUNIT_TEST(testRejectsBadTags);
	CPPUNIT_TEST(testRejectsInvalidUtf8);
	CPPUNIT_TEST(testRejectsControlCharacters);
	CPPUNIT_TEST(testAddressAndRemarkKeepLineBreaks);
	CPPUNIT_TEST(testRejectsWrongJsonTypes);
	CPPUNIT_TEST(testRejectsUnknownField);
	CPPUNIT_TEST(testReportsFirstUnknownFieldBeforeOtherErrors);
	CPPUNIT_TEST(testAcceptsSearchText);
	CPPUNIT_TEST(testRejectsBadSearchText);
	CPPUNIT_TEST(testEditKeepsOnlyNamedFields);
	CPPUNIT_TEST(testEditNeedsIntegerVersion);
	CPPUNIT_TEST(testEditAppliesTheSameRulesAsCreate);
	CPPUNIT_TEST_SUITE_END();

public:
	void testGroupMaintainersBody()
	{
		ExternalContacts::GroupMaintainers named =
			ContactValidator::validateGroupMaintainers(*parse(R"({"group":"  Acme ","maintainers":[3,1,3]})"));
		CPPUNIT_ASSERT_EQUAL(std::string("Acme"), named.group);
		CPPUNIT_ASSERT(named.maintainers == std::vector<Poco::Int64>({1, 3}));
		ExternalContacts::GroupMaintainers none =
			ContactValidator::validateGroupMaintainers(*parse(R"({"group":null,"maintainers":[]})"));
		CPPUNIT_ASSERT_EQUAL(std::string(), none.group);
		CPPUNIT_ASSERT(none.maintainers.empty());
		const std::pair<const char*, const char*> bad[] = {
			{R"({"maintainers":[]})", "group"},
			{R"({"group":"","maintainers":[]})", "group"},
			{R"({"group":[],"maintainers":[]})", "group"},
			{R"({"group":null})", "maintainers"},
			{R"({"group":null,"maintainers":[1,"2"]})", "maintainers"},
			{R"({"group":null,"maintainers":[],"members":[]})", "members"}};
		for (const auto& c : bad)
		{
			try
			{
				ContactValidator::validateGroupMaintainers(*parse(c.first));
				CPPUNIT_FAIL(std::string("accepted ") + c.first);
			}
			catch (const ValidationError& e)
			{
				CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first, std::string(c.second), e.field());
			}
		}
	}

	void testAcceptsNameOnly()
	{
		ContactFields d = validate(*parse(R"({"name":"张三"})"));
		CPPUNIT_ASSERT_EQUAL(std::string("张三"), d.name);
		CPPUNIT_ASSERT(!d.mobile && !d.email && !d.company && !d.title && !d.department && !d.address && !d.remark);
		CPPUNIT_ASSERT(d.tags.empty());
	}

	void testRejectsMissingName()
	{
		assertRejected(*parse(R"({"mobile":"13800138000"})"), ValidationError::VALIDATION_FAILED, "name");
		assertRejected(*parse("{}"), ValidationError::VALIDATION_FAILED, "name");
	}

	void testAcceptsEveryFieldTrimmed()
	{
		ContactFields d =
			validate(*parse(R"({"name":" 张三 ","mobile":"+86 138-0013-8000 ","email":" zs@example.com",)"
							R"("company":"Acme 公司","title":"CTO","department":"R&D","address":"1 Main St",)"
							R"("remark":"met at expo","tags":["vip"," partner "]})"));
		CPPUNIT_ASSERT_EQUAL(std::string("张三"), d.name);
		CPPUNIT_ASSERT_EQUAL(std::string("+86 138-0013-8000"), *d.mobile);
		CPPUNIT_ASSERT_EQUAL(std::string("zs@example.com"), *d.email);
		CPPUNIT_ASSERT_EQUAL(std::string("Acme 公司"), *d.company);
		CPPUNIT_ASSERT_EQUAL(std::string("CTO"), *d.title);
		CPPUNIT_ASSERT_EQUAL(std::string("R&D"), *d.department);
		CPPUNIT_ASSERT_EQUAL(std::string("1 Main St"), *d.address);
		CPPUNIT_ASSERT_EQUAL(std::string("met at expo"), *d.remark);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.tags.size());
		CPPUNIT_ASSERT_EQUAL(std::string("partner"), d.tags[1]);
	}

	void testBlankOrNullOptionalFieldsAreAbsent()
	{
		ContactFields d = validate(*parse(R"({"name":"a","mobile":"","email":null,"company":"  ","tags":null})"));
		CPPUNIT_ASSERT(!d.mobile);
		CPPUNIT_ASSERT(!d.email);
		CPPUNIT_ASSERT(!d.company);
		CPPUNIT_ASSERT(d.tags.empty());
	}

	void testRejectsBlankOrNullName()
	{
		assertRejected(*parse(R"({"name":"   "})"), ValidationError::VALIDATION_FAILED, "name");
		assertRejected(*parse(R"({"name":""})"), ValidationError::VALIDATION_FAILED, "name");
		assertRejected(*parse(R"({"name":null})"), ValidationError::VALIDATION_FAILED, "name");
	}

	void testAcceptsNameOfMaximumLength()
	{
		std::string name = repeat("张", ContactValidator::NAME_LENGTH_MAX);
		CPPUNIT_ASSERT_EQUAL(name, validateField("name", name).name);
	}

	void testRejectsOverlongName()
	{
		assertFieldRejected("name", repeat("张", ContactValidator::NAME_LENGTH_MAX + 1));
		assertFieldRejected("name", repeat("a", ContactValidator::NAME_LENGTH_MAX + 1));
	}

	void testAcceptsMobileFormats()
	{
		for (const char* mobile :
			 {"13800138000", "+8613800138000", "+86 138 0013 8000", "138-0013-8000", "123456", "+12345678901234567890"})
		{
			CPPUNIT_ASSERT_EQUAL(std::string(mobile), *validateField("mobile", std::string(mobile)).mobile);
		}
	}

	void testRejectsBadMobiles()
	{
		for (const char* mobile : {"12345", "+123456789012345678901", "1380013800a", "138--0013-8000", "138  0013",
								   "+-13800138000", "-13800138000", "++8613800138000", "86+13800138000",
								   "(010) 12345678", "１３８００１３８０００", "138.0013.8000"})
		{
			assertFieldRejected("mobile", std::string(mobile));
		}
	}

	void testAcceptsEmails()
	{
		for (const char* email : {"a@b.cn", "zhang.san+crm@example.com.cn", "张三@例子.中国", "x@sub-domain.example"})
			CPPUNIT_ASSERT_EQUAL(std::string(email), *validateField("email", std::string(email)).email);
		std::string longest = repeat("a", 64) + "@" + repeat("b", 185) + ".com"; // 254
		CPPUNIT_ASSERT(validateField("email", longest).email.has_value());
	}

	void testRejectsBadEmails()
	{
		for (const char* email : {"plain", "a@b", "@b.cn", "a@", "a@@b.cn", "a@b@c.cn", "a b@c.cn", "a@.b.cn",
								  "a@b.cn.", "a@b..cn", "<a@b.cn>", "a@b.cn,c@d.cn", "a@b;c.cn"})
		{
			assertFieldRejected("email", std::string(email));
		}
		assertFieldRejected("email", repeat("a", 64) + "@" + repeat("b", 186) + ".com"); // 255
	}

	void testAcceptsTextFieldsAtTheirLimits()
	{
		CPPUNIT_ASSERT(validateField("company", repeat("公", 100)).company.has_value());
		CPPUNIT_ASSERT(validateField("title", repeat("t", 100)).title.has_value());
		CPPUNIT_ASSERT(validateField("department", repeat("部", 100)).department.has_value());
		CPPUNIT_ASSERT(validateField("address", repeat("址", 500)).address.has_value());
		CPPUNIT_ASSERT(validateField("remark", repeat("注", 1000)).remark.has_value());
	}

	void testRejectsOverlongTextFields()
	{
		assertFieldRejected("company", repeat("公", 101));
		assertFieldRejected("title", repeat("t", 101));
		assertFieldRejected("department", repeat("部", 101));
		assertFieldRejected("address", repeat("址", 501));
		assertFieldRejected("remark", repeat("注", 1001));
	}

	void testAcceptsTagsAndDropsDuplicates()
	{
		ContactFields d = validate(*parse(R"({"name":"a","tags":["vip","客户","vip"," vip "]})"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.tags.size());
		CPPUNIT_ASSERT_EQUAL(std::string("vip"), d.tags[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("客户"), d.tags[1]);
		Poco::JSON::Array::Ptr most = new Poco::JSON::Array;
		for (int i = 0; i < 20; ++i)
			most->add(std::to_string(i) + repeat("t", 30));
		CPPUNIT_ASSERT_EQUAL(std::size_t(20), validateField("tags", most).tags.size());
	}

	void testRejectsBadTags()
	{
		Poco::JSON::Array::Ptr tooMany = new Poco::JSON::Array;
		for (int i = 0; i < 21; ++i)
			tooMany->add("t" + std::to_string(i));
		assertFieldRejected("tags", tooMany);
		assertRejected(*parse(R"({"name":"a","tags":["abcdefghijklmnopqrstuvwxyz0123456"]})"),
					   ValidationError::VALIDATION_FAILED, "tags"); // 33 characters
		assertRejected(*parse(R"({"name":"a","tags":["ok",5]})"), ValidationError::VALIDATION_FAILED, "tags");
		assertRejected(*parse(R"({"name":"a","tags":["ok",null]})"), ValidationError::VALIDATION_FAILED, "tags");
		assertRejected(*parse(R"({"name":"a","tags":["ok"," "]})"), ValidationError::VALIDATION_FAILED, "tags");
		assertRejected(*parse(R"({"name":"a","tags":"vip"})"), ValidationError::VALIDATION_FAILED, "tags");
		assertRejected(*parse(R"({"name":"a","tags":{"vip":true}})"), ValidationError::VALIDATION_FAILED, "tags");
	}

	void testRejectsInvalidUtf8()
	{
		assertFieldRejected("name", std::string("Zhang\xFF"));
		assertFieldRejected("company", std::string("\xED\xA0\x80"));
		assertFieldRejected("remark", std::string("\xC0\x80"));
		Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
		tags->add(std::string("\xE5\xBC"));
		assertFieldRejected("tags", tags);
	}

	void testRejectsControlCharacters()
	{
		assertFieldRejected("name", std::string("Zhang\nSan"));
		assertFieldRejected("remark", std::string("line\tbreak"));
		assertFieldRejected("address", std::string("a\0b", 3));
		assertFieldRejected("title", std::string("del\x7F"));
		assertFieldRejected("department", std::string("c1\xC2\x85"));
		assertRejected(*parse(R"({"name":"a\u0000b"})"), ValidationError::VALIDATION_FAILED, "name");
	}

	void testAddressAndRemarkKeepLineBreaks()
	{
		ContactFields f = ContactValidator::validateCreate(
			*parse(R"({"name":"a","address":"上海市\r\n浦东新区","remark":"第一行\n第二行"})"));
		CPPUNIT_ASSERT_EQUAL(std::string("上海市\n浦东新区"), *f.address);
		CPPUNIT_ASSERT_EQUAL(std::string("第一行\n第二行"), *f.remark);
		assertFieldRejected("remark", std::string("bare\rreturn"));
		assertFieldRejected("address", std::string("tab\there"));
		assertFieldRejected("company", std::string("two\nlines"));
	}

	void testRejectsWrongJsonTypes()
	{
		assertRejected(*parse(R"({"name":5})"), ValidationError::VALIDATION_FAILED, "name");
		assertRejected(*parse(R"({"name":"a","mobile":13800138000})"), ValidationError::VALIDATION_FAILED, "mobile");
		assertRejected(*parse(R"({"name":"a","email":true})"), ValidationError::VALIDATION_FAILED, "email");
		assertRejected(*parse(R"({"name":"a","company":{}})"), ValidationError::VALIDATION_FAILED, "company");
		assertRejected(*parse(R"({"name":"a","remark":["x"]})"), ValidationError::VALIDATION_FAILED, "remark");
		assertRejected(*parse(R"({"name":["a"]})"), ValidationError::VALIDATION_FAILED, "name");
	}

	void testRejectsUnknownField()
	{
		assertRejected(*parse(R"({"name":"a","nickname":"b"})"), ValidationError::UNKNOWN_FIELD, "nickname");
		// Fields that exist on a contact but are not the creator's to set.
		assertRejected(*parse(R"({"name":"a","securityLevel":-5})"), ValidationError::UNKNOWN_FIELD, "securityLevel");
		assertRejected(*parse(R"({"name":"a","addedBy":7})"), ValidationError::UNKNOWN_FIELD, "addedBy");
		assertRejected(*parse(R"({"name":"a","Name":"b"})"), ValidationError::UNKNOWN_FIELD, "Name");
	}

	void testReportsFirstUnknownFieldBeforeOtherErrors()
	{
		assertRejected(*parse(R"({"zeta":1,"mobile":"x","alpha":2})"), ValidationError::UNKNOWN_FIELD, "zeta");
	}

	void testAcceptsSearchText()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("张 三"), ContactValidator::validateSearch("  张 三 "));
		CPPUNIT_ASSERT_EQUAL(std::string(), ContactValidator::validateSearch(""));
		CPPUNIT_ASSERT_EQUAL(std::string("50%_off!"), ContactValidator::validateSearch("50%_off!"));
	}

	void testRejectsBadSearchText()
	{
		for (const std::string& q : {std::string("a\nb"), std::string("\xFF"), repeat("q", 101)})
		{
			try
			{
				ContactValidator::validateSearch(q);
				CPPUNIT_FAIL("accepted a bad search text");
			}
			catch (const ValidationError& e)
			{
				CPPUNIT_ASSERT_EQUAL(std::string("q"), e.field());
			}
		}
	}

	void testEditKeepsOnlyNamedFields()
	{
		ContactEdit edit = ContactValidator::validateEdit(*parse(R"({"version":3,"title":" CEO ","company":null})"));
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), edit.version);
		CPPUNIT_ASSERT(edit.has("title") && edit.has("company") && !edit.has("name") && !edit.has("tags"));
		ContactFields fields;
		fields.name = "Zhang";
		fields.company = "Acme";
		fields.tags = {"vip"};
		edit.applyTo(fields);
		CPPUNIT_ASSERT_EQUAL(std::string("Zhang"), fields.name);
		CPPUNIT_ASSERT_EQUAL(std::string("CEO"), *fields.title);
		CPPUNIT_ASSERT(!fields.company);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), fields.tags.size());
	}

	void testEditNeedsIntegerVersion()
	{
		for (const char* body : {R"({"title":"x"})", R"({"version":null})", R"({"version":"2"})", R"({"version":0})",
								 R"({"version":2.5})", R"({"version":false})"})
		{
			try
			{
				ContactValidator::validateEdit(*parse(body));
				CPPUNIT_FAIL(std::string("accepted ") + body);
			}
			catch (const ValidationError& e)
			{
				CPPUNIT_ASSERT_EQUAL(std::string("version"), e.field());
			}
		}
	}

	void testEditAppliesTheSameRulesAsCreate()
	{
		const std::pair<const char*, const char*> cases[] = {{R"({"version":1,"name":" "})", "name"},
															 {R"({"version":1,"mobile":"1"})", "mobile"},
															 {R"({"version":1,"email":"a@b"})", "email"},
															 {R"({"version":1,"tags":[""]})", "tags"},
															 {R"({"version":1,"owner":1})", "owner"}};
		for (const auto& [body, field] : cases)
		{
			try
			{
				ContactValidator::validateEdit(*parse(body));
				CPPUNIT_FAIL(std::string("accepted ") + body);
			}
			catch (const ValidationError& e)
			{
				CPPUNIT_ASSERT_EQUAL(std::string(field), e.field());
			}
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContactValidatorTest);
