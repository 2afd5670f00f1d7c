#include "host/HostNotifier.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sstream>

namespace ExternalContacts
{

namespace
{

Poco::JSON::Object::Ptr localized(const Notifier::Text& text)
{
	Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
	object->set("zh-CN", text.zhCN);
	object->set("en", text.en);
	return object;
}

std::string toJson(const Notifier::Notice& notice)
{
	Poco::JSON::Object request;
	request.set("orgId", notice.orgId);
	Poco::JSON::Array::Ptr users = new Poco::JSON::Array;
	for (Poco::Int64 id : notice.userIds)
		users->add(id);
	request.set("userIds", users);
	request.set("type", notice.type);
	request.set("title", localized(notice.title));
	request.set("body", localized(notice.body));
	if (!notice.groupKey.empty()) request.set("groupKey", notice.groupKey);
	if (!notice.actions.empty())
	{
		Poco::JSON::Array::Ptr actions = new Poco::JSON::Array;
		for (const Notifier::Action& a : notice.actions)
		{
			Poco::JSON::Object::Ptr action = new Poco::JSON::Object;
			action->set("id", a.id);
			action->set("label", localized(a.label));
			action->set("method", a.method);
			action->set("path", a.path);
			Poco::JSON::Parser parser;
			action->set("body", parser.parse(a.bodyJson));
			actions->add(action);
		}
		request.set("actions", actions);
	}
	std::ostringstream json;
	request.stringify(json);
	return json.str();
}

} // namespace

HostNotifier::HostNotifier(const HostSdk::HostApi& host) : _host(host) {}

void HostNotifier::notify(const Notice& notice)
{
	_host.notify(toJson(notice));
}

void HostNotifier::resolve(const std::string& groupKey, const std::string& outcomeJson)
{
	_host.resolveNotifications(groupKey, outcomeJson);
}

void HostNotifier::notifyWithResolve(const std::string& groupKey, const std::string& outcomeJson, const Notice& notice)
{
	_host.notifyWithResolve(groupKey, outcomeJson, toJson(notice));
}

} // namespace ExternalContacts
