#include "host/HostDirectory.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <set>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

Poco::JSON::Object::Ptr parseObject(const std::string& json, const char* what)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(json);
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
		throw HostSdk::Error(HOSTSDK_E_INTERNAL, std::string("the host answered ") + what + " with no JSON object");
	return parsed.extract<Poco::JSON::Object::Ptr>();
}

} // namespace

HostDirectory::HostDirectory(const HostSdk::HostApi& host) : _host(host) {}

std::map<Poco::Int64, std::string> HostDirectory::displayNames(const std::vector<Poco::Int64>& userIds)
{
	std::map<Poco::Int64, std::string> names;
	std::set<Poco::Int64> unique(userIds.begin(), userIds.end());
	// users.names (ABI 1.4) answers the names alone; an older host has users.get.
	const bool namesOnly = _host.table()->abi_minor >= 4;
	const char* op = namesOnly ? "users.names" : "users.get";
	auto next = unique.begin();
	while (next != unique.end())
	{
		// Both take at most USERS_GET_MAX ids (docs/HOST-SDK.md).
		std::string request = "{\"ids\":[";
		for (std::size_t n = 0; next != unique.end() && n < USERS_GET_MAX; ++next, ++n)
		{
			if (n) request += ',';
			request += std::to_string(*next);
		}
		request += "]}";
		Poco::JSON::Object::Ptr answer = parseObject(_host.directory(op, request), op);
		if (namesOnly)
		{
			Poco::JSON::Object::Ptr found = answer->getObject("names");
			if (!found) continue;
			for (const auto& [id, name] : *found)
			{
				Poco::Int64 userId = 0;
				if (!Poco::NumberParser::tryParse64(id, userId) || !name.isString()) continue;
				names[userId] = name.extract<std::string>();
			}
			continue;
		}
		Poco::JSON::Array::Ptr items = answer->getArray("items");
		if (!items) continue;
		for (std::size_t i = 0; i < items->size(); ++i)
		{
			Poco::JSON::Object::Ptr user = items->getObject(static_cast<unsigned>(i));
			if (!user || !user->has("id")) continue;
			names[user->getValue<Poco::Int64>("id")] = user->optValue<std::string>("displayName", "");
		}
	}
	return names;
}

int HostDirectory::orgDefaultSecurityLevel(Poco::Int64 orgId)
{
	Poco::JSON::Object request;
	request.set("id", orgId);
	std::ostringstream json;
	request.stringify(json);
	Poco::JSON::Object::Ptr org = parseObject(_host.directory("org.get", json.str()), "org.get");
	return org->optValue<int>("defaultSecurityLevel", 0);
}

std::string HostDirectory::orgName(Poco::Int64 orgId)
{
	Poco::JSON::Object request;
	request.set("id", orgId);
	std::ostringstream json;
	request.stringify(json);
	try
	{
		Poco::JSON::Object::Ptr org = parseObject(_host.directory("org.get", json.str()), "org.get");
		return org->optValue<std::string>("name", "");
	}
	catch (const HostSdk::Error& e)
	{
		if (e.status() == HOSTSDK_E_NOT_FOUND) return "";
		throw;
	}
}

bool HostDirectory::hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission)
{
	return _host.hasPermission(userId, orgId, permission);
}

std::set<Poco::Int64> HostDirectory::membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds)
{
	std::set<Poco::Int64> members;
	for (Poco::Int64 userId : std::set<Poco::Int64>(userIds.begin(), userIds.end()))
	{
		Poco::JSON::Object request;
		request.set("orgId", orgId);
		request.set("userId", userId);
		std::ostringstream json;
		request.stringify(json);
		Poco::JSON::Object::Ptr answer =
			parseObject(_host.directory("member.is_member", json.str()), "member.is_member");
		if (answer->optValue<bool>("member", false) && answer->optValue<std::string>("kind", "") == "member")
			members.insert(userId);
	}
	return members;
}

std::vector<Poco::Int64> HostDirectory::holdersPage(Poco::Int64 orgId, const std::string& permission,
													bool includeAdmins, Poco::Int64& afterUserId, int limit)
{
	Poco::JSON::Object request;
	request.set("orgId", orgId);
	request.set("permission", permission);
	request.set("includeAdmins", includeAdmins);
	request.set("afterUserId", afterUserId);
	request.set("limit", limit);
	std::ostringstream json;
	request.stringify(json);
	Poco::JSON::Object::Ptr answer =
		parseObject(_host.directory("members.with_permission", json.str()), "members.with_permission");
	std::vector<Poco::Int64> ids;
	Poco::JSON::Array::Ptr items = answer->getArray("items");
	for (std::size_t i = 0; items && i < items->size(); ++i)
	{
		Poco::JSON::Object::Ptr user = items->getObject(static_cast<unsigned>(i));
		if (user && user->has("id")) ids.push_back(user->getValue<Poco::Int64>("id"));
	}
	afterUserId = answer->optValue<Poco::Int64>("nextAfterUserId", 0);
	return ids;
}

Poco::Int64 HostDirectory::firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
										 Poco::Int64 except)
{
	Poco::Int64 after = 0;
	for (Poco::Int64 id : holdersPage(orgId, permission, includeAdmins, after, except > 0 ? 2 : 1))
		if (id != except) return id;
	return 0;
}

std::vector<Poco::Int64> HostDirectory::holdersOf(Poco::Int64 orgId, const std::string& permission)
{
	std::vector<Poco::Int64> holders;
	Poco::Int64 after = 0;
	do
	{
		Poco::Int64 before = after;
		std::vector<Poco::Int64> page = holdersPage(orgId, permission, true, after, 100);
		holders.insert(holders.end(), page.begin(), page.end());
		// A host whose next page would not move on (an empty page, a cursor
		// that does not grow) would keep this loop going for ever.
		if (page.empty() || after <= before) break;
	} while (after != 0 && holders.size() < HOLDERS_MAX);
	if (holders.size() > HOLDERS_MAX) holders.resize(HOLDERS_MAX);
	return holders;
}

std::vector<Directory::MemberMatch> HostDirectory::searchMembers(Poco::Int64 orgId, const std::string& query,
																 std::size_t limit)
{
	Poco::JSON::Object request;
	request.set("orgId", orgId);
	request.set("q", query);
	request.set("limit", static_cast<int>(limit));
	std::ostringstream json;
	request.stringify(json);
	Poco::JSON::Object::Ptr answer = parseObject(_host.directory("members.search", json.str()), "members.search");
	std::vector<MemberMatch> matches;
	Poco::JSON::Array::Ptr items = answer->getArray("items");
	if (!items) return matches;
	for (std::size_t i = 0; i < items->size(); ++i)
	{
		Poco::JSON::Object::Ptr user = items->getObject(static_cast<unsigned>(i));
		if (!user || !user->has("id")) continue;
		matches.push_back({user->getValue<Poco::Int64>("id"), user->optValue<std::string>("displayName", ""),
						   user->optValue<std::string>("login", "")});
	}
	return matches;
}

Poco::Int64 HostDirectory::nowMs()
{
	return _host.nowMs();
}

Directory::Found HostDirectory::findMembers(const std::string& orgName, const std::string& query, std::size_t limit)
{
	Poco::JSON::Object request;
	request.set("orgName", orgName);
	request.set("q", query);
	request.set("limit", static_cast<int>(limit));
	std::ostringstream json;
	request.stringify(json);
	Poco::JSON::Object::Ptr answer = parseObject(_host.directory("members.find", json.str()), "members.find");
	Found found;
	if (Poco::JSON::Object::Ptr org = answer->getObject("org"))
	{
		found.orgId = org->optValue<Poco::Int64>("id", 0);
		found.orgName = org->optValue<std::string>("name", "");
	}
	Poco::JSON::Array::Ptr items = answer->getArray("items");
	for (std::size_t i = 0; items && i < items->size(); ++i)
	{
		Poco::JSON::Object::Ptr item = items->getObject(static_cast<unsigned>(i));
		if (!item || !item->has("userId")) continue;
		FoundMember m;
		m.userId = item->getValue<Poco::Int64>("userId");
		m.displayName = item->optValue<std::string>("displayName", "");
		m.title = item->optValue<std::string>("title", "");
		m.mobileMasked = item->optValue<std::string>("mobileMasked", "");
		m.emailMasked = item->optValue<std::string>("emailMasked", "");
		found.items.push_back(m);
	}
	return found;
}

std::optional<Directory::Profile> HostDirectory::profileOf(Poco::Int64 userId)
{
	Poco::JSON::Object request;
	request.set("id", userId);
	std::ostringstream json;
	request.stringify(json);
	try
	{
		Poco::JSON::Object::Ptr user = parseObject(_host.directory("user.get", json.str()), "user.get");
		Profile p;
		p.displayName = user->optValue<std::string>("displayName", "");
		p.title = user->optValue<std::string>("title", "");
		p.email = user->optValue<std::string>("email", "");
		p.mobile = user->optValue<std::string>("mobile", "");
		return p;
	}
	catch (const HostSdk::Error& e)
	{
		if (e.status() == HOSTSDK_E_NOT_FOUND) return std::nullopt;
		throw;
	}
}

} // namespace ExternalContacts
