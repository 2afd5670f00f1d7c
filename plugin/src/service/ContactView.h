#pragma once

#include "domain/Contact.h"
#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct ContactView
/// A contact as a caller sees it: with the names of the people it refers to.
{
	struct Person
	{
		Poco::Int64 id = 0;
		std::optional<std::string> displayName; /// nothing when the host does not know the user
	};

	Contact contact;
	Person addedBy;
	std::vector<Person> visibleMembers;   /// filled for a single contact, not in lists
	std::optional<WeChatIdentity> wechat; /// filled for a single contact, not in lists
	bool mayEdit = false; /// for a single contact (ContactService::get): the caller may edit, share, delete it and read
						  /// its history (R8)
};

} // namespace ExternalContacts
