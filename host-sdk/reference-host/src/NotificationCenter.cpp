#include "NotificationCenter.h"

#include "hostsdk/support/JsonPayload.h"

#include "Secrets.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace RefHost
{

namespace
{

Poco::JSON::Object::Ptr parseObject(const std::string& json)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var v = parser.parse(json);
	Poco::JSON::Object::Ptr obj = v.extract<Poco::JSON::Object::Ptr>();
	if (!obj) throw Poco::InvalidArgumentException("payload must be a JSON object");
	return obj;
}

Notification rowAt(const Poco::Data::RecordSet& rs, std::size_t r)
{
	auto s = [&](std::size_t c)
	{ return rs.value(c, r).isEmpty() ? std::string() : rs.value(c, r).convert<std::string>(); };
	Notification n;
	n.id = rs.value(0, r).convert<Poco::Int64>();
	n.orgId = rs.value(1, r).convert<Poco::Int64>();
	n.userId = rs.value(2, r).convert<Poco::Int64>();
	n.pluginId = s(3);
	n.type = s(4);
	n.titleJson = s(5);
	n.bodyJson = s(6);
	n.actionsJson = s(7);
	n.groupKey = s(8);
	n.state = s(9);
	n.outcomeJson = s(10);
	n.createdAt = rs.value(11, r).convert<Poco::Int64>();
	return n;
}

const char* const kColumns = "id, org_id, user_id, plugin_id, type, title_json, body_json, actions_json, group_key, "
							 "state, outcome_json, created_at";

} // namespace

NotificationCenter::NotificationCenter(Database& db) : _db(db) {}

namespace
{

HostSdk::JsonPayload::Notification readNotification(const std::string& json)
{
	try
	{
		return HostSdk::JsonPayload::readNotification(json.c_str());
	}
	catch (const HostSdk::Error& e)
	{
		throw Poco::InvalidArgumentException(e.what());
	}
}

void requireGroupKey(const std::string& groupKey)
{
	if (groupKey.empty()) throw Poco::InvalidArgumentException("groupKey must not be empty");
}

} // namespace

std::vector<Poco::Int64> NotificationCenter::insert(Poco::Data::Session& s, const std::string& pluginId,
													const HostSdk::JsonPayload::Notification& n)
{
	const Poco::Int64 at = Secrets::nowMs();
	using P = Database::Param;
	std::vector<Poco::Int64> ids;
	ids.reserve(n.userIds.size());
	for (Poco::Int64 userId : n.userIds)
	{
		_db.execute(s,
					"INSERT INTO notifications (org_id, user_id, plugin_id, type, title_json, body_json, actions_json,"
					" group_key, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unread', ?)",
					{P::integer(n.orgId), P::integer(userId), P::text(pluginId), P::text(n.type), P::text(n.titleJson),
					 P::text(n.bodyJson), P::text(n.actionsJson), P::text(n.groupKey), P::integer(at)});
		ids.push_back(_db.lastInsertId(s));
	}
	return ids;
}

int NotificationCenter::markHandled(Poco::Data::Session& s, const std::string& pluginId, const std::string& groupKey,
									const std::string& outcomeJson)
{
	using P = Database::Param;
	return static_cast<int>(_db.execute(
		s, "UPDATE notifications SET state = 'handled', outcome_json = ? WHERE plugin_id = ? AND group_key = ?",
		{P::text(outcomeJson), P::text(pluginId), P::text(groupKey)}));
}

std::vector<Poco::Int64> NotificationCenter::notify(const std::string& pluginId, const std::string& notificationJson)
{
	HostSdk::JsonPayload::Notification n = readNotification(notificationJson);
	return _db.write([&](Poco::Data::Session& s) { return insert(s, pluginId, n); });
}

int NotificationCenter::markHandledById(Poco::Data::Session& s, const std::string& pluginId,
										const std::string& groupKey, const std::string& outcomeJson)
{
	// Inside a transaction that then inserts: a plain read of the group's ids
	// (InnoDB: a consistent read, no locks), then an UPDATE of each by its
	// primary key (a lock on that row alone). An UPDATE by (plugin_id,
	// group_key) takes next-key locks, and for a group at the end of the
	// index that is the gap every new notification is inserted into: two
	// decisions at once deadlocked there, and one applicant's notice was
	// lost. A notice of the group stored after the read stays unresolved,
	// as it would have been stored after a resolve of its own.
	using P = Database::Param;
	std::vector<Poco::Int64> ids;
	_db.query(s, "SELECT id FROM notifications WHERE plugin_id = ? AND group_key = ? ORDER BY id",
			  {P::text(pluginId), P::text(groupKey)}, [&](const Database::Row& row) { ids.push_back(row.integer(0)); });
	for (Poco::Int64 id : ids)
		_db.execute(s, "UPDATE notifications SET state = 'handled', outcome_json = ? WHERE id = ?",
					{P::text(outcomeJson), P::integer(id)});
	return static_cast<int>(ids.size());
}

NotificationCenter::Resolved NotificationCenter::notifyWithResolve(const std::string& pluginId,
																   const std::string& groupKey,
																   const std::string& outcomeJson,
																   const std::string& notificationJson)
{
	requireGroupKey(groupKey);
	HostSdk::JsonPayload::Notification n = readNotification(notificationJson);
	return _db.write(
		[&](Poco::Data::Session& s)
		{
			Resolved done;
			done.resolved = markHandledById(s, pluginId, groupKey, outcomeJson);
			done.ids = insert(s, pluginId, n);
			return done;
		});
}

NotificationCenter::Page NotificationCenter::list(Poco::Int64 userId, Poco::Int64 beforeId, int limit)
{
	int fetch = limit + 1;
	Poco::Int64 before = beforeId > 0 ? beforeId : std::numeric_limits<Poco::Int64>::max();
	Poco::Data::Session s = _db.session();
	Poco::Data::Statement st(s);
	st << "SELECT " << kColumns << " FROM notifications WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
		use(userId), use(before), use(fetch), now;
	Poco::Data::RecordSet rs(st);
	Page page;
	for (std::size_t r = 0; r < rs.rowCount() && static_cast<int>(r) < limit; ++r)
		page.items.push_back(rowAt(rs, r));
	if (static_cast<int>(rs.rowCount()) > limit) page.nextBeforeId = page.items.back().id;
	return page;
}

int NotificationCenter::unreadCount(Poco::Int64 userId)
{
	int count = 0;
	Poco::Data::Session s = _db.session();
	s << "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND state = 'unread'", use(userId), into(count), now;
	return count;
}

std::optional<Notification> NotificationCenter::get(Poco::Int64 id, Poco::Int64 userId)
{
	Poco::Data::Session s = _db.session();
	Poco::Data::Statement st(s);
	st << "SELECT " << kColumns << " FROM notifications WHERE id = ? AND user_id = ?", use(id), use(userId), now;
	Poco::Data::RecordSet rs(st);
	if (rs.rowCount() == 0) return std::nullopt;
	return rowAt(rs, 0);
}

bool NotificationCenter::markRead(Poco::Int64 id, Poco::Int64 userId)
{
	Poco::Int64 at = Secrets::nowMs();
	{
		Poco::Data::Session s = _db.session();
		s << "UPDATE notifications SET state = 'read', read_at = ? WHERE id = ? AND user_id = ? AND state = 'unread'",
			use(at), use(id), use(userId), now;
	} // back to the pool before get() takes one
	return get(id, userId).has_value();
}

int NotificationCenter::resolve(const std::string& pluginId, const std::string& groupKey,
								const std::string& outcomeJson)
{
	requireGroupKey(groupKey);
	Poco::Data::Session s = _db.session();
	return markHandled(s, pluginId, groupKey, outcomeJson);
}

NotificationCenter::QueueLengths NotificationCenter::queueLengths()
{
	QueueLengths q;
	Poco::Data::Session s = _db.session();
	s << "SELECT COUNT(*) FROM notifications WHERE state = 'unread'", into(q.unreadNotifications), now;
	s << "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", into(q.pendingOutbound), now;
	return q;
}

Poco::Int64 NotificationCenter::enqueueOutbound(const std::string& pluginId, const std::string& messageJson)
{
	Poco::JSON::Object::Ptr obj = parseObject(messageJson);
	std::string channel = obj->optValue<std::string>("channel", "");
	if (channel != "email" && channel != "sms") throw Poco::InvalidArgumentException("channel must be email or sms");
	std::string to = obj->optValue<std::string>("to", "");
	if (to.empty() || to.size() > 254) throw Poco::InvalidArgumentException("to must be 1..254 characters");
	std::string tmpl = obj->optValue<std::string>("template", "");
	if (tmpl.empty() || tmpl.size() > 64) throw Poco::InvalidArgumentException("template must be 1..64 characters");
	std::string params = obj->has("params") ? HostSdk::JsonPayload::toJson(obj->get("params")) : "{}";
	Poco::Int64 at = Secrets::nowMs();
	return _db.write(
		[&](Poco::Data::Session& s)
		{
			s << "INSERT INTO outbox (plugin_id, channel, recipient, template, params_json, created_at) "
				 "VALUES (?, ?, ?, ?, ?, ?)",
				useRef(pluginId), useRef(channel), useRef(to), useRef(tmpl), useRef(params), use(at), now;
			return _db.lastInsertId(s);
		});
}

} // namespace RefHost
