#include "domain/Utf8Text.h"

namespace ExternalContacts
{

namespace
{

// Decodes the code point at text[pos]; returns its byte length, or 0 when
// the bytes there are not well-formed UTF-8.
std::size_t decode(const std::string& text, std::size_t pos, char32_t& cp)
{
	const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
	unsigned char b0 = byte(pos);
	std::size_t n;
	char32_t min;
	if (b0 < 0x80)
	{
		cp = b0;
		return 1;
	}
	else if (b0 >= 0xC2 && b0 <= 0xDF)
	{
		n = 2;
		cp = b0 & 0x1F;
		min = 0x80;
	}
	else if (b0 >= 0xE0 && b0 <= 0xEF)
	{
		n = 3;
		cp = b0 & 0x0F;
		min = 0x800;
	}
	else if (b0 >= 0xF0 && b0 <= 0xF4)
	{
		n = 4;
		cp = b0 & 0x07;
		min = 0x10000;
	}
	else
	{
		return 0;
	}
	if (pos + n > text.size()) return 0;
	for (std::size_t i = 1; i < n; ++i)
	{
		unsigned char b = byte(pos + i);
		if ((b & 0xC0) != 0x80) return 0;
		cp = (cp << 6) | (b & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
	return n;
}

bool isSpace(char32_t cp)
{
	return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
		   cp == 0x3000 || cp == 0xFEFF;
}

} // namespace

std::size_t Utf8Text::charLength(const std::string& text, std::size_t pos)
{
	char32_t cp;
	return decode(text, pos, cp);
}

bool Utf8Text::isValid(const std::string& text)
{
	char32_t cp;
	for (std::size_t pos = 0; pos < text.size();)
	{
		std::size_t n = decode(text, pos, cp);
		if (n == 0) return false;
		pos += n;
	}
	return true;
}

bool Utf8Text::hasControlCharacters(const std::string& text, bool allowNewline)
{
	char32_t cp;
	for (std::size_t pos = 0; pos < text.size();)
	{
		std::size_t n = decode(text, pos, cp);
		if (n == 0) return true;
		if (allowNewline && cp == U'\n')
		{
			pos += n;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
		pos += n;
	}
	return false;
}

std::size_t Utf8Text::length(const std::string& text)
{
	std::size_t count = 0;
	for (unsigned char c : text)
		if ((c & 0xC0) != 0x80) ++count;
	return count;
}

std::string Utf8Text::prefix(const std::string& text, std::size_t maxBytes)
{
	if (text.size() <= maxBytes) return text;
	std::size_t end = maxBytes;
	while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
		--end;
	return text.substr(0, end);
}

std::string Utf8Text::trim(const std::string& text)
{
	char32_t cp;
	std::size_t begin = 0;
	std::size_t end = 0;
	bool seenText = false;
	for (std::size_t pos = 0; pos < text.size();)
	{
		std::size_t n = decode(text, pos, cp);
		if (n == 0)
		{
			// Keep malformed bytes as text: trimming never hides them from isValid().
			n = 1;
			cp = 0xFFFD;
		}
		if (!isSpace(cp))
		{
			if (!seenText) begin = pos;
			seenText = true;
			end = pos + n;
		}
		pos += n;
	}
	return seenText ? text.substr(begin, end - begin) : std::string();
}

} // namespace ExternalContacts
