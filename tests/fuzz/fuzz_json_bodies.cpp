// Every JSON request body the plugin accepts, read by the functions the
// routes call: the first input byte picks the body kind, the rest is the
// body (for kind 0 the first line is the Content-Type). Checks:
//  - only ValidationError / HttpError escape (anything else would be a 500);
//  - JsonBody::parseObject accepts only application/json bodies of at most
//    MAX_BYTES nesting at most MAX_DEPTH, and its object re-serializes to
//    text that parses to the same text (stable round trip);
//  - every accepted value obeys the documented limits (lengths in code
//    points, UTF-8 without control characters, id lists ascending, unique,
//    positive and bounded, levels and TTLs in range, no unknown field);
//  - contact validation is idempotent: a create body rebuilt from accepted
//    fields validates to the very same fields.
#include "FuzzCheck.h"
#include "domain/ContactValidator.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "http/BodyReaders.h"
#include "http/HttpError.h"
#include "http/JsonBody.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <algorithm>
#include <cstdint>
#include <sstream>

using namespace ExternalContacts;

namespace
{

const std::string JSON_TYPE = "application/json";

std::string stringify(const Poco::JSON::Object& o)
{
	std::ostringstream out;
	o.stringify(out);
	return out.str();
}

std::size_t depthOf(const Poco::Dynamic::Var& v)
{
	if (v.type() == typeid(Poco::JSON::Object::Ptr))
	{
		std::size_t d = 0;
		for (const auto& m : *v.extract<Poco::JSON::Object::Ptr>())
			d = std::max(d, depthOf(m.second));
		return d + 1;
	}
	if (v.type() == typeid(Poco::JSON::Array::Ptr))
	{
		std::size_t d = 0;
		for (const auto& m : *v.extract<Poco::JSON::Array::Ptr>())
			d = std::max(d, depthOf(m));
		return d + 1;
	}
	return 0;
}

void checkText(const std::string& value, std::size_t max, bool multiline, const std::string& field)
{
	FUZZ_CHECK(!value.empty(), field + " accepted empty");
	FUZZ_CHECK(Utf8Text::isValid(value), field + " accepted invalid UTF-8");
	FUZZ_CHECK(!Utf8Text::hasControlCharacters(value, multiline), field + " accepted a control character");
	FUZZ_CHECK(Utf8Text::trim(value) == value, field + " not trimmed");
	FUZZ_CHECK(Utf8Text::length(value) <= max, field + " too long");
}

void checkOptional(const std::optional<std::string>& value, std::size_t max, bool multiline, const std::string& field)
{
	if (value) checkText(*value, max, multiline, field);
}

void checkFields(const ContactFields& f, bool nameRequired)
{
	if (nameRequired || !f.name.empty()) checkText(f.name, ContactValidator::NAME_LENGTH_MAX, false, "name");
	if (f.mobile) FUZZ_CHECK(ContactValidator::isValidMobile(*f.mobile), "mobile accepted: " + *f.mobile);
	if (f.email)
	{
		FUZZ_CHECK(ContactValidator::isValidEmail(*f.email), "email accepted: " + *f.email);
		checkText(*f.email, ContactValidator::EMAIL_LENGTH_MAX, false, "email");
	}
	checkOptional(f.company, ContactValidator::SHORT_TEXT_LENGTH_MAX, false, "company");
	checkOptional(f.title, ContactValidator::SHORT_TEXT_LENGTH_MAX, false, "title");
	checkOptional(f.department, ContactValidator::SHORT_TEXT_LENGTH_MAX, false, "department");
	checkOptional(f.address, ContactValidator::ADDRESS_LENGTH_MAX, true, "address");
	checkOptional(f.remark, ContactValidator::REMARK_LENGTH_MAX, true, "remark");
	FUZZ_CHECK(f.tags.size() <= ContactValidator::TAG_COUNT_MAX, "too many tags");
	for (std::size_t i = 0; i < f.tags.size(); ++i)
	{
		checkText(f.tags[i], ContactValidator::TAG_LENGTH_MAX, false, "tags");
		FUZZ_CHECK(std::count(f.tags.begin(), f.tags.end(), f.tags[i]) == 1, "duplicate tag");
	}
}

Poco::JSON::Object::Ptr bodyOf(const ContactFields& f)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("name", f.name);
	auto put = [&](const char* name, const std::optional<std::string>& v)
	{
		if (v) o->set(name, *v);
	};
	put("mobile", f.mobile);
	put("email", f.email);
	put("company", f.company);
	put("title", f.title);
	put("department", f.department);
	put("address", f.address);
	put("remark", f.remark);
	Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
	for (const std::string& t : f.tags)
		tags->add(t);
	o->set("tags", tags);
	return o;
}

bool sameFields(const ContactFields& a, const ContactFields& b)
{
	return a.name == b.name && a.mobile == b.mobile && a.email == b.email && a.company == b.company &&
		   a.title == b.title && a.department == b.department && a.address == b.address && a.remark == b.remark &&
		   a.tags == b.tags;
}

void checkIds(const std::vector<Poco::Int64>& ids, std::size_t max, const std::string& what)
{
	FUZZ_CHECK(ids.size() <= max, what + ": too many ids");
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		FUZZ_CHECK(ids[i] > 0, what + ": id not positive");
		if (i) FUZZ_CHECK(ids[i - 1] < ids[i], what + ": ids not ascending and unique");
	}
}

void onlyMember(const Poco::JSON::Object& body, const std::string& field)
{
	for (const std::string& key : body.getNames())
		FUZZ_CHECK(key == field, "accepted unknown member " + key);
}

void run(unsigned kind, const std::string& input)
{
	if (kind == 0)
	{
		std::string contentType, body;
		if (!Fuzz::split(input, '\n', contentType, body)) return;
		Poco::JSON::Object::Ptr o = JsonBody::parseObject(body, contentType);
		FUZZ_CHECK(body.size() <= JsonBody::MAX_BYTES, "body above MAX_BYTES accepted");
		std::string media = Poco::toLower(Poco::trim(contentType.substr(0, contentType.find(';'))));
		FUZZ_CHECK(media == JSON_TYPE, "content type accepted: " + contentType);
		FUZZ_CHECK(depthOf(Poco::Dynamic::Var(o)) <= JsonBody::MAX_DEPTH, "nesting deeper than MAX_DEPTH accepted");
		std::string once = stringify(*o);
		std::string twice = stringify(*JsonBody::parseObject(once, JSON_TYPE));
		FUZZ_CHECK(once == twice, "JSON round trip differs: " + once + " vs " + twice);
		return;
	}
	Poco::JSON::Object::Ptr body = JsonBody::parseObject(input, JSON_TYPE);
	switch (kind)
	{
	case 1: // POST /contacts
	{
		ContactFields f = ContactValidator::validateCreate(*body);
		ContactValidator::confirmDuplicate(*body);
		checkFields(f, true);
		ContactFields again = ContactValidator::validateCreate(*bodyOf(f));
		FUZZ_CHECK(sameFields(f, again), "create validation is not idempotent");
		break;
	}
	case 2: // PATCH /contacts/{id}
	{
		ContactEdit edit = ContactValidator::validateEdit(*body);
		FUZZ_CHECK(edit.version >= 1, "version below 1 accepted");
		checkFields(edit.values, edit.has("name"));
		for (const std::string& g : edit.given)
			FUZZ_CHECK(body->has(g), "edit names a field the body lacks: " + g);
		break;
	}
	case 3: // PUT /contacts/{id}/permissions
	{
		ContactPermissions p = ContactValidator::validatePermissions(*body);
		FUZZ_CHECK(p.version >= 1, "version below 1 accepted");
		FUZZ_CHECK(p.securityLevel >= ContactValidator::SECURITY_LEVEL_MIN &&
					   p.securityLevel <= ContactValidator::SECURITY_LEVEL_MAX,
				   "security level out of range");
		checkIds(p.visibleMembers, ContactValidator::MEMBER_LIST_MAX, "visibleMembers");
		break;
	}
	case 4: // PUT /contacts/{id}/shares
		checkIds(ContactValidator::validateShares(*body), ContactValidator::MEMBER_LIST_MAX, "members");
		break;
	case 5: // PUT /admin/group-maintainers
	{
		GroupMaintainers g = ContactValidator::validateGroupMaintainers(*body);
		checkIds(g.maintainers, ContactValidator::GROUP_MAINTAINERS_MAX, "maintainers");
		if (!g.group.empty()) checkText(g.group, ContactValidator::SHORT_TEXT_LENGTH_MAX, false, "group");
		break;
	}
	case 6: // POST /contacts/{id}/applications {remark}
	case 7: // POST /applications/{id}/reject {reason}
	case 8: // approve, activation-link, account, disable, enable, reset: {}
	{
		std::string field = kind == 6 ? "remark" : kind == 7 ? "reason" : "";
		std::string text = BodyReaders::onlyText(*body, field);
		onlyMember(*body, field);
		if (!text.empty()) FUZZ_CHECK(body->get(field).isString(), "text from a member that is not a string");
		break;
	}
	case 9: // POST /invitations
	{
		InvitationSettings s = BodyReaders::invitationSettings(*body);
		FUZZ_CHECK(s.ttlHours >= Invitation::TTL_HOURS_MIN && s.ttlHours <= Invitation::TTL_HOURS_MAX, "ttl");
		if (s.maxUses) FUZZ_CHECK(*s.maxUses >= 1 && *s.maxUses <= Invitation::MAX_USES_MAX, "maxUses");
		for (const std::string& key : body->getNames())
			FUZZ_CHECK(key == "ttlHours" || key == "maxUses", "accepted unknown member " + key);
		break;
	}
	case 10: // POST /org-requests
	{
		BodyReaders::OrgRequestTarget t = BodyReaders::orgRequestTarget(*body);
		FUZZ_CHECK(t.orgId > 0 && t.userId > 0, "ids not positive");
		break;
	}
	default:
		break;
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	if (size < 1) return 0;
	unsigned kind = data[0] % 11;
	std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
	try
	{
		run(kind, input);
	}
	catch (const ValidationError& e)
	{
		FUZZ_CHECK(e.code() == ValidationError::VALIDATION_FAILED || e.code() == ValidationError::UNKNOWN_FIELD ||
					   e.code() == ValidationError::INVALID_JSON,
				   "unexpected validation code " + e.code());
	}
	catch (const HttpError& e)
	{
		FUZZ_CHECK(kind == 0 || e.status() == 413, "HTTP error for a JSON body: " + e.code());
	}
	return 0;
}
