#include "domain/JsonWriter.h"

#include "domain/Utf8Text.h"
#include <Poco/Bugcheck.h>
#include <Poco/Exception.h>
#include <charconv>
#include <cstring>

namespace ExternalContacts
{

JsonWriter::JsonWriter()
{
	_out.reserve(512);
}

void JsonWriter::beforeValue()
{
	if (_afterKey)
	{
		_afterKey = false;
		return;
	}
	if (_first.empty()) return;
	if (!_first.back()) _out += ',';
	_first.back() = false;
}

void JsonWriter::open(char bracket)
{
	beforeValue();
	_out += bracket;
	_first.push_back(true);
}

void JsonWriter::close(char bracket)
{
	poco_assert_dbg(!_first.empty() && !_afterKey);
	_first.pop_back();
	_out += bracket;
}

JsonWriter& JsonWriter::startObject()
{
	open('{');
	return *this;
}

JsonWriter& JsonWriter::endObject()
{
	close('}');
	return *this;
}

JsonWriter& JsonWriter::startArray()
{
	open('[');
	return *this;
}

JsonWriter& JsonWriter::endArray()
{
	close(']');
	return *this;
}

JsonWriter& JsonWriter::key(const char* name)
{
	poco_assert_dbg(!_first.empty() && !_afterKey);
	beforeValue();
	_out += '"';
	_out += name;
	_out += "\":";
	_afterKey = true;
	return *this;
}

void JsonWriter::quoted(const std::string& text)
{
	static const char HEX[] = "0123456789abcdef";
	_out += '"';
	const std::size_t n = text.size();
	std::size_t run = 0; // start of the bytes not yet copied
	std::size_t i = 0;
	while (i < n)
	{
		unsigned char c = static_cast<unsigned char>(text[i]);
		if (c >= 0x80)
		{
			std::size_t length = Utf8Text::charLength(text, i);
			if (length == 0) throw Poco::DataFormatException("a JSON string is not valid UTF-8");
			i += length;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\')
		{
			++i;
			continue;
		}
		_out.append(text, run, i - run);
		switch (c)
		{
		case '"':
			_out += "\\\"";
			break;
		case '\\':
			_out += "\\\\";
			break;
		case '\b':
			_out += "\\b";
			break;
		case '\f':
			_out += "\\f";
			break;
		case '\n':
			_out += "\\n";
			break;
		case '\r':
			_out += "\\r";
			break;
		case '\t':
			_out += "\\t";
			break;
		default:
			_out += "\\u00";
			_out += HEX[c >> 4];
			_out += HEX[c & 0xF];
		}
		run = ++i;
	}
	_out.append(text, run, n - run);
	_out += '"';
}

template <typename N> void JsonWriter::number(N n)
{
	beforeValue();
	char digits[24];
	std::to_chars_result r = std::to_chars(digits, digits + sizeof digits, n);
	_out.append(digits, r.ptr);
}

JsonWriter& JsonWriter::value(const std::string& text)
{
	beforeValue();
	quoted(text);
	return *this;
}

JsonWriter& JsonWriter::value(const char* text)
{
	return value(std::string(text));
}

JsonWriter& JsonWriter::value(const std::optional<std::string>& text)
{
	return text ? value(*text) : null();
}

JsonWriter& JsonWriter::value(Poco::Int64 n)
{
	number(n);
	return *this;
}

JsonWriter& JsonWriter::value(int n)
{
	number(n);
	return *this;
}

JsonWriter& JsonWriter::value(Poco::UInt64 n)
{
	number(n);
	return *this;
}

JsonWriter& JsonWriter::value(bool flag)
{
	beforeValue();
	_out += flag ? "true" : "false";
	return *this;
}

JsonWriter& JsonWriter::null()
{
	beforeValue();
	_out += "null";
	return *this;
}

bool JsonWriter::complete() const
{
	return _first.empty() && !_afterKey && !_out.empty();
}

std::string JsonWriter::take()
{
	std::string text = std::move(_out);
	_out.clear();
	_first.clear();
	_afterKey = false;
	return text;
}

} // namespace ExternalContacts
