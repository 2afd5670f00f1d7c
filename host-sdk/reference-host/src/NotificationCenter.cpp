#include "NotificationCenter.h"

#include "Secrets.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace RefHost {

namespace {

std::string toJson(const Poco::Dynamic::Var& v)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::stringify(v, out);
	return out.str();
}

Poco::JSON::Object::Ptr parseObject(const std::string& json)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var v = parser.parse(json);
	Poco::JSON::Object::Ptr obj = v.extract<Poco::JSON::Object::Ptr>();
	if (!obj) throw Poco::InvalidArgumentException("payload must be a JSON object");
	return obj;
}

void requireLocalized(const Poco::JSON::Object::Ptr& obj, const std::string& key)
{
	Poco::JSON::Object::Ptr text = obj->getObject(key);
	if (!text || (!text->has("zh-CN") && !text->has("en")))
		throw Poco::InvalidArgumentException(key + " must be an object with zh-CN and/or en");
}

Notification rowAt(const Poco::Data::RecordSet& rs, std::size_t r)
{
	auto s = [&](std::size_t c) { return rs.value(c, r).isEmpty() ? std::string() : rs.value(c, r).convert<std::string>(); };
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

NotificationCenter::NotificationCenter(Database& db): _db(db)
{
}

std::vector<Poco::Int64> NotificationCenter::notify(const std::string& pluginId, const std::string& notificationJson)
{
	Poco::JSON::Object::Ptr obj;
	try
	{
		obj = parseObject(notificationJson);
	}
	catch (const Poco::Exception& e)
	{
		throw Poco::InvalidArgumentException("notification is not valid JSON", e.displayText());
	}
	Poco::JSON::Array::Ptr users = obj->getArray("userIds");
	if (!users || users->size() == 0) throw Poco::InvalidArgumentException("userIds must be a non-empty array");
	if (users->size() > 10000) throw Poco::InvalidArgumentException("at most 10000 recipients");
	std::string type = obj->optValue<std::string>("type", "");
	if (type.empty() || type.size() > 64) throw Poco::InvalidArgumentException("type must be 1..64 characters");
	requireLocalized(obj, "title");
	Poco::Int64 orgId = obj->optValue<Poco::Int64>("orgId", 0);
	std::string title = toJson(obj->get("title"));
	std::string body = obj->has("body") ? toJson(obj->get("body")) : "{}";
	Poco::JSON::Array::Ptr actions = obj->getArray("actions");
	if (actions)
	{
		for (std::size_t i = 0; i < actions->size(); ++i)
		{
			Poco::JSON::Object::Ptr a = actions->getObject(static_cast<unsigned>(i));
			if (!a || a->optValue<std::string>("id", "").empty() || a->optValue<std::string>("path", "").empty() ||
				a->optValue<std::string>("path", "")[0] != '/')
				throw Poco::InvalidArgumentException("each action needs an id and a path starting with /");
			requireLocalized(a, "label");
		}
	}
	std::string actionsJson = actions ? toJson(actions) : "[]";
	std::string groupKey = obj->optValue<std::string>("groupKey", "");
	if (groupKey.size() > 128) throw Poco::InvalidArgumentException("groupKey longer than 128");
	Poco::Int64 at = Secrets::nowMs();
	return _db.write([&](Poco::Data::Session& s) {
		std::vector<Poco::Int64> ids;
		for (std::size_t i = 0; i < users->size(); ++i)
		{
			Poco::Int64 userId = users->get(static_cast<unsigned>(i)).convert<Poco::Int64>();
			s << "INSERT INTO notifications (org_id, user_id, plugin_id, type, title_json, body_json, actions_json, "
				 "group_key, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unread', ?)",
				use(orgId), use(userId), useRef(pluginId), useRef(type), useRef(title), useRef(body),
				useRef(actionsJson), useRef(groupKey), use(at), now;
			ids.push_back(_db.lastInsertId(s));
		}
		return ids;
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
	for (std::size_t r = 0; r < rs.rowCount() && static_cast<int>(r) < limit; ++r) page.items.push_back(rowAt(rs, r));
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
	if (groupKey.empty()) throw Poco::InvalidArgumentException("groupKey must not be empty");
	Poco::Data::Session s = _db.session();
	Poco::Data::Statement st(s);
	st << "UPDATE notifications SET state = 'handled', outcome_json = ? WHERE plugin_id = ? AND group_key = ?",
		useRef(outcomeJson), useRef(pluginId), useRef(groupKey);
	return static_cast<int>(st.execute());
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
	std::string params = obj->has("params") ? toJson(obj->get("params")) : "{}";
	Poco::Int64 at = Secrets::nowMs();
	return _db.write([&](Poco::Data::Session& s) {
		s << "INSERT INTO outbox (plugin_id, channel, recipient, template, params_json, created_at) "
			 "VALUES (?, ?, ?, ?, ?, ?)",
			useRef(pluginId), useRef(channel), useRef(to), useRef(tmpl), useRef(params), use(at), now;
		return _db.lastInsertId(s);
	});
}

} // namespace RefHost
