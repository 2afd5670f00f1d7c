#pragma once

#include <Poco/Types.h>
#include <vector>

namespace ExternalContacts
{

struct ContactPermissions
/// The 权限设置 of a contact (R6.3) as a PUT sets them: who its external
/// user may see, its security level, and the version the change starts
/// from.
{
	Poco::Int64 version = 0;
	std::vector<Poco::Int64> visibleMembers; /// ascending, no duplicates
	int securityLevel = 0;                   /// -999..0
};

} // namespace ExternalContacts
