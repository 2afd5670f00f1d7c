#pragma once

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

	static std::string cell(const std::string& text);
	/// One field, neutralised and quoted as needed.

private:
	std::string _text;
};

} // namespace ExternalContacts
