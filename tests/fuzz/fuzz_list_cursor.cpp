// The keyset cursor of the contact lists (domain/ListCursor), as a client
// sends it back in ?cursor=. Checks:
//  - decode() either throws ValidationError naming "cursor" or returns a key
//    that obeys the format (id > 0, groupRank NAMED with a group name or
//    NONE without, UTF-8 text without control characters), and such a key
//    re-encodes to the very same cursor text (one cursor per key);
//  - decode() accepts nothing longer than MAX_LENGTH or outside base64url;
//  - the other direction: a key built from the input encodes to a cursor
//    that decodes back to an equal key;
//  - inputs starting with 'J' are the JSON payload itself, wrapped with a
//    correct CRC-32 and base64url, so the fuzzer reaches the payload checks
//    behind the checksum.
#include "FuzzCheck.h"
#include "domain/ListCursor.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include <Poco/Base64Encoder.h>
#include <Poco/Checksum.h>
#include <cstdint>
#include <cstring>
#include <sstream>

using namespace ExternalContacts;

namespace
{

bool validText(const std::string& s)
{
	return Utf8Text::isValid(s) && !Utf8Text::hasControlCharacters(s);
}

void decodeAny(const std::string& cursor)
{
	try
	{
		SortKey key = ListCursor::decode(cursor);
		FUZZ_CHECK(!cursor.empty() && cursor.size() <= ListCursor::MAX_LENGTH, "cursor length accepted");
		FUZZ_CHECK(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
					   std::string::npos,
				   "character outside base64url accepted");
		FUZZ_CHECK(key.id > 0, "id not positive");
		FUZZ_CHECK((key.groupRank == SortKey::GROUP_NAMED && !key.groupName.empty()) ||
					   (key.groupRank == SortKey::GROUP_NONE && key.groupName.empty()),
				   "group rank and name disagree");
		FUZZ_CHECK(validText(key.groupName) && validText(key.name), "text with invalid UTF-8 or controls");
		FUZZ_CHECK(ListCursor::encode(key) == cursor, "decoded cursor re-encodes differently");
	}
	catch (const ValidationError& e)
	{
		FUZZ_CHECK(e.field() == "cursor", "error names " + e.field());
	}
}

void encodeAny(const uint8_t* data, size_t size)
{
	// [8 bytes id][1 byte rank][group]\0[name]
	if (size < 9) return;
	SortKey key;
	std::memcpy(&key.id, data, 8);
	std::string rest(reinterpret_cast<const char*>(data) + 9, size - 9);
	std::string group, name;
	if (!Fuzz::split(rest, '\0', group, name)) return;
	key.groupName = group;
	key.name = name;
	key.groupRank = group.empty() ? SortKey::GROUP_NONE : SortKey::GROUP_NAMED;
	if (key.id <= 0 || !validText(group) || !validText(name)) return;
	std::string cursor = ListCursor::encode(key);
	if (cursor.size() > ListCursor::MAX_LENGTH)
	{
		// Too long to hand back: decode refuses it, as documented.
		try
		{
			ListCursor::decode(cursor);
			FUZZ_CHECK(false, "decode accepted a cursor above MAX_LENGTH");
		}
		catch (const ValidationError&)
		{
		}
		return;
	}
	SortKey back = ListCursor::decode(cursor);
	FUZZ_CHECK(back == key && back.groupRank == key.groupRank, "encode/decode round trip differs");
}

std::string wrap(const std::string& payload)
{
	Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
	crc.update(payload);
	Poco::UInt32 value = crc.checksum();
	std::string bytes(4, '\0');
	for (int i = 0; i < 4; ++i)
		bytes[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xFF);
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder.rdbuf()->setLineLength(0);
	encoder << bytes << payload;
	encoder.close();
	return out.str();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	if (size < 1) return 0;
	if (data[0] == 'K')
		encodeAny(data + 1, size - 1);
	else if (data[0] == 'J')
		decodeAny(wrap(std::string(reinterpret_cast<const char*>(data) + 1, size - 1)));
	else
		decodeAny(std::string(reinterpret_cast<const char*>(data), size));
	return 0;
}
