// Query strings and url-encoded forms (http/QueryString), the list
// parameters read from them (limit, id cursors) and the invitation landing
// page's form (BodyReaders::inviteSubmission). Checks:
//  - only ValidationError escapes, naming a field;
//  - every decoded value the routes ask for is valid UTF-8, an error names
//    the parameter asked for, and the value percent-encoded alone reads
//    back the same (encoding round trip);
//  - limit() is the fallback, 0, or 1..999 from 1 to 3 digits; idCursor()
//    is 0..10^18-1 from 1 to 18 digits;
//  - a landing form without problems has a name, a valid mobile and fields
//    within their lengths, all trimmed.
#include "FuzzCheck.h"
#include "domain/ContactValidator.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "http/BodyReaders.h"
#include "http/QueryString.h"
#include <cstdint>

using namespace ExternalContacts;

namespace
{

std::string percentEncode(const std::string& s)
{
	static const char HEX[] = "0123456789ABCDEF";
	std::string out;
	for (unsigned char c : s)
	{
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			c == '.' || c == '~')
			out += static_cast<char>(c);
		else if (c == ' ')
			out += '+';
		else
		{
			out += '%';
			out += HEX[c >> 4];
			out += HEX[c & 15];
		}
	}
	return out;
}

void checkQuery(const std::string& raw)
{
	QueryString query(raw);
	// Known parameters the routes ask for.
	for (const char* name : {"scope", "source", "q", "cursor", "limit", "box", "status", "from", "to", "applicant",
							 "size", "code", "state", "orgName"})
	{
		try
		{
			std::optional<std::string> v = query.get(name);
			if (v) FUZZ_CHECK(Utf8Text::isValid(*v), std::string("value of ") + name + " is not UTF-8");
			if (v)
			{
				// Round trip: the value encoded alone reads back the same.
				QueryString again(std::string(name) + "=" + percentEncode(*v));
				FUZZ_CHECK(again.get(name) == v, std::string("percent-encoding round trip of ") + name);
			}
		}
		catch (const ValidationError& e)
		{
			FUZZ_CHECK(e.field() == name, std::string("error for ") + name + " names " + e.field());
		}
	}
	try
	{
		std::size_t limit = query.limit(20);
		std::optional<std::string> text = query.get("limit");
		if (!text)
			FUZZ_CHECK(limit == 20, "limit without a parameter");
		else
			FUZZ_CHECK(limit <= 999, "limit above 999");
	}
	catch (const ValidationError& e)
	{
		FUZZ_CHECK(e.field() == "limit", "limit error names " + e.field());
	}
	try
	{
		std::optional<long long> cursor = query.idCursor();
		if (cursor) FUZZ_CHECK(*cursor >= 0 && *cursor < 1000000000000000000LL, "id cursor out of range");
	}
	catch (const ValidationError& e)
	{
		FUZZ_CHECK(e.field() == "cursor", "cursor error names " + e.field());
	}
}

void checkForm(const std::string& body)
{
	BodyReaders::InviteSubmission form = BodyReaders::inviteSubmission(body);
	for (const std::string* v :
		 {&form.values.name, &form.values.mobile, &form.values.company, &form.values.title, &form.reference})
		if (Utf8Text::isValid(*v)) FUZZ_CHECK(Utf8Text::trim(*v) == *v, "form value not trimmed");
	if (!form.problems.empty())
	{
		for (const InviteForm::Problem& p : form.problems)
			FUZZ_CHECK(p.kind == "required" || p.kind == "too_long" || p.kind == "invalid", "problem kind " + p.kind);
		return;
	}
	const InviteForm& f = form.values;
	FUZZ_CHECK(!f.name.empty() && Utf8Text::length(f.name) <= InviteForm::NAME_LENGTH_MAX, "name");
	FUZZ_CHECK(!Utf8Text::hasControlCharacters(f.name), "name with control characters");
	FUZZ_CHECK(ContactValidator::isValidMobile(f.mobile), "mobile " + f.mobile);
	FUZZ_CHECK(Utf8Text::length(f.company) <= InviteForm::COMPANY_LENGTH_MAX, "company");
	FUZZ_CHECK(Utf8Text::length(f.title) <= InviteForm::TITLE_LENGTH_MAX, "title");
	FUZZ_CHECK(!Utf8Text::hasControlCharacters(f.company) && !Utf8Text::hasControlCharacters(f.title), "controls");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	std::string raw(reinterpret_cast<const char*>(data), size);
	try
	{
		checkQuery(raw);
	}
	catch (const ValidationError& e)
	{
		FUZZ_CHECK(!e.field().empty(), "error without a field");
	}
	checkForm(raw);
	return 0;
}
