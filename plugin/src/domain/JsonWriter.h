#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class JsonWriter
/// A JSON text written as it is produced, straight into one growing
/// string: no tree of objects and values, no stream. The answers of the
/// hot routes (contact lists, cards, groups), the audit snapshots and the
/// stored tags are written with it.
///
/// Strings are checked to be well-formed UTF-8 (Utf8Text's strict rules:
/// no overlong forms, no surrogates, nothing above U+10FFFF) — text that
/// is not throws Poco::DataFormatException and nothing is sent — and
/// escaped as JSON requires: quote and backslash, the C0 controls as
/// \b \f \n \r \t or \u00XX; every other character is written as its
/// UTF-8 bytes. Keys are the caller's ASCII literals. Numbers are
/// integers. The caller nests start/end calls correctly (asserted in
/// debug builds); tests/fuzz/fuzz_json_writer.cpp reads every answer back.
{
public:
	JsonWriter();

	JsonWriter(const JsonWriter&) = delete;
	JsonWriter& operator=(const JsonWriter&) = delete;

	JsonWriter& startObject();
	JsonWriter& endObject();
	JsonWriter& startArray();
	JsonWriter& endArray();

	JsonWriter& key(const char* name);
	/// An ASCII literal, written as it is.

	JsonWriter& value(const std::string& text);
	JsonWriter& value(const char* text);                       /// an ASCII literal
	JsonWriter& value(const std::optional<std::string>& text); /// null for nothing
	JsonWriter& value(Poco::Int64 number);
	JsonWriter& value(int number);
	JsonWriter& value(Poco::UInt64 number);
	JsonWriter& value(bool flag);
	JsonWriter& null();

	template <typename T> JsonWriter& field(const char* name, const T& v)
	/// key(name) then value(v).
	{
		key(name);
		return value(v);
	}

	bool complete() const;
	/// Whether one whole value has been written.

	const std::string& str() const
	{
		return _out;
	}

	std::string take();
	/// The text; the writer is empty afterwards.

private:
	void beforeValue();
	void open(char bracket);
	void close(char bracket);
	void quoted(const std::string& text);
	template <typename N> void number(N n);

	std::string _out;
	std::vector<bool> _first; /// per open container: nothing written in it yet
	bool _afterKey = false;
};

} // namespace ExternalContacts
