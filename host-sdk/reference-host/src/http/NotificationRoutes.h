#pragma once

#include "RouteRequest.h"

namespace RefHost
{

class NotificationRoutes
/// /api/notifications: the caller's notifications, the unread count,
/// marking one read and running one of its actions (a plugin route).
{
public:
	static void list(RouteRequest& request);
	/// GET /api/notifications?limit=&cursor=: newest first, localized.

	static void unreadCount(RouteRequest& request);
	/// GET /api/notifications/unread-count.

	static void markRead(RouteRequest& request);
	/// POST /api/notifications/{id}/read: 204.

	static void act(RouteRequest& request);
	/// POST /api/notifications/{id}/actions/{action}: calls the route the
	/// action names, in the org of the notification, and answers its answer.
};

} // namespace RefHost
