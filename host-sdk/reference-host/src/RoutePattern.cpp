#include "RoutePattern.h"

namespace RefHost
{

bool RoutePattern::isCapture(const std::string& segment)
{
	return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool RoutePattern::match(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
						 std::map<std::string, std::string>* params)
{
	if (pattern.size() != segments.size()) return false;
	std::map<std::string, std::string> captured;
	for (std::size_t i = 0; i < pattern.size(); ++i)
	{
		if (isCapture(pattern[i]))
		{
			if (segments[i].empty()) return false;
			captured[pattern[i].substr(1, pattern[i].size() - 2)] = segments[i];
		}
		else if (pattern[i] != segments[i])
		{
			return false;
		}
	}
	if (params) *params = std::move(captured);
	return true;
}

bool RoutePattern::startsWith(const std::vector<std::string>& prefix, const std::vector<std::string>& segments)
{
	if (prefix.size() > segments.size()) return false;
	for (std::size_t i = 0; i < prefix.size(); ++i)
		if (prefix[i] != segments[i]) return false;
	return true;
}

} // namespace RefHost
