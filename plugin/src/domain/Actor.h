#pragma once

#include <Poco/Types.h>

namespace ExternalContacts
{

struct Actor
/// Who acts, as the host authenticated them, in their current org.
{
	enum class Kind
	{
		Anonymous,
		Member,
		External
	};

	Poco::Int64 userId = 0;
	Poco::Int64 orgId = 0;
	Kind kind = Kind::Anonymous;
	bool isAdmin = false;
	int securityLevel = 0;
};

} // namespace ExternalContacts
