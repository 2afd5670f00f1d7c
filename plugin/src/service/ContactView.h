#pragma once

#include "domain/Contact.h"
#include <Poco/Types.h>
#include <map>
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

		static Person of(Poco::Int64 id, const std::map<Poco::Int64, std::string>& names)
		/// id with its name from names (Directory::displayNames), if there.
		{
			Person p;
			p.id = id;
			auto it = names.find(id);
			if (it != names.end()) p.displayName = it->second;
			return p;
		}
	};

	Contact contact;
	Person addedBy;
	std::vector<Person> visibleMembers;   /// filled for a single contact, not in lists
	std::optional<WeChatIdentity> wechat; /// filled for a single contact, not in lists
	bool mayEdit = false; /// for a single contact (ContactService::get): the caller may edit, share, delete it and read
						  /// its history (R8)
};

} // namespace ExternalContacts
