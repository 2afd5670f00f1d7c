#pragma once

// The readers of the JSON payloads the host sends with its hooks
// (MemberHooks), as free inline functions so that tests and the fuzz
// harnesses (tests/fuzz/) call exactly what MemberHooks calls without the
// services behind it.

#include "service/Directory.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <functional>
#include <hostsdk/Error.h>
#include <hostsdk/support/JsonPayload.h>
#include <set>
#include <sstream>
#include <string>
#include <typeinfo>

namespace ExternalContacts
{

namespace HookPayloads
{

/// A JSON integer as a signed 64-bit number; false above 2^63 - 1.
using HostSdk::JsonPayload::toInt64;

inline Poco::Int64 idIn(const Poco::JSON::Object::Ptr& payload, const std::string& key, bool required)
/// A positive integer member; 0 when absent (or null) and not required.
/// Throws HostSdk::Error(HOSTSDK_E_INVALID) otherwise.
{
	Poco::Dynamic::Var value = payload->get(key);
	if (value.isEmpty() && !required) return 0;
	Poco::Int64 id = 0;
	if (!value.isInteger() || !toInt64(value, id) || id <= 0)
		throw HostSdk::Error(HOSTSDK_E_INVALID, "member.has_left_org: " + key + " must be a positive id");
	return id;
}

inline Poco::JSON::Object::Ptr parse(const std::string& json, const std::string& hook)
/// The payload as a JSON object. Throws HostSdk::Error(HOSTSDK_E_INVALID)
/// for anything else.
{
	Poco::JSON::Object::Ptr payload;
	try
	{
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var parsed = parser.parse(json);
		if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) payload = parsed.extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
	}
	if (!payload) throw HostSdk::Error(HOSTSDK_E_INVALID, hook + ": the payload is not a JSON object");
	return payload;
}

struct MemberLeft
/// member.has_left_org {orgId, userId, byUserId?, successorId?, remoteAddr?}.
{
	Poco::Int64 orgId = 0;
	Poco::Int64 userId = 0;
	Poco::Int64 byUserId = 0;    /// 0 when the host did not say
	Poco::Int64 successorId = 0; /// 0 (absent or null): the hand-over rule decides
	std::string remoteAddr;      /// "" unless a string
};

inline MemberLeft memberLeft(const std::string& json)
{
	Poco::JSON::Object::Ptr payload = parse(json, "member.has_left_org");
	MemberLeft left;
	left.orgId = idIn(payload, "orgId", true);
	left.userId = idIn(payload, "userId", true);
	left.byUserId = idIn(payload, "byUserId", false);
	left.successorId = idIn(payload, "successorId", false);
	Poco::Dynamic::Var from = payload->get("remoteAddr");
	left.remoteAddr = from.isString() ? from.toString() : std::string();
	return left;
}

struct WillLeave
/// member.will_leave_org {orgId, userId, byUserId?, successorId?, dryRun,
/// preview:[…]}; payload is the whole object, for appending to preview.
{
	Poco::JSON::Object::Ptr payload;
	Poco::Int64 orgId = 0;
	Poco::Int64 userId = 0;
	Poco::Int64 successorId = 0; /// 0 (absent or null): the hand-over rule decides
	bool dryRun = false;
};

inline WillLeave willLeave(const std::string& json)
{
	WillLeave will;
	will.payload = parse(json, "member.will_leave_org");
	will.orgId = idIn(will.payload, "orgId", true);
	will.userId = idIn(will.payload, "userId", true);
	will.successorId = idIn(will.payload, "successorId", false);
	Poco::Dynamic::Var dryRun = will.payload->get("dryRun");
	will.dryRun = dryRun.type() == typeid(bool) && dryRun.extract<bool>();
	if (!will.payload->has("preview") || will.payload->isNull("preview"))
		will.payload->set("preview", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
	if (!will.payload->getArray("preview"))
		throw HostSdk::Error(HOSTSDK_E_INVALID, "member.will_leave_org: preview must be an array");
	return will;
}

struct ProfileChange
/// user.profile_has_changed {userId, displayName, title, email, mobile}.
{
	Poco::Int64 userId = 0;
	Directory::Profile profile; /// fields that are not strings are ""
};

inline ProfileChange profileChanged(const std::string& json)
{
	Poco::JSON::Object::Ptr payload = parse(json, "user.profile_has_changed");
	ProfileChange change;
	change.userId = idIn(payload, "userId", true);
	auto text = [&](const char* name)
	{
		Poco::Dynamic::Var v = payload->get(name);
		return v.isString() ? v.toString() : std::string();
	};
	change.profile.displayName = text("displayName");
	change.profile.title = text("title");
	change.profile.email = text("email");
	change.profile.mobile = text("mobile");
	return change;
}

using VisibleTo = std::function<std::set<Poco::Int64>(Poco::Int64 orgId, Poco::Int64 userId)>;

inline std::string keepVisible(const std::string& json, const VisibleTo& visibleTo)
/// directory.will_list_members {orgId, userId, items:[{id, …}]}: the
/// payload with only the items whose integer id is in visibleTo(orgId,
/// userId), compact JSON. Throws HostSdk::Error(HOSTSDK_E_INVALID) for a
/// payload without orgId, userId or an items array.
{
	Poco::JSON::Object::Ptr payload = parse(json, "directory.will_list_members");
	Poco::Int64 orgId = idIn(payload, "orgId", true);
	Poco::Int64 userId = idIn(payload, "userId", true);
	Poco::JSON::Array::Ptr items = payload->getArray("items");
	if (!items) throw HostSdk::Error(HOSTSDK_E_INVALID, "directory.will_list_members: items must be an array");
	std::set<Poco::Int64> visible = visibleTo(orgId, userId);
	Poco::JSON::Array::Ptr kept = new Poco::JSON::Array;
	for (std::size_t i = 0; i < items->size(); ++i)
	{
		Poco::JSON::Object::Ptr item = items->getObject(static_cast<unsigned>(i));
		if (!item) continue;
		Poco::Dynamic::Var id = item->get("id");
		Poco::Int64 value = 0;
		if (id.isInteger() && toInt64(id, value) && visible.count(value)) kept->add(item);
	}
	payload->set("items", kept);
	std::ostringstream out;
	payload->stringify(out);
	return out.str();
}

} // namespace HookPayloads

} // namespace ExternalContacts
