#pragma once

#include <Poco/Types.h>
#include <map>
#include <optional>
#include <string>

namespace ExternalContacts
{

class QueryString
/// The parameters of a raw query string ("a=1&b=x+y"), decoded:
/// '+' is a space, %XX a byte. Strict: a bad escape, text that is not
/// UTF-8, or a parameter given twice is a ValidationError naming the
/// parameter. Parameters nobody asks for are ignored.
{
public:
	static constexpr std::size_t LIMIT_DIGITS = 3;
	/// ?limit= is 1 to 3 plain digits on every list (no page holds 1000).

	static constexpr std::size_t ID_DIGITS = 18;
	/// Ids (path {id}, id cursors) are 1 to 18 plain digits.

	explicit QueryString(const std::string& raw);

	static std::optional<Poco::UInt64> digits(const std::string& text, std::size_t maxDigits);
	/// text as a number when it is 1 to maxDigits plain ASCII digits
	/// (no sign, space or point), else nothing: the one digit rule of the
	/// routes.

	std::optional<std::string> get(const std::string& name) const;
	/// The value of name, or nothing when it is absent. Throws
	/// ValidationError naming it when it was given more than once.

	std::string get(const std::string& name, const std::string& fallback) const;

	std::size_t limit(std::size_t fallback) const;
	/// The "limit" parameter: fallback when absent, 0 (which the services
	/// refuse, naming "limit") unless 1 to LIMIT_DIGITS plain digits.

	std::optional<Poco::Int64> wholeNumber(const std::string& name) const;
	/// A whole number of at most 15 plain digits (milliseconds or an id),
	/// or nothing when name is absent. Throws ValidationError naming it
	/// for anything else.

	std::optional<long long> idCursor() const;
	/// The "cursor" of a list keyed by descending id (the nextCursor handed
	/// out: the last id of a page), or nothing when absent. Throws
	/// ValidationError naming "cursor" unless 1 to ID_DIGITS plain digits.

private:
	std::multimap<std::string, std::string> _params;
};

} // namespace ExternalContacts
