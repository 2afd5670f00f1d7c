#pragma once

#include <string>

namespace ExternalContacts
{

namespace SecretToken
/// Secrets handed out in links (invitation links, WeChat states): 256
/// bits from OpenSSL's CSPRNG, base64url without padding (43 characters).
/// Only their SHA-256 is ever stored.
{

constexpr std::size_t BYTES = 32;
constexpr std::size_t LENGTH = 43;

std::string generate();
/// A fresh token. Throws Poco::RuntimeException when the CSPRNG fails.

std::string hash(const std::string& token);
/// The lower-case hex SHA-256 of token, as stored.

bool wellFormed(const std::string& token);
/// LENGTH characters of the base64url alphabet: anything else is not a
/// token and is not looked up.

constexpr std::size_t HEX_LENGTH = 64;

std::string generateHex();
/// A fresh 256-bit secret as 64 lower-case hex digits, for places that
/// allow only letters and digits (WeChat's state parameter).

bool wellFormedHex(const std::string& secret);
/// HEX_LENGTH lower-case hex digits.

} // namespace SecretToken

} // namespace ExternalContacts
