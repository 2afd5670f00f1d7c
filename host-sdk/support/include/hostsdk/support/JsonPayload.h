#pragma once

// Readers for the JSON requests a plugin sends through the C ABI
// (cb_directory, cb_account, cb_notify_resolve): header-only, POCO JSON.
// Every failure is a HostSdk::Error(HOSTSDK_E_INVALID) naming the member,
// which guard() turns into the status the plugin sees. The reference host
// uses them (PluginHostTable.cpp); tests/fuzz/ calls them with any bytes.

#include "hostsdk/Error.h"
#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <algorithm>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

namespace HostSdk
{
namespace JsonPayload
{

inline bool toInt64(const Poco::Dynamic::Var& integer, Poco::Int64& out)
/// The value of an integer Var as a signed 64-bit number; false when it
/// does not fit (a JSON number above 2^63 - 1 parses as unsigned).
{
	try
	{
		out = integer.convert<Poco::Int64>();
		return true;
	}
	catch (const Poco::RangeException&)
	{
		return false;
	}
}

inline Poco::JSON::Object::Ptr parseObject(const char* json)
/// The request, which must be one JSON object (null counts as "").
{
	try
	{
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var v = parser.parse(json ? json : "");
		if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
	}
	throw Error(HOSTSDK_E_INVALID, "request must be a JSON object");
}

inline Poco::Int64 requireId(const Poco::JSON::Object::Ptr& req, const std::string& key)
/// A required positive id (anything POCO converts to a positive integer).
{
	if (!req->has(key)) throw Error(HOSTSDK_E_INVALID, "missing " + key);
	try
	{
		Poco::Int64 id = req->get(key).convert<Poco::Int64>();
		if (id <= 0) throw Error(HOSTSDK_E_INVALID, key + " must be a positive id");
		return id;
	}
	catch (const Poco::Exception&)
	{
		throw Error(HOSTSDK_E_INVALID, key + " must be an integer");
	}
}

inline std::string requireText(const Poco::JSON::Object::Ptr& req, const std::string& key)
/// A required string member.
{
	if (!req->has(key) || !req->get(key).isString()) throw Error(HOSTSDK_E_INVALID, key + " must be a string");
	return req->getValue<std::string>(key);
}

inline int optionalInt(const Poco::JSON::Object::Ptr& req, const std::string& key, int fallback, int min, int max)
/// An optional integer member within min..max; fallback when absent.
{
	if (!req->has(key)) return fallback;
	Poco::Dynamic::Var v = req->get(key);
	Poco::Int64 n = 0;
	if (!v.isInteger() || !toInt64(v, n) || n < min || n > max)
		throw Error(HOSTSDK_E_INVALID, key + " must be an integer " + std::to_string(min) + ".." + std::to_string(max));
	return static_cast<int>(n);
}

inline int pageLimit(const Poco::JSON::Object::Ptr& req)
/// "limit" of a member page: 1..100, 50 when absent.
{
	if (!req->has("limit")) return 50;
	Poco::Dynamic::Var v = req->get("limit");
	Poco::Int64 limit = 0;
	if (!v.isInteger()) throw Error(HOSTSDK_E_INVALID, "limit must be an integer 1..100");
	if (!toInt64(v, limit) || limit < 1 || limit > 100) throw Error(HOSTSDK_E_INVALID, "limit must be 1..100");
	return static_cast<int>(limit);
}

inline Poco::Int64 afterUserId(const Poco::JSON::Object::Ptr& req)
/// "afterUserId" of a member page: a non-negative integer, 0 when absent.
{
	if (!req->has("afterUserId")) return 0;
	Poco::Dynamic::Var v = req->get("afterUserId");
	Poco::Int64 after = 0;
	if (!v.isInteger() || !toInt64(v, after) || after < 0)
		throw Error(HOSTSDK_E_INVALID, "afterUserId must be a non-negative integer");
	return after;
}

inline std::vector<Poco::Int64> idList(const Poco::JSON::Object::Ptr& req, const std::string& key, std::size_t max)
/// A required array of at most max integer ids (anything POCO converts).
{
	Poco::JSON::Array::Ptr ids = req->getArray(key);
	if (!ids) throw Error(HOSTSDK_E_INVALID, key + " must be an array");
	if (ids->size() > max) throw Error(HOSTSDK_E_INVALID, "at most " + std::to_string(max) + " " + key);
	std::vector<Poco::Int64> v;
	try
	{
		for (std::size_t i = 0; i < ids->size(); ++i)
			v.push_back(ids->get(static_cast<unsigned>(i)).convert<Poco::Int64>());
	}
	catch (const Poco::Exception&)
	{
		// "x", {} or 1e30 among the ids: the plugin's mistake, not the host's.
		throw Error(HOSTSDK_E_INVALID, key + " must hold integer ids");
	}
	return v;
}

inline std::string permissionName(const Poco::JSON::Object::Ptr& req)
/// "permission" of members.with_permission: a name of 1..64 characters.
{
	std::string permission = req->optValue<std::string>("permission", "");
	if (permission.empty() || permission.size() > 64)
		throw Error(HOSTSDK_E_INVALID, "permission must be a name of 1..64 characters");
	return permission;
}

inline bool optionalFlag(const Poco::JSON::Object::Ptr& req, const std::string& key, bool fallback)
/// An optional boolean member; fallback when absent.
{
	return req->optValue<bool>(key, fallback);
}

inline int membershipLevel(const Poco::JSON::Object::Ptr& req)
/// "securityLevel" of membership.add_external: -999..0, 0 when absent.
{
	int level = req->optValue<int>("securityLevel", 0);
	if (level < -999 || level > 0) throw Error(HOSTSDK_E_INVALID, "securityLevel must be -999..0");
	return level;
}

struct Notification
/// A cb_notify request as the host stores it.
{
	Poco::Int64 orgId = 0;
	std::vector<Poco::Int64> userIds;
	std::string type;
	std::string titleJson;
	std::string bodyJson = "{}";
	std::string actionsJson = "[]";
	std::string groupKey;
};

inline std::string toJson(const Poco::Dynamic::Var& value)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::stringify(value, out);
	return out.str();
}

inline void requireLocalized(const Poco::JSON::Object::Ptr& obj, const std::string& key)
/// key: an object with a zh-CN and/or an en string (other members ignored).
{
	Poco::JSON::Object::Ptr text =
		obj->has(key) && obj->get(key).type() == typeid(Poco::JSON::Object::Ptr) ? obj->getObject(key) : nullptr;
	bool any = false;
	for (const char* locale : {"zh-CN", "en"})
	{
		if (!text || !text->has(locale)) continue;
		if (!text->get(locale).isString()) throw Error(HOSTSDK_E_INVALID, key + "." + locale + " must be a string");
		any = true;
	}
	if (!any) throw Error(HOSTSDK_E_INVALID, key + " must be an object with zh-CN and/or en");
}

inline std::string optionalText(const Poco::JSON::Object::Ptr& obj, const std::string& key, std::size_t max)
/// An optional string member of at most max bytes; "" when absent.
{
	if (!obj->has(key)) return std::string();
	if (!obj->get(key).isString()) throw Error(HOSTSDK_E_INVALID, key + " must be a string");
	std::string text = obj->getValue<std::string>(key);
	if (text.size() > max) throw Error(HOSTSDK_E_INVALID, key + " longer than " + std::to_string(max));
	return text;
}

inline Notification readNotification(const char* json)
/// cb_notify's request: userIds 1..10000 positive integer ids, type
/// 1..64 bytes, title localized, body an object, actions objects with
/// an id, a path starting with / and a localized label, groupKey at most
/// 128 bytes, orgId a non-negative integer.
{
	Poco::JSON::Object::Ptr req = parseObject(json);
	Notification n;
	if (req->has("orgId"))
	{
		Poco::Dynamic::Var v = req->get("orgId");
		if (!v.isInteger() || !toInt64(v, n.orgId) || n.orgId < 0)
			throw Error(HOSTSDK_E_INVALID, "orgId must be a non-negative integer");
	}
	Poco::JSON::Array::Ptr users = req->has("userIds") && req->get("userIds").type() == typeid(Poco::JSON::Array::Ptr)
									   ? req->getArray("userIds")
									   : nullptr;
	if (!users || users->size() == 0) throw Error(HOSTSDK_E_INVALID, "userIds must be a non-empty array");
	if (users->size() > 10000) throw Error(HOSTSDK_E_INVALID, "at most 10000 recipients");
	for (std::size_t i = 0; i < users->size(); ++i)
	{
		Poco::Dynamic::Var v = users->get(static_cast<unsigned>(i));
		Poco::Int64 id = 0;
		if (!v.isInteger() || !toInt64(v, id) || id <= 0)
			throw Error(HOSTSDK_E_INVALID, "userIds must hold positive integer ids");
		n.userIds.push_back(id);
	}
	n.type = optionalText(req, "type", 64);
	if (n.type.empty()) throw Error(HOSTSDK_E_INVALID, "type must be 1..64 characters");
	requireLocalized(req, "title");
	n.titleJson = toJson(req->get("title"));
	if (req->has("body"))
	{
		if (req->get("body").type() != typeid(Poco::JSON::Object::Ptr))
			throw Error(HOSTSDK_E_INVALID, "body must be an object");
		n.bodyJson = toJson(req->get("body"));
	}
	if (req->has("actions"))
	{
		if (req->get("actions").type() != typeid(Poco::JSON::Array::Ptr))
			throw Error(HOSTSDK_E_INVALID, "actions must be an array");
		Poco::JSON::Array::Ptr actions = req->getArray("actions");
		for (std::size_t i = 0; i < actions->size(); ++i)
		{
			Poco::Dynamic::Var item = actions->get(static_cast<unsigned>(i));
			if (item.type() != typeid(Poco::JSON::Object::Ptr))
				throw Error(HOSTSDK_E_INVALID, "each action must be an object");
			Poco::JSON::Object::Ptr a = item.extract<Poco::JSON::Object::Ptr>();
			std::string path = optionalText(a, "path", 2048);
			if (optionalText(a, "id", 64).empty() || path.empty() || path[0] != '/')
				throw Error(HOSTSDK_E_INVALID, "each action needs an id and a path starting with /");
			requireLocalized(a, "label");
		}
		n.actionsJson = toJson(actions);
	}
	n.groupKey = optionalText(req, "groupKey", 128);
	return n;
}

struct MenuItem
/// A cb_register_menu request: where, which, in what order, and the
/// whole item as the web shell gets it.
{
	std::string location;
	std::string id;
	int order = 100;
	Poco::JSON::Object::Ptr item;
};

inline MenuItem readMenuItem(const char* json, const std::vector<std::string>& locations)
/// location one of locations, id a string of 1..64 bytes, label an
/// object with a zh-CN string, order an integer -1000000..1000000
/// (100 when absent).
{
	MenuItem m;
	m.item = parseObject(json);
	m.location = optionalText(m.item, "location", 64);
	if (std::find(locations.begin(), locations.end(), m.location) == locations.end())
		throw Error(HOSTSDK_E_INVALID, "unknown menu location '" + m.location + "'");
	m.id = optionalText(m.item, "id", 64);
	Poco::JSON::Object::Ptr label =
		m.item->has("label") && m.item->get("label").type() == typeid(Poco::JSON::Object::Ptr)
			? m.item->getObject("label")
			: nullptr;
	if (m.id.empty() || !label || !label->has("zh-CN") || !label->get("zh-CN").isString())
		throw Error(HOSTSDK_E_INVALID, "a menu item needs an id and a label with zh-CN");
	m.order = optionalInt(m.item, "order", 100, -1000000, 1000000);
	return m;
}

inline Poco::JSON::Object::Ptr readPage(const char* json)
/// A cb_register_page request: section and id strings of 1..64 bytes and
/// a label object; the whole page as the back office gets it.
{
	Poco::JSON::Object::Ptr page = parseObject(json);
	if (optionalText(page, "id", 64).empty() || optionalText(page, "section", 64).empty() || !page->has("label") ||
		page->get("label").type() != typeid(Poco::JSON::Object::Ptr))
		throw Error(HOSTSDK_E_INVALID, "a back-office page needs section, id and label");
	return page;
}

} // namespace JsonPayload
} // namespace HostSdk
