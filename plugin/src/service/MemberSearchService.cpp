#include "service/MemberSearchService.h"

#include "domain/AccessPolicy.h"
#include "domain/Exceptions.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"

namespace ExternalContacts
{

MemberSearchService::MemberSearchService(Directory& directory) : _directory(directory) {}

std::vector<Directory::MemberMatch> MemberSearchService::search(const Actor& actor, const std::string& query,
																std::size_t limit)
{
	if (!AccessPolicy::mayUseContacts(actor)) throw AccessDeniedException("only members may search members");
	if (!Utf8Text::isValid(query) || Utf8Text::hasControlCharacters(query))
		throw ValidationError::failed("q", "q must be text without control characters");
	std::string text = Utf8Text::trim(query);
	std::size_t length = Utf8Text::length(text);
	if (length < 1 || length > QUERY_MAX)
		throw ValidationError::failed("q", "q must be 1 to " + std::to_string(QUERY_MAX) + " characters");
	if (limit < 1 || limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	std::vector<Directory::MemberMatch> matches = _directory.searchMembers(actor.orgId, text, limit);
	if (matches.size() > limit) matches.resize(limit);
	return matches;
}

} // namespace ExternalContacts
