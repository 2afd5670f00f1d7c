#pragma once

// Invariant checks for the harnesses: a broken invariant prints what broke
// and aborts, which libFuzzer reports as a crash and saves the input.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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

// Every part of in between the separators (one part more than separators).
inline std::vector<std::string> splitAll(const std::string& s, char sep)
{
	std::vector<std::string> parts;
	std::size_t start = 0;
	while (true)
	{
		std::size_t at = s.find(sep, start);
		if (at == std::string::npos)
		{
			parts.push_back(s.substr(start));
			return parts;
		}
		parts.push_back(s.substr(start, at - start));
		start = at + 1;
	}
}

} // namespace Fuzz
