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
	explicit QueryString(const std::string& raw);

	std::optional<std::string> get(const std::string& name) const;
	/// The value of name, or nothing when it is absent. Throws
	/// ValidationError naming it when it was given more than once.

	std::string get(const std::string& name, const std::string& fallback) const;

	std::size_t limit(std::size_t fallback) const;
	/// The "limit" parameter: fallback when absent, 0 (which the services
	/// refuse, naming "limit") unless 1 to 3 plain digits.

	std::optional<Poco::Int64> wholeNumber(const std::string& name) const;
	/// A whole number of at most 15 plain digits (milliseconds or an id),
	/// or nothing when name is absent. Throws ValidationError naming it
	/// for anything else.

	std::optional<long long> idCursor() const;
	/// The "cursor" of a list keyed by descending id (the nextCursor handed
	/// out: the last id of a page), or nothing when absent. Throws
	/// ValidationError naming "cursor" unless 1 to 18 plain digits.

private:
	std::multimap<std::string, std::string> _params;
};

} // namespace ExternalContacts
