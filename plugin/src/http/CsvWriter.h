#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class CsvWriter
/// CSV as Excel opens it (RFC 4180): UTF-8 with a byte-order mark so
/// Chinese text shows correctly, CRLF line ends, fields quoted when they
/// hold a comma, quote or line break. Cells that a spreadsheet would read
/// as a formula (starting with =, +, -, @, tab or carriage return) are
/// prefixed with an apostrophe (OWASP "CSV injection").
{
public:
	CsvWriter();

	void row(const std::vector<std::string>& cells);

	const std::string& str() const
	{
		return _text;
	}

	std::string take()
	/// The text so far, leaving the writer empty (to send a long export
	/// in parts: the byte-order mark comes only with the first).
	{
		std::string text;
		text.swap(_text);
		return text;
	}

	static std::string cell(const std::string& text);
	/// One field, neutralised and quoted as needed.

	static std::string chinaTime(std::optional<Poco::Int64> ms);
	/// The time columns of exports: China Standard Time (UTC+8),
	/// "2026-11-29 15:45:00"; "" for nothing.

private:
	std::string _text;
};

} // namespace ExternalContacts
