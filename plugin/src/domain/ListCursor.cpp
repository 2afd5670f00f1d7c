#include "domain/ListCursor.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Checksum.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

constexpr int FORMAT_VERSION = 1;

std::string base64url(const std::string& bytes)
{
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder.rdbuf()->setLineLength(0);
	encoder << bytes;
	encoder.close();
	return out.str();
}

std::string unbase64url(const std::string& text)
{
	std::istringstream in(text);
	Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	std::string bytes((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
	return bytes;
}

std::string checksum(const std::string& payload)
{
	Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
	crc.update(payload);
	Poco::UInt32 value = crc.checksum();
	std::string bytes(4, '\0');
	for (int i = 0; i < 4; ++i)
		bytes[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xFF);
	return bytes;
}

ValidationError badCursor()
{
	return ValidationError::failed("cursor", "cursor is not a cursor of this list");
}

bool isBase64urlAlphabet(const std::string& text)
{
	for (char c : text)
	{
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
		if (!ok) return false;
	}
	return true;
}

std::string stringAt(const Poco::JSON::Array& array, unsigned index)
{
	Poco::Dynamic::Var v = array.get(index);
	if (!v.isString()) throw badCursor();
	std::string s = v.extract<std::string>();
	if (!Utf8Text::isValid(s) || Utf8Text::hasControlCharacters(s)) throw badCursor();
	return s;
}

Poco::Int64 integerAt(const Poco::JSON::Array& array, unsigned index)
{
	Poco::Dynamic::Var v = array.get(index);
	if (!v.isInteger()) throw badCursor();
	try
	{
		return v.convert<Poco::Int64>();
	}
	catch (const Poco::Exception&)
	{
		throw badCursor();
	}
}

} // namespace

std::string ListCursor::encode(const SortKey& key)
{
	Poco::JSON::Array array;
	array.add(FORMAT_VERSION);
	array.add(key.groupRank);
	array.add(key.groupName);
	array.add(key.name);
	array.add(key.id);
	std::ostringstream json;
	Poco::JSON::Stringifier::condense(array, json);
	std::string payload = json.str();
	return base64url(checksum(payload) + payload);
}

SortKey ListCursor::decode(const std::string& cursor)
{
	// The decoder forgives what a strict reader must not (stray characters,
	// non-zero trailing bits): accept only the alphabet, then demand that the
	// bytes encode back to the very same text.
	if (cursor.empty() || cursor.size() > MAX_LENGTH || cursor.size() % 4 == 1 || !isBase64urlAlphabet(cursor))
		throw badCursor();
	std::string bytes;
	try
	{
		bytes = unbase64url(cursor);
	}
	catch (const Poco::Exception&)
	{
		throw badCursor();
	}
	if (bytes.size() < 5 || base64url(bytes) != cursor) throw badCursor();
	std::string payload = bytes.substr(4);
	if (checksum(payload) != bytes.substr(0, 4)) throw badCursor();

	Poco::Dynamic::Var parsed;
	try
	{
		Poco::JSON::Parser parser;
		parser.setDepth(2);
		parsed = parser.parse(payload);
	}
	catch (const Poco::Exception&)
	{
		throw badCursor();
	}
	if (parsed.type() != typeid(Poco::JSON::Array::Ptr)) throw badCursor();
	const Poco::JSON::Array& array = *parsed.extract<Poco::JSON::Array::Ptr>();
	if (array.size() != 5 || integerAt(array, 0) != FORMAT_VERSION) throw badCursor();
	SortKey key;
	Poco::Int64 rank = integerAt(array, 1);
	key.groupName = stringAt(array, 2);
	key.name = stringAt(array, 3);
	key.id = integerAt(array, 4);
	if (rank == SortKey::GROUP_NAMED && !key.groupName.empty())
		key.groupRank = SortKey::GROUP_NAMED;
	else if (rank == SortKey::GROUP_NONE && key.groupName.empty())
		key.groupRank = SortKey::GROUP_NONE;
	else
		throw badCursor();
	if (key.id <= 0) throw badCursor();
	// One cursor per key: POCO's parser ignores bytes after the array and
	// takes other spellings of the same JSON (spaces, escapes, 1.0), so only
	// the text encode() makes is accepted.
	if (encode(key) != cursor) throw badCursor();
	return key;
}

} // namespace ExternalContacts
