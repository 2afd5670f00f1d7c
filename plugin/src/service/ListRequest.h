#pragma once

#include "domain/AccessPolicy.h"
#include "domain/ContactSource.h"
#include <cstddef>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct ListRequest
/// What a caller asked of the contact list or its group counts.
{
	AccessPolicy::Scope scope = AccessPolicy::Scope::Mine;
	std::optional<ContactSource> source;
	std::string search; /// "" for no search
	std::string cursor; /// "" for the first page
	std::size_t limit = 50;
};

} // namespace ExternalContacts
