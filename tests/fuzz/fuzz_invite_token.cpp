// Secrets that arrive in URLs and cookies: invitation tokens (/invite/{token},
// the x-invite-token header), WeChat states (hex) and browser secrets read
// from the Cookie header (service/SecretToken, BodyReaders::cookieValue).
// Checks:
//  - wellFormed() is exactly "43 characters of base64url" and
//    wellFormedHex() exactly "64 lower-case hex digits", compared with an
//    independent definition; nothing else is ever looked up;
//  - hash() is 64 lower-case hex digits and deterministic;
//  - a well-formed token survives the host's path-parameter JSON
//    ({"token": …}) unchanged;
//  - generate() / generateHex() make well-formed secrets;
//  - a cookie value found in a Cookie header is trimmed, holds no ';', and
//    its name=value pair is in the header.
#include "FuzzCheck.h"
#include "http/BodyReaders.h"
#include "service/SecretToken.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <cstdint>
#include <sstream>

using namespace ExternalContacts;

namespace
{

bool isBase64url(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool isLowerHex(const std::string& s)
{
	return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void checkToken(const std::string& t)
{
	bool expected = t.size() == 43;
	for (char c : t)
		expected = expected && isBase64url(c);
	FUZZ_CHECK(SecretToken::wellFormed(t) == expected, "wellFormed disagrees");
	FUZZ_CHECK(SecretToken::wellFormedHex(t) == (t.size() == 64 && isLowerHex(t)), "wellFormedHex disagrees");
	std::string h = SecretToken::hash(t);
	FUZZ_CHECK(h.size() == 64 && isLowerHex(h), "hash is not 64 hex digits");
	FUZZ_CHECK(SecretToken::hash(t) == h, "hash is not deterministic");
	if (expected)
	{
		Poco::JSON::Object params;
		params.set("token", t);
		std::ostringstream json;
		params.stringify(json);
		Poco::JSON::Parser parser;
		Poco::JSON::Object::Ptr back = parser.parse(json.str()).extract<Poco::JSON::Object::Ptr>();
		FUZZ_CHECK(back->optValue<std::string>("token", "") == t, "token changed in the path parameters");
	}
}

void checkCookie(const std::string& header)
{
	for (const char* name : {"ec_invite_wx", "ec_bind_wx"})
	{
		std::string value = BodyReaders::cookieValue(header, name);
		if (value.empty()) continue;
		FUZZ_CHECK(Poco::trim(value) == value, "cookie value not trimmed");
		FUZZ_CHECK(value.find(';') == std::string::npos, "cookie value holds ';'");
		FUZZ_CHECK(header.find(name) != std::string::npos, "cookie found without its name");
		FUZZ_CHECK(header.find(value) != std::string::npos, "cookie value not from the header");
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	std::string input(reinterpret_cast<const char*>(data), size);
	if (input == "G")
	{
		std::string token = SecretToken::generate();
		FUZZ_CHECK(token.size() == SecretToken::LENGTH && SecretToken::wellFormed(token), "generated token");
		std::string hex = SecretToken::generateHex();
		FUZZ_CHECK(hex.size() == SecretToken::HEX_LENGTH && SecretToken::wellFormedHex(hex), "generated hex");
	}
	checkToken(input);
	checkCookie(input);
	return 0;
}
