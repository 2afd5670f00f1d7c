#include "http/QueryString.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include <iterator>

namespace ExternalContacts
{

namespace
{

int hexValue(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

// Decodes one key or value; nothing when it is malformed.
std::optional<std::string> decode(const std::string& text)
{
	std::string out;
	out.reserve(text.size());
	for (std::size_t i = 0; i < text.size(); ++i)
	{
		char c = text[i];
		if (c == '+')
		{
			out += ' ';
		}
		else if (c == '%')
		{
			if (i + 2 >= text.size()) return std::nullopt;
			int hi = hexValue(text[i + 1]);
			int lo = hexValue(text[i + 2]);
			if (hi < 0 || lo < 0) return std::nullopt;
			out += static_cast<char>(hi * 16 + lo);
			i += 2;
		}
		else
		{
			out += c;
		}
	}
	if (!Utf8Text::isValid(out)) return std::nullopt;
	return out;
}

} // namespace

QueryString::QueryString(const std::string& raw)
{
	std::size_t start = 0;
	while (start <= raw.size())
	{
		std::size_t end = raw.find('&', start);
		if (end == std::string::npos) end = raw.size();
		std::string pair = raw.substr(start, end - start);
		start = end + 1;
		if (pair.empty()) continue;
		std::size_t eq = pair.find('=');
		std::optional<std::string> key = decode(pair.substr(0, eq));
		if (!key) throw ValidationError::failed("query", "the query string is not well-formed");
		std::optional<std::string> value = decode(eq == std::string::npos ? std::string() : pair.substr(eq + 1));
		// A parameter without a name is named after the whole query string.
		const std::string name = key->empty() ? std::string("query") : *key;
		if (!value) throw ValidationError::failed(name, name + " is not well-formed (percent-encoded UTF-8)");
		_params.emplace(*key, *value);
	}
}

std::optional<std::string> QueryString::get(const std::string& name) const
{
	auto range = _params.equal_range(name);
	if (range.first == range.second) return std::nullopt;
	if (std::next(range.first) != range.second) throw ValidationError::failed(name, name + " may be given only once");
	return range.first->second;
}

std::string QueryString::get(const std::string& name, const std::string& fallback) const
{
	return get(name).value_or(fallback);
}

std::optional<Poco::UInt64> QueryString::digits(const std::string& text, std::size_t maxDigits)
{
	if (text.empty() || text.size() > maxDigits || text.find_first_not_of("0123456789") != std::string::npos)
		return std::nullopt;
	return static_cast<Poco::UInt64>(std::stoull(text));
}

std::size_t QueryString::limit(std::size_t fallback) const
{
	std::optional<std::string> text = get("limit");
	if (!text) return fallback;
	return static_cast<std::size_t>(digits(*text, LIMIT_DIGITS).value_or(0));
}

std::optional<Poco::Int64> QueryString::wholeNumber(const std::string& name) const
{
	std::optional<std::string> text = get(name);
	if (!text) return std::nullopt;
	std::optional<Poco::UInt64> number = digits(*text, 15);
	if (!number) throw ValidationError::failed(name, name + " must be a whole number of milliseconds or an id");
	return static_cast<Poco::Int64>(*number);
}

std::optional<long long> QueryString::idCursor() const
{
	std::optional<std::string> cursor = get("cursor");
	if (!cursor) return std::nullopt;
	std::optional<Poco::UInt64> id = digits(*cursor, ID_DIGITS);
	if (!id) throw ValidationError::failed("cursor", "cursor must be a nextCursor of this list");
	return static_cast<long long>(*id);
}

} // namespace ExternalContacts
