#pragma once

#include "RouteRequest.h"

namespace RefHost
{

class StaticRoutes
/// What the host serves outside the API: its health and the files of the
/// web shell and of the plugins' web folders.
{
public:
	static void health(RouteRequest& request);
	/// /healthz, any method: 200 {"status":"ok","db":"ok"}, or 503 with
	/// the error shape when the database does not answer.

	static bool file(RouteRequest& request);
	/// GET or HEAD of /, /index.html, /assets/<file> (the shell) or
	/// /plugins/<id>/web/<file> (resources/web/<id>/); false for any other
	/// path, 404 for a file that is not there or a name it refuses.
};

} // namespace RefHost
