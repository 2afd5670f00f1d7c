#include "http/CsvWriter.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace ExternalContacts
{

CsvWriter::CsvWriter() : _text("\xEF\xBB\xBF") {}

std::string CsvWriter::cell(const std::string& text)
{
	std::string value = text;
	if (!value.empty() && std::string("=+-@\t\r").find(value.front()) != std::string::npos) value.insert(0, "'");
	if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
	std::string quoted = "\"";
	for (char c : value)
	{
		if (c == '"') quoted += '"';
		quoted += c;
	}
	quoted += '"';
	return quoted;
}

void CsvWriter::row(const std::vector<std::string>& cells)
{
	for (std::size_t i = 0; i < cells.size(); ++i)
	{
		if (i) _text += ',';
		_text += cell(cells[i]);
	}
	_text += "\r\n";
}

std::string CsvWriter::chinaTime(std::optional<Poco::Int64> ms)
{
	if (!ms) return std::string();
	Poco::DateTime at(Poco::Timestamp((*ms + 8LL * 3600 * 1000) * 1000));
	return Poco::DateTimeFormatter::format(at, "%Y-%m-%d %H:%M:%S");
}

} // namespace ExternalContacts
