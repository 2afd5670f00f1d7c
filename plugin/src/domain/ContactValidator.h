#pragma once

#include "domain/ContactEdit.h"
#include "domain/ContactFields.h"
#include "domain/ContactPermissions.h"
#include "domain/GroupMaintainers.h"
#include <Poco/JSON/Object.h>
#include <cstddef>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactValidator
/// The R2.1 rules for contact fields (docs/API.md, "Create body").
/// Text must be valid UTF-8 without control characters and is trimmed;
/// an empty optional field counts as absent, as does null. Lengths are
/// counted in code points. The first rule broken is thrown as a
/// ValidationError naming its field; fields are checked in a fixed order
/// (unknown fields first, then name, mobile, email, company, title,
/// department, address, remark, tags).
{
public:
	static constexpr std::size_t NAME_LENGTH_MAX = 100;
	static constexpr std::size_t EMAIL_LENGTH_MAX = 254;
	static constexpr std::size_t SHORT_TEXT_LENGTH_MAX = 100; /// company, title, department
	static constexpr std::size_t ADDRESS_LENGTH_MAX = 500;
	static constexpr std::size_t REMARK_LENGTH_MAX = 1000;
	static constexpr std::size_t TAG_COUNT_MAX = 20;
	static constexpr std::size_t TAG_LENGTH_MAX = 32;
	static constexpr std::size_t MOBILE_DIGITS_MIN = 6;
	static constexpr std::size_t MOBILE_DIGITS_MAX = 20;
	static constexpr std::size_t SEARCH_LENGTH_MAX = 100;
	static constexpr std::size_t MEMBER_LIST_MAX = 200; /// visible members, share list
	static constexpr std::size_t GROUP_MAINTAINERS_MAX = 50;
	static constexpr int SECURITY_LEVEL_MIN = -999;
	static constexpr int SECURITY_LEVEL_MAX = 0;

	static ContactFields validateCreate(const Poco::JSON::Object& body);
	/// The draft described by a create body; throws ValidationError
	/// ("unknown_field" for a field that is not in the list above,
	/// "validation_failed" otherwise).

	static ContactEdit validateEdit(const Poco::JSON::Object& body);

	static bool confirmDuplicate(const Poco::JSON::Object& body);
	/// The optional "confirmDuplicate" of a create or edit body: save even
	/// when the mobile or email is already known (R2.4). Throws
	/// ValidationError naming it unless it is a boolean.
	/// The change a PATCH body describes: `version` (required) and any of
	/// the create fields, checked by the same rules (name may not be
	/// cleared; null or blank clears an optional field). Throws as
	/// validateCreate().

	static Poco::Int64 version(const Poco::JSON::Object& body);
	/// The body's `version`: an integer >= 1. Throws ValidationError
	/// naming "version" otherwise (missing, null, text, fraction, bool).

	static ContactPermissions validatePermissions(const Poco::JSON::Object& body);
	/// A permissions PUT body: {"version", "visibleMembers":[ids],
	/// "securityLevel"}, all required, nothing else. Throws ValidationError
	/// naming the field (ids must be positive integers, at most
	/// MEMBER_LIST_MAX; the level an integer in -999..0).

	static std::vector<Poco::Int64> validateShares(const Poco::JSON::Object& body);
	/// A share list PUT body: {"members":[ids]} (required, nothing else),
	/// ascending without duplicates. Throws ValidationError naming the field.

	static GroupMaintainers validateGroupMaintainers(const Poco::JSON::Object& body);
	/// The body of PUT /admin/group-maintainers: "group" (required; a
	/// company name by the company rules, or null for 未分组) and
	/// "maintainers" (required; at most GROUP_MAINTAINERS_MAX positive
	/// integer ids, sorted, duplicates dropped); no other field.

	static std::string validateSearch(const std::string& search);
	/// A list search text (`q`), trimmed; "" for none. Throws
	/// ValidationError naming "q" unless it is valid UTF-8 without
	/// control characters and at most SEARCH_LENGTH_MAX characters.

	static bool isValidMobile(const std::string& mobile);
	/// An optional '+', then 6 to 20 digits; single spaces or dashes may
	/// stand between digits.

	static bool isValidEmail(const std::string& email);
	/// At most 254 characters, one '@' with text on both sides, a domain
	/// of dot-separated non-empty labels (at least two), no spaces or
	/// characters that only appear in typos (,;<>()[]\").
};

} // namespace ExternalContacts
