#include "PasswordHasher.h"

#include <cstring>
#include <sodium.h>
#include <stdexcept>

namespace RefHost
{

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
	if (sodium_init() < 0) return false;
	// No hash (a pending or reset account) or one libsodium would refuse at
	// once costs the same argon2id work as a real one: the time of an answer
	// must not tell such accounts apart.
	if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || hash.find('\0') != std::string::npos ||
		hash.compare(0, std::strlen(crypto_pwhash_argon2id_STRPREFIX), crypto_pwhash_argon2id_STRPREFIX) != 0)
	{
		burn(password);
		return false;
	}
	return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::burn(const std::string& password)
{
	static const std::string dummy = hash("not-a-real-password-but-same-cost");
	verify(dummy, password);
}

} // namespace RefHost
