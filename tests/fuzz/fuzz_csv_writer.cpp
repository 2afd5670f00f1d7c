// The CSV export writer (http/CsvWriter, GET /admin/applications/export).
// The input is rows separated by 0x1E, cells by 0x00. Checks:
//  - the output is UTF-8 BOM + RFC 4180 records ending in CRLF, which a
//    strict RFC 4180 reader splits back into exactly the rows and cells
//    written (quotes doubled, commas / quotes / CR / LF only inside quoted
//    fields);
//  - every cell reads back as written, except that a cell a spreadsheet
//    would take for a formula (=, +, -, @, tab, CR first) gains a leading
//    apostrophe, so no cell of the file starts with one of those.
#include "FuzzCheck.h"
#include "http/CsvWriter.h"
#include <cstdint>
#include <vector>

using namespace ExternalContacts;

namespace
{

using Rows = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader (CRLF record ends, no trailing record without CRLF).
Rows readCsv(const std::string& text)
{
	Rows rows;
	std::size_t i = 0;
	const std::size_t n = text.size();
	while (i < n)
	{
		std::vector<std::string> row;
		while (true)
		{
			std::string field;
			if (i < n && text[i] == '"')
			{
				++i;
				while (true)
				{
					FUZZ_CHECK(i < n, "unterminated quoted field");
					if (text[i] == '"')
					{
						if (i + 1 < n && text[i + 1] == '"')
						{
							field += '"';
							i += 2;
							continue;
						}
						++i;
						break;
					}
					field += text[i++];
				}
			}
			else
			{
				while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
				{
					FUZZ_CHECK(text[i] != '"', "quote inside an unquoted field");
					field += text[i++];
				}
			}
			row.push_back(field);
			FUZZ_CHECK(i < n, "record without CRLF");
			if (text[i] == ',')
			{
				++i;
				continue;
			}
			FUZZ_CHECK(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n', "bare CR or LF outside quotes");
			i += 2;
			break;
		}
		rows.push_back(row);
	}
	return rows;
}

std::string neutralised(const std::string& cell)
{
	if (!cell.empty() && std::string("=+-@\t\r").find(cell.front()) != std::string::npos) return "'" + cell;
	return cell;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	std::string input(reinterpret_cast<const char*>(data), size);
	Rows written;
	for (const std::string& row : Fuzz::splitAll(input, '\x1e'))
		written.push_back(Fuzz::splitAll(row, '\0'));
	CsvWriter csv;
	for (const auto& row : written)
		csv.row(row);
	const std::string& text = csv.str();
	FUZZ_CHECK(text.compare(0, 3, "\xEF\xBB\xBF") == 0, "no byte-order mark");
	Rows read = readCsv(text.substr(3));
	FUZZ_CHECK(read.size() == written.size(), "row count differs");
	for (std::size_t r = 0; r < read.size(); ++r)
	{
		FUZZ_CHECK(read[r].size() == written[r].size(), "cell count differs");
		for (std::size_t c = 0; c < read[r].size(); ++c)
		{
			FUZZ_CHECK(read[r][c] == neutralised(written[r][c]), "cell differs");
			FUZZ_CHECK(read[r][c].empty() || std::string("=+-@\t\r").find(read[r][c].front()) == std::string::npos,
					   "a cell starts like a formula");
		}
	}
	return 0;
}
