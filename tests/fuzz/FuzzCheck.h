#pragma once

// Invariant checks for the harnesses: a broken invariant prints what broke
// and aborts, which libFuzzer reports as a crash and saves the input.

#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(cond, what)                                                                                         \
	do                                                                                                                 \
	{                                                                                                                  \
		if (!(cond))                                                                                                   \
		{                                                                                                              \
			std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond,                   \
						 std::string(what).c_str());                                                                   \
			std::abort();                                                                                              \
		}                                                                                                              \
	} while (0)

namespace Fuzz
{

// Splits the input at the first occurrence of sep: head before, rest after.
inline bool split(const std::string& in, char sep, std::string& head, std::string& rest)
{
	std::size_t at = in.find(sep);
	if (at == std::string::npos) return false;
	head = in.substr(0, at);
	rest = in.substr(at + 1);
	return true;
}

} // namespace Fuzz
