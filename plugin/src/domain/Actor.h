#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

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
	std::optional<std::vector<std::string>> permissions;
	/// Granted explicitly in orgId, as the host read them with the session
	/// for this request; nullopt when not known (then the host is asked).

	bool holds(const std::string& permission) const
	/// Whether permissions lists it (known permissions only).
	{
		if (!permissions) return false;
		for (const std::string& p : *permissions)
			if (p == permission) return true;
		return false;
	}
};

} // namespace ExternalContacts
