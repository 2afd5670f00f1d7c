#include "Secrets.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Timestamp.h>
#include <sodium.h>
#include <stdexcept>
#include <vector>

namespace RefHost
{

namespace
{

void initSodium()
{
	static const int rc = sodium_init();
	if (rc < 0) throw std::runtime_error("libsodium could not be initialized");
}

} // namespace

void Secrets::randomBytes(uint8_t* buf, std::size_t n)
{
	initSodium();
	randombytes_buf(buf, n);
}

std::string Secrets::randomHex(std::size_t bytes)
{
	std::vector<uint8_t> buf(bytes);
	randomBytes(buf.data(), bytes);
	return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(buf.begin(), buf.end()));
}

std::string Secrets::sha256Hex(const std::string& data)
{
	Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
	engine.update(data);
	return Poco::DigestEngine::digestToHex(engine.digest());
}

bool Secrets::constantTimeEquals(const std::string& a, const std::string& b)
{
	if (a.size() != b.size()) return false;
	initSodium();
	return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

int64_t Secrets::nowMs()
{
	return Poco::Timestamp().epochMicroseconds() / 1000;
}

} // namespace RefHost
