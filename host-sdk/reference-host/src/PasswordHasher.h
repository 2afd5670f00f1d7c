#pragma once

#include <string>

namespace RefHost
{

class PasswordHasher
/// argon2id password hashes (libsodium crypto_pwhash_str, interactive
/// limits). The plain password never leaves these two calls.
{
public:
	static std::string hash(const std::string& password);
	/// Throws std::runtime_error when memory for the hash is not available.

	static bool verify(const std::string& hash, const std::string& password);
	/// False for a wrong password or a malformed / empty hash; the
	/// latter cost the same argon2id work (burn()).

	static void burn(const std::string& password);
	/// Spends the same time as verify(): one verification against a dummy
	/// hash of the same parameters, so response times do not reveal which
	/// logins exist or have a password.
};

} // namespace RefHost
