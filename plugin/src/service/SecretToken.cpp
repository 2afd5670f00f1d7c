#include "service/SecretToken.h"

#include <Poco/Exception.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace ExternalContacts
{

namespace SecretToken
{

std::string generate()
{
	static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char bytes[BYTES + 1] = {};
	if (RAND_bytes(bytes, BYTES) != 1) throw Poco::RuntimeException("the random number generator failed");
	// base64url of 32 bytes: 43 characters, the last one carrying 4 bits.
	std::string token;
	token.reserve(LENGTH);
	for (std::size_t i = 0; i < BYTES; i += 3)
	{
		unsigned int group = (bytes[i] << 16) | (bytes[i + 1] << 8) | (i + 2 < BYTES ? bytes[i + 2] : 0);
		std::size_t chars = i + 2 < BYTES ? 4 : 3;
		for (std::size_t c = 0; c < chars; ++c)
			token += ALPHABET[(group >> (18 - 6 * c)) & 0x3F];
	}
	return token;
}

std::string hash(const std::string& token)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	if (EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr) != 1)
		throw Poco::RuntimeException("SHA-256 failed");
	static const char HEX[] = "0123456789abcdef";
	std::string hex;
	hex.reserve(length * 2);
	for (unsigned int i = 0; i < length; ++i)
	{
		hex += HEX[digest[i] >> 4];
		hex += HEX[digest[i] & 0x0F];
	}
	return hex;
}

std::string generateHex()
{
	unsigned char bytes[BYTES];
	if (RAND_bytes(bytes, BYTES) != 1) throw Poco::RuntimeException("the random number generator failed");
	static const char HEX[] = "0123456789abcdef";
	std::string hex;
	hex.reserve(HEX_LENGTH);
	for (unsigned char b : bytes)
	{
		hex += HEX[b >> 4];
		hex += HEX[b & 0x0F];
	}
	return hex;
}

bool wellFormedHex(const std::string& secret)
{
	return secret.size() == HEX_LENGTH && secret.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool wellFormed(const std::string& token)
{
	if (token.size() != LENGTH) return false;
	for (char c : token)
	{
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
		if (!ok) return false;
	}
	return true;
}

} // namespace SecretToken

} // namespace ExternalContacts
