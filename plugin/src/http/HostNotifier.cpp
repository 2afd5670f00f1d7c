#include "http/HostNotifier.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
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

} // namespace

HostNotifier::HostNotifier(const HostSdk::HostApi& host) : _host(host) {}

void HostNotifier::notify(const Notice& notice)
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
	std::ostringstream json;
	request.stringify(json);
	_host.notify(json.str());
}

} // namespace ExternalContacts
