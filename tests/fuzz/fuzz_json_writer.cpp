// The streaming JSON writer of the hot answers (domain/JsonWriter, written
// through ContactSnapshot as the contact list, card and audit snapshots
// are) and the reader of stored tags. Byte 0 picks the mode:
//  0: the rest is a contact's text fields split by 0x1E (name, mobile,
//     email, company, title, department, address, remark, then tags split
//     by 0x1F); a field that is exactly "\x00" stands for NULL. Checks:
//     - the writer refuses (Poco::DataFormatException) exactly when some
//       text is not valid UTF-8 (Utf8Text::isValid); nothing else escapes;
//     - an accepted answer is one JSON object that POCO's parser reads back
//       to exactly the fields written (every byte of every string, NULL as
//       null, tags in order), with no raw byte below 0x20 in the text;
//     - the stored tags text (tagsToJson) reads back (tagsFromJson) to the
//       same tags;
//  1: the rest is a stored tags text: ContactSnapshot::tagsFromJson (its
//     fast path or POCO) gives exactly what POCO's parser gives for an
//     array of strings, and fails where POCO fails or finds no such array.
#include "FuzzCheck.h"
#include "domain/ContactSnapshot.h"
#include "domain/Utf8Text.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cstdint>
#include <vector>

using namespace ExternalContacts;

namespace
{

std::optional<std::string> field(const std::vector<std::string>& parts, std::size_t i)
{
	if (i >= parts.size() || parts[i] == std::string(1, '\0')) return std::nullopt;
	return parts[i];
}

void checkText(const Poco::JSON::Object& o, const char* key, const std::optional<std::string>& expected)
{
	FUZZ_CHECK(o.has(key), key);
	if (!expected)
	{
		FUZZ_CHECK(o.isNull(key), key);
		return;
	}
	FUZZ_CHECK(o.get(key).isString(), key);
	FUZZ_CHECK(o.getValue<std::string>(key) == *expected, key);
}

void storedTags(const std::string& text)
{
	std::optional<std::vector<std::string>> expected;
	try
	{
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var parsed = parser.parse(text);
		if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
		{
			std::vector<std::string> tags;
			bool strings = true;
			for (const Poco::Dynamic::Var& tag : *parsed.extract<Poco::JSON::Array::Ptr>())
			{
				strings = strings && tag.isString();
				if (strings) tags.push_back(tag.convert<std::string>());
			}
			if (strings) expected = tags;
		}
	}
	catch (const Poco::Exception&)
	{
	}
	std::vector<std::string> got;
	try
	{
		got = ContactSnapshot::tagsFromJson(text);
	}
	catch (const Poco::Exception&)
	{
		FUZZ_CHECK(!expected, "stored tags POCO reads were refused");
		return;
	}
	if (expected) FUZZ_CHECK(got == *expected, "stored tags read otherwise than POCO reads them");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	if (size == 0) return 0;
	std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
	if (data[0] % 2 == 1)
	{
		storedTags(input);
		return 0;
	}
	std::vector<std::string> parts = Fuzz::splitAll(input, '\x1E');
	Contact c;
	c.id = 42;
	c.orgId = 7;
	c.name = field(parts, 0).value_or("");
	c.mobile = field(parts, 1);
	c.email = field(parts, 2);
	c.company = field(parts, 3);
	c.title = field(parts, 4);
	c.department = field(parts, 5);
	c.address = field(parts, 6);
	c.remark = field(parts, 7);
	if (parts.size() > 8) c.tags = Fuzz::splitAll(parts[8], '\x1F');
	c.visibleMembers = {3, 5};

	bool allValid = Utf8Text::isValid(c.name);
	for (const std::optional<std::string>* f :
		 {&c.mobile, &c.email, &c.company, &c.title, &c.department, &c.address, &c.remark})
		if (*f && !Utf8Text::isValid(**f)) allValid = false;
	for (const std::string& tag : c.tags)
		if (!Utf8Text::isValid(tag)) allValid = false;

	std::string json;
	try
	{
		json = ContactSnapshot::toAuditJson(c);
	}
	catch (const Poco::DataFormatException&)
	{
		FUZZ_CHECK(!allValid, "valid UTF-8 refused");
		return 0;
	}
	FUZZ_CHECK(allValid, "invalid UTF-8 written");
	for (unsigned char ch : json)
		FUZZ_CHECK(ch >= 0x20, "a raw control byte in the JSON text");

	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(json);
	Poco::JSON::Object::Ptr o = parsed.extract<Poco::JSON::Object::Ptr>();
	checkText(*o, "name", c.name);
	checkText(*o, "mobile", c.mobile);
	checkText(*o, "email", c.email);
	checkText(*o, "company", c.company);
	checkText(*o, "title", c.title);
	checkText(*o, "department", c.department);
	checkText(*o, "address", c.address);
	checkText(*o, "remark", c.remark);
	FUZZ_CHECK(o->getValue<Poco::Int64>("id") == 42, "id");
	Poco::JSON::Array::Ptr tags = o->getArray("tags");
	FUZZ_CHECK(tags && tags->size() == c.tags.size(), "tag count");
	for (std::size_t i = 0; i < c.tags.size(); ++i)
		FUZZ_CHECK(tags->getElement<std::string>(static_cast<unsigned>(i)) == c.tags[i], "tag");
	Poco::JSON::Array::Ptr members = o->getArray("visibleMembers");
	FUZZ_CHECK(members && members->size() == 2, "visibleMembers");
	FUZZ_CHECK(ContactSnapshot::tagsFromJson(ContactSnapshot::tagsToJson(c.tags)) == c.tags, "tags round trip");
	return 0;
}
