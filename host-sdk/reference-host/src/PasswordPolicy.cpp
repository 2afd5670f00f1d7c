#include "PasswordPolicy.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/String.h>
#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/UTF8String.h>
#include <Poco/Unicode.h>
#include <algorithm>
#include <fstream>
#include <set>

namespace RefHost
{

namespace
{

bool validUtf8(const std::string& text)
{
	Poco::UTF8Encoding utf8;
	const auto* p = reinterpret_cast<const unsigned char*>(text.data());
	const auto* end = p + text.size();
	while (p < end)
	{
		int n = utf8.sequenceLength(p, static_cast<int>(end - p));
		if (n <= 0 || p + n > end || !utf8.isLegal(p, n)) return false;
		p += n;
	}
	return true;
}

bool isLetterOrDigit(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool isLetter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || c >= 0x80;
}

} // namespace

PasswordPolicy::PasswordPolicy() = default;

PasswordPolicy::PasswordPolicy(const std::string& commonPasswordsFile)
{
	if (!Poco::File(commonPasswordsFile).exists()) throw Poco::FileNotFoundException(commonPasswordsFile);
	std::ifstream in(commonPasswordsFile);
	std::string line;
	while (std::getline(in, line))
	{
		if (!line.empty() && line.back() == '\r') line.pop_back();
		if (!line.empty()) _common.insert(Poco::toLower(line));
	}
	if (_common.empty()) throw Poco::DataFormatException("no passwords in " + commonPasswordsFile);
}

std::size_t PasswordPolicy::listSize() const
{
	return _common.size();
}

std::optional<PasswordPolicy::Problem> PasswordPolicy::check(const std::string& password, const std::string& login,
															 const std::string& displayName) const
{
	if (!validUtf8(password) || password.find('\0') != std::string::npos)
		return Problem{"invalid", "the password is not valid UTF-8 text"};
	Poco::UTF8Encoding utf8;
	Poco::TextIterator it(password, utf8), end(password);
	std::size_t chars = 0;
	std::set<int> distinct;
	for (; it != end; ++it)
	{
		++chars;
		distinct.insert(*it);
	}
	if (chars < MIN_CHARS)
		return Problem{"too_short", "the password needs at least " + std::to_string(MIN_CHARS) + " characters"};
	if (chars > MAX_CHARS)
		return Problem{"too_long", "the password may have at most " + std::to_string(MAX_CHARS) + " characters"};
	if (distinct.size() < 5) return Problem{"too_simple", "the password needs at least 5 different characters"};

	const std::string lower = Poco::UTF8::toLower(password);
	const std::string loginLower = Poco::toLower(login);
	const std::string nameLower = Poco::UTF8::toLower(Poco::trim(displayName));
	if ((!loginLower.empty() && lower.find(loginLower) != std::string::npos) ||
		(!nameLower.empty() && lower == nameLower))
		return Problem{"contains_login", "the password may not contain the login name or be the display name"};

	// The core: without leading and trailing digits and symbols.
	std::size_t first = 0, last = lower.size();
	while (first < last && !isLetter(static_cast<unsigned char>(lower[first])))
		++first;
	while (last > first && !isLetter(static_cast<unsigned char>(lower[last - 1])))
		--last;
	std::string core = lower.substr(first, last - first);
	// Separators inside ("pass-word", "p@ss w0rd") do not hide a common word either.
	std::string squeezed;
	for (unsigned char c : core)
		if (isLetterOrDigit(c)) squeezed += static_cast<char>(c);
	const Problem common{"too_common", "the password is too common; choose one that is harder to guess"};
	for (const std::string& candidate : {lower, core, squeezed})
		if (candidate.size() >= 3 && _common.count(candidate)) return common;
	// A common password that makes up most of it ("1234567890123").
	for (std::size_t n = std::min<std::size_t>(lower.size(), 32); n >= 6 && 2 * n > lower.size(); --n)
		if (_common.count(lower.substr(0, n))) return common;
	return std::nullopt;
}

} // namespace RefHost
