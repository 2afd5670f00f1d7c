#pragma once

#include <cstddef>
#include <string>

namespace ExternalContacts
{

class Utf8Text
/// Checks and measures UTF-8 text the way the API rules count it: in
/// code points, strictly decoded (no overlong forms, no surrogates,
/// nothing above U+10FFFF).
{
public:
	static bool isValid(const std::string& text);
	/// True when text is well-formed UTF-8.

	static std::size_t charLength(const std::string& text, std::size_t pos);
	/// The byte length of the well-formed character at text[pos] (pos <
	/// text.size()), or 0 when the bytes there are not one.

	static bool hasControlCharacters(const std::string& text, bool allowNewline = false);
	/// True when valid text contains C0 controls (including tab and
	/// newline), DEL or C1 controls; with allowNewline, '\n' is accepted.

	static std::size_t length(const std::string& text);
	/// The number of code points of valid text.

	static std::string prefix(const std::string& text, std::size_t maxBytes);
	/// At most maxBytes of text, never ending inside a character.

	static std::string trim(const std::string& text);
	/// Valid text without leading and trailing white space (ASCII space,
	/// no-break space, the U+2000 spaces, ideographic space, BOM).
};

} // namespace ExternalContacts
