#pragma once

#include "domain/ContactFields.h"
#include "domain/ContactSource.h"
#include "domain/SortKey.h"
#include <Poco/Types.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct Contact : ContactFields
/// An external contact of one org, as stored: the entered fields and what
/// the system keeps about them.
{
	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0;
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

struct WeChatIdentity
/// The WeChat identity bound to a contact through an invitation (R4.3).
/// openid and unionid identify the person to WeChat and are not shown.
{
	std::string openid;
	std::string unionid; /// "" when WeChat gave none
	std::string nickname;
	std::string avatarUrl;
	Poco::Int64 boundAt = 0;
};

} // namespace ExternalContacts
