#pragma once

#include "service/ContactView.h"
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct ContactPage
/// One page of a contact list.
{
	std::vector<ContactView> items;
	std::optional<std::string> nextCursor; /// nothing on the last page
};

} // namespace ExternalContacts
