#pragma once

#include "domain/Actor.h"
#include "service/Directory.h"
#include <string>
#include <vector>

namespace ExternalContacts
{

class MemberSearchService
/// The member picker's search (visible members, share list, group
/// maintainers): the active members (kind member) of the caller's current
/// org whose display name or login contains the query, through the host
/// directory. Only those who may use contacts may search. Thread-safe.
{
public:
	static constexpr std::size_t LIMIT_DEFAULT = 10;
	static constexpr std::size_t LIMIT_MAX = 20;
	static constexpr std::size_t QUERY_MAX = 64; /// code points, after trimming

	explicit MemberSearchService(Directory& directory);

	std::vector<Directory::MemberMatch> search(const Actor& actor, const std::string& query, std::size_t limit);
	/// Up to limit matches in the actor's current org, by user id. query is
	/// trimmed first. Throws AccessDeniedException (not a member of the
	/// org), ValidationError naming "q" (blank, longer than QUERY_MAX, not
	/// UTF-8 or with control characters) or "limit" (outside 1..LIMIT_MAX).

private:
	Directory& _directory;
};

} // namespace ExternalContacts
