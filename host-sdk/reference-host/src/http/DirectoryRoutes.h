#pragma once

#include "RouteRequest.h"

namespace RefHost
{

class DirectoryRoutes
/// /api/directory: the members of the caller's organization.
{
public:
	static void members(RouteRequest& request);
	/// GET /api/directory/members?q=&limit=&cursor=: members (kind member)
	/// by id, or those whose name or login contains q. External users see
	/// only whom the plugins let them see (hook 1,
	/// directory.will_list_members); without such a plugin, nobody.
};

} // namespace RefHost
