#pragma once

#include "domain/ContactSource.h"
#include "domain/SortKey.h"
#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct Contact
/// An external contact of one org, as stored. Optional text fields are
/// absent rather than empty.
{
	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0;
	std::string name;
	std::optional<std::string> mobile;
	std::optional<std::string> email;
	std::optional<std::string> company;
	std::optional<std::string> title;
	std::optional<std::string> department;
	std::optional<std::string> address;
	std::optional<std::string> remark;
	std::vector<std::string> tags;
	ContactSource source = ContactSource::Created;
	Poco::Int64 addedBy = 0;
	int securityLevel = 0;
	Poco::Int64 version = 1;
	Poco::Int64 createdAt = 0;               /// ms since the epoch
	Poco::Int64 updatedAt = 0;               /// ms since the epoch
	std::vector<Poco::Int64> visibleMembers; /// filled only where a use case needs it

	SortKey sortKey() const
	/// Where the contact stands in lists: grouped by company.
	{
		return SortKey::forContact(company.value_or(std::string()), name, id);
	}
};

} // namespace ExternalContacts
