#include "PasswordHasher.h"

#include <sodium.h>
#include <stdexcept>

namespace RefHost {

std::string PasswordHasher::hash(const std::string& password)
{
	if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized");
	char out[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		throw std::runtime_error("out of memory while hashing a password");
	return out;
}

bool PasswordHasher::verify(const std::string& hash, const std::string& password)
{
	if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
	if (sodium_init() < 0) return false;
	return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::burn(const std::string& password)
{
	static const std::string dummy = hash("not-a-real-password-but-same-cost");
	verify(dummy, password);
}

} // namespace RefHost
