#include "domain/ContactValidator.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include <Poco/JSON/Array.h>
#include <algorithm>
#include <initializer_list>
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
		while ((pos = raw.find("\r\n", pos)) != std::string::npos)
			raw.erase(pos, 1);
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

void requireKnown(const Poco::JSON::Object& body, std::initializer_list<const char*> envelope)
{
	for (const std::string& name : body.getNames())
	{
		bool known = std::find(std::begin(KNOWN_FIELDS), std::end(KNOWN_FIELDS), name) != std::end(KNOWN_FIELDS) ||
					 std::find(envelope.begin(), envelope.end(), name) != envelope.end();
		if (!known) throw ValidationError(ValidationError::UNKNOWN_FIELD, name, "unknown field " + name);
	}
}

// Validates the fields body holds (all of them when `all`) into draft, in
// the documented order; names the ones it saw in given.
void validateFields(const Poco::JSON::Object& body, bool all, ContactFields& draft, std::vector<std::string>& given)
{
	auto present = [&](const char* name)
	{
		if (!all && !body.has(name)) return false;
		given.push_back(name);
		return true;
	};
	if (present("name"))
	{
		std::optional<std::string> name = field(body, "name", ContactValidator::NAME_LENGTH_MAX);
		if (!name) throw ValidationError::failed("name", "name is required");
		draft.name = *name;
	}
	if (present("mobile"))
	{
		draft.mobile = field(body, "mobile", ContactValidator::MOBILE_DIGITS_MAX * 2);
		if (draft.mobile && !ContactValidator::isValidMobile(*draft.mobile))
			throw ValidationError::failed("mobile", "mobile must be an optional + and 6 to 20 digits, which single "
													"spaces or dashes may separate");
	}
	if (present("email"))
	{
		draft.email = field(body, "email", ContactValidator::EMAIL_LENGTH_MAX);
		if (draft.email && !ContactValidator::isValidEmail(*draft.email))
			throw ValidationError::failed("email", "email must look like name@example.com");
	}
	if (present("company")) draft.company = field(body, "company", ContactValidator::SHORT_TEXT_LENGTH_MAX);
	if (present("title")) draft.title = field(body, "title", ContactValidator::SHORT_TEXT_LENGTH_MAX);
	if (present("department")) draft.department = field(body, "department", ContactValidator::SHORT_TEXT_LENGTH_MAX);
	if (present("address")) draft.address = field(body, "address", ContactValidator::ADDRESS_LENGTH_MAX, true);
	if (present("remark")) draft.remark = field(body, "remark", ContactValidator::REMARK_LENGTH_MAX, true);
	if (present("tags")) draft.tags = tags(body);
}

} // namespace

bool ContactValidator::confirmDuplicate(const Poco::JSON::Object& body)
{
	if (!body.has("confirmDuplicate")) return false;
	Poco::Dynamic::Var value = body.get("confirmDuplicate");
	if (!value.isBoolean()) throw ValidationError::failed("confirmDuplicate", "confirmDuplicate must be true or false");
	return value.extract<bool>();
}

ContactFields ContactValidator::validateCreate(const Poco::JSON::Object& body)
{
	requireKnown(body, {"confirmDuplicate"});
	confirmDuplicate(body);
	ContactFields draft;
	std::vector<std::string> given;
	validateFields(body, true, draft, given);
	return draft;
}

ContactEdit ContactValidator::validateEdit(const Poco::JSON::Object& body)
{
	requireKnown(body, {"version", "confirmDuplicate"});
	ContactEdit edit;
	edit.version = version(body);
	edit.confirmDuplicate = confirmDuplicate(body);
	validateFields(body, false, edit.values, edit.given);
	return edit;
}

namespace
{

std::vector<Poco::Int64> memberIds(const Poco::JSON::Object& body, const std::string& field,
								   std::size_t max = ContactValidator::MEMBER_LIST_MAX)
{
	Poco::Dynamic::Var value = body.has(field) ? body.get(field) : Poco::Dynamic::Var();
	if (value.isEmpty() || value.type() != typeid(Poco::JSON::Array::Ptr))
		throw ValidationError::failed(field, field + " must be an array of member ids");
	Poco::JSON::Array::Ptr array = value.extract<Poco::JSON::Array::Ptr>();
	if (array->size() > max)
		throw ValidationError::failed(field, field + " may hold at most " + std::to_string(max) + " members");
	std::vector<Poco::Int64> ids;
	for (std::size_t i = 0; i < array->size(); ++i)
	{
		Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
		Poco::Int64 id = 0;
		if (!item.isEmpty() && item.isInteger() && !item.isBoolean())
		{
			try
			{
				id = item.convert<Poco::Int64>();
			}
			catch (const Poco::Exception&)
			{
				id = 0;
			}
		}
		if (id <= 0) throw ValidationError::failed(field, field + " must be an array of member ids");
		ids.push_back(id);
	}
	std::sort(ids.begin(), ids.end());
	ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
	return ids;
}

} // namespace

ContactPermissions ContactValidator::validatePermissions(const Poco::JSON::Object& body)
{
	for (const std::string& name : body.getNames())
	{
		if (name != "version" && name != "visibleMembers" && name != "securityLevel")
			throw ValidationError(ValidationError::UNKNOWN_FIELD, name, "unknown field " + name);
	}
	ContactPermissions permissions;
	permissions.version = version(body);
	permissions.visibleMembers = memberIds(body, "visibleMembers");
	Poco::Dynamic::Var level = body.has("securityLevel") ? body.get("securityLevel") : Poco::Dynamic::Var();
	bool integer = !level.isEmpty() && level.isInteger() && !level.isBoolean();
	Poco::Int64 value = 1;
	if (integer)
	{
		try
		{
			value = level.convert<Poco::Int64>();
		}
		catch (const Poco::Exception&)
		{
			value = 1;
		}
	}
	if (value < SECURITY_LEVEL_MIN || value > SECURITY_LEVEL_MAX)
		throw ValidationError::failed("securityLevel", "securityLevel must be an integer from -999 to 0");
	permissions.securityLevel = static_cast<int>(value);
	return permissions;
}

std::vector<Poco::Int64> ContactValidator::validateShares(const Poco::JSON::Object& body)
{
	for (const std::string& name : body.getNames())
	{
		if (name != "members") throw ValidationError(ValidationError::UNKNOWN_FIELD, name, "unknown field " + name);
	}
	return memberIds(body, "members");
}

GroupMaintainers ContactValidator::validateGroupMaintainers(const Poco::JSON::Object& body)
{
	for (const std::string& name : body.getNames())
	{
		if (name != "group" && name != "maintainers")
			throw ValidationError(ValidationError::UNKNOWN_FIELD, name, "unknown field " + name);
	}
	if (!body.has("group")) throw ValidationError::failed("group", "group must be a group name or null");
	GroupMaintainers result;
	Poco::Dynamic::Var group = body.get("group");
	if (!group.isEmpty())
	{
		// A group is a company as contacts carry it: the same text rules.
		std::optional<std::string> name = text("group", group, SHORT_TEXT_LENGTH_MAX);
		if (!name) throw ValidationError::failed("group", "group must not be blank; null is 未分组");
		result.group = *name;
	}
	result.maintainers = memberIds(body, "maintainers", GROUP_MAINTAINERS_MAX);
	return result;
}

Poco::Int64 ContactValidator::version(const Poco::JSON::Object& body)
{
	Poco::Dynamic::Var value = body.has("version") ? body.get("version") : Poco::Dynamic::Var();
	if (value.isEmpty() || value.isBoolean() || !value.isInteger())
		throw ValidationError::failed("version", "version must be the integer version the change starts from");
	Poco::Int64 version = 0;
	try
	{
		version = value.convert<Poco::Int64>();
	}
	catch (const Poco::Exception&)
	{
		throw ValidationError::failed("version", "version is out of range");
	}
	if (version < 1) throw ValidationError::failed("version", "version must be at least 1");
	return version;
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
