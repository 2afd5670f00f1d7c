#pragma once

#include <cstdint>
#include <string>

namespace RefHost
{

class Secrets
/// Random tokens from the OS CSPRNG (libsodium), SHA-256 for storing
/// them at rest, constant-time comparison, and the clock.
{
public:
	static std::string randomHex(std::size_t bytes);
	/// bytes random bytes as lower-case hex (2*bytes characters).

	static void randomBytes(uint8_t* buf, std::size_t n);

	static std::string sha256Hex(const std::string& data);

	static bool constantTimeEquals(const std::string& a, const std::string& b);

	static int64_t nowMs();
	/// Milliseconds since the Unix epoch.
};

} // namespace RefHost
