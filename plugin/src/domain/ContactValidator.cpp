#include "domain/ContactValidator.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include <Poco/JSON/Array.h>
#include <algorithm>
#include <optional>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

const char* const KNOWN_FIELDS[] = {"name",       "mobile",  "email",  "company", "title",
									"department", "address", "remark", "tags"};

// A text value checked against the common rules: nothing when absent, null
// or blank; else the trimmed text of at most maxLength code points.
std::optional<std::string> text(const std::string& field, const Poco::Dynamic::Var& value, std::size_t maxLength,
	bool multiline = false)
{
	if (value.isEmpty()) return std::nullopt;
	if (!value.isString()) throw ValidationError::failed(field, field + " must be a string");
	std::string raw = value.extract<std::string>();
	if (!Utf8Text::isValid(raw)) throw ValidationError::failed(field, field + " must be valid UTF-8");
	if (multiline)
	{
		// Text areas may send CRLF; keep one line-break convention.
		std::string::size_type pos = 0;
		while ((pos = raw.find("\r\n", pos)) != std::string::npos) raw.erase(pos, 1);
	}
	if (Utf8Text::hasControlCharacters(raw, multiline))
		throw ValidationError::failed(field, field + " must not contain control characters");
	std::string trimmed = Utf8Text::trim(raw);
	if (trimmed.empty()) return std::nullopt;
	if (Utf8Text::length(trimmed) > maxLength)
		throw ValidationError::failed(field, field + " must be at most " + std::to_string(maxLength) + " characters");
	return trimmed;
}

std::optional<std::string> field(const Poco::JSON::Object& body, const std::string& name, std::size_t maxLength,
	bool multiline = false)
{
	return body.has(name) ? text(name, body.get(name), maxLength, multiline) : std::nullopt;
}

std::vector<std::string> tags(const Poco::JSON::Object& body)
{
	std::vector<std::string> result;
	if (!body.has("tags")) return result;
	Poco::Dynamic::Var value = body.get("tags");
	if (value.isEmpty()) return result;
	if (value.type() != typeid(Poco::JSON::Array::Ptr))
		throw ValidationError::failed("tags", "tags must be an array of strings");
	Poco::JSON::Array::Ptr array = value.extract<Poco::JSON::Array::Ptr>();
	if (array->size() > ContactValidator::TAG_COUNT_MAX)
		throw ValidationError::failed("tags", "tags may hold at most " +
												  std::to_string(ContactValidator::TAG_COUNT_MAX) + " entries");
	for (std::size_t i = 0; i < array->size(); ++i)
	{
		Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
		if (item.isEmpty()) throw ValidationError::failed("tags", "tags must be an array of strings");
		std::optional<std::string> tag = text("tags", item, ContactValidator::TAG_LENGTH_MAX);
		if (!tag) throw ValidationError::failed("tags", "tags must not be blank");
		if (std::find(result.begin(), result.end(), *tag) == result.end()) result.push_back(*tag);
	}
	return result;
}

} // namespace

ContactFields ContactValidator::validateCreate(const Poco::JSON::Object& body)
{
	for (const std::string& name : body.getNames())
	{
		if (std::find(std::begin(KNOWN_FIELDS), std::end(KNOWN_FIELDS), name) == std::end(KNOWN_FIELDS))
			throw ValidationError(ValidationError::UNKNOWN_FIELD, name, "unknown field " + name);
	}
	ContactFields draft;
	std::optional<std::string> name = field(body, "name", NAME_LENGTH_MAX);
	if (!name) throw ValidationError::failed("name", "name is required");
	draft.name = *name;
	draft.mobile = field(body, "mobile", MOBILE_DIGITS_MAX * 2);
	if (draft.mobile && !isValidMobile(*draft.mobile))
		throw ValidationError::failed("mobile", "mobile must be an optional + and 6 to 20 digits, which single "
												"spaces or dashes may separate");
	draft.email = field(body, "email", EMAIL_LENGTH_MAX);
	if (draft.email && !isValidEmail(*draft.email))
		throw ValidationError::failed("email", "email must look like name@example.com");
	draft.company = field(body, "company", SHORT_TEXT_LENGTH_MAX);
	draft.title = field(body, "title", SHORT_TEXT_LENGTH_MAX);
	draft.department = field(body, "department", SHORT_TEXT_LENGTH_MAX);
	draft.address = field(body, "address", ADDRESS_LENGTH_MAX, true);
	draft.remark = field(body, "remark", REMARK_LENGTH_MAX, true);
	draft.tags = tags(body);
	return draft;
}

std::string ContactValidator::validateSearch(const std::string& search)
{
	return text("q", search, SEARCH_LENGTH_MAX).value_or(std::string());
}

bool ContactValidator::isValidMobile(const std::string& mobile)
{
	std::size_t digits = 0;
	bool afterSeparator = false;
	for (std::size_t i = 0; i < mobile.size(); ++i)
	{
		char c = mobile[i];
		if (c >= '0' && c <= '9')
		{
			++digits;
			afterSeparator = false;
		}
		else if (c == '+' && i == 0)
		{
			continue;
		}
		else if ((c == ' ' || c == '-') && digits > 0 && !afterSeparator)
		{
			afterSeparator = true;
		}
		else
		{
			return false;
		}
	}
	return !afterSeparator && digits >= MOBILE_DIGITS_MIN && digits <= MOBILE_DIGITS_MAX;
}

bool ContactValidator::isValidEmail(const std::string& email)
{
	if (Utf8Text::length(email) > EMAIL_LENGTH_MAX) return false;
	if (email.find_first_of(" ,;<>()[]\\\"") != std::string::npos) return false;
	std::string::size_type at = email.find('@');
	if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) return false;
	std::string domain = email.substr(at + 1);
	if (domain.empty() || domain.find('.') == std::string::npos) return false;
	if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string::npos) return false;
	return true;
}

} // namespace ExternalContacts
