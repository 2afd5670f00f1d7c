#pragma once

#include "Database.h"
#include "hostsdk/support/JsonPayload.h"
#include <optional>
#include <string>
#include <vector>

namespace RefHost
{

struct Notification
{
	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0;
	Poco::Int64 userId = 0;
	std::string pluginId;
	std::string type;
	std::string titleJson;   // {"zh-CN": "...", "en": "..."}
	std::string bodyJson;    // same shape
	std::string actionsJson; // [{"id","label":{..},"method","path","body"?}]
	std::string groupKey;
	std::string state;       // unread | read | handled
	std::string outcomeJson; // set when handled
	Poco::Int64 createdAt = 0;
};

class NotificationCenter
/// Stores notifications per user (in the database, so every host node
/// sees them) and the outbound channel's outbox.
{
public:
	explicit NotificationCenter(Database& db);

	std::vector<Poco::Int64> notify(const std::string& pluginId, const std::string& notificationJson);
	/// Parses and validates the payload of hostsdk cb_notify; one row per
	/// recipient. Throws Poco::InvalidArgumentException on a bad payload.

	struct Page
	{
		std::vector<Notification> items;
		Poco::Int64 nextBeforeId = 0; // 0: no further page
	};
	Page list(Poco::Int64 userId, Poco::Int64 beforeId, int limit);
	/// Newest first; keyset on id.

	int unreadCount(Poco::Int64 userId);
	std::optional<Notification> get(Poco::Int64 id, Poco::Int64 userId);
	bool markRead(Poco::Int64 id, Poco::Int64 userId);
	int resolve(const std::string& pluginId, const std::string& groupKey, const std::string& outcomeJson);
	/// Marks every notification of pluginId with groupKey handled (hostsdk
	/// cb_notify_resolve); the number marked.

	struct Resolved
	{
		std::vector<Poco::Int64> ids; // the new notifications, one per recipient
		int resolved = 0;             // the earlier ones of the group (now handled)
	};
	Resolved notifyWithResolve(const std::string& pluginId, const std::string& groupKey, const std::string& outcomeJson,
							   const std::string& notificationJson);
	/// resolve() and then notify() in one transaction (hostsdk
	/// cb_notify_with_resolve, ABI 1.5): both or neither. The payload and
	/// groupKey are checked before anything is written.

	Poco::Int64 enqueueOutbound(const std::string& pluginId, const std::string& messageJson);
	/// {"channel":"email"|"sms","to":"...","template":"...","params":{...}}

	struct QueueLengths
	{
		Poco::Int64 unreadNotifications = 0; // every user's, in the shared database
		Poco::Int64 pendingOutbound = 0;     // outbox rows not sent yet (sent_at NULL)
	};
	QueueLengths queueLengths();
	/// Two COUNT queries, for the metrics scrape (not for request paths).

private:
	std::vector<Poco::Int64> insert(Poco::Data::Session& s, const std::string& pluginId,
									const HostSdk::JsonPayload::Notification& n);
	int markHandled(Poco::Data::Session& s, const std::string& pluginId, const std::string& groupKey,
					const std::string& outcomeJson);
	int markHandledById(Poco::Data::Session& s, const std::string& pluginId, const std::string& groupKey,
						const std::string& outcomeJson);

	Database& _db;
};

} // namespace RefHost
