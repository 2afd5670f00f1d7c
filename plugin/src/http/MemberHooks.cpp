#include "http/MemberHooks.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <hostsdk/Error.h>
#include <set>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

Poco::Int64 idIn(const Poco::JSON::Object::Ptr& payload, const std::string& key, bool required)
{
	Poco::Dynamic::Var value = payload->get(key);
	if (value.isEmpty() && !required) return 0;
	if (!value.isInteger() || value.convert<Poco::Int64>() <= 0)
		throw HostSdk::Error(HOSTSDK_E_INVALID, "member.has_left_org: " + key + " must be a positive id");
	return value.convert<Poco::Int64>();
}

Poco::JSON::Object::Ptr parsePayload(const std::string& json, const std::string& hook)
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

} // namespace

MemberHooks::MemberHooks(HandOverService& handOver, Logger logger, ApplicationService* applications,
						 OrgRequestService* orgRequests) :
	_handOver(handOver), _applications(applications), _orgRequests(orgRequests), _logger(std::move(logger))
{
}

void MemberHooks::registerWith(const HostSdk::HostApi& host)
{
	host.registerHook(HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, &MemberHooks::onHook, this);
	if (_applications) host.registerHook(HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS, &MemberHooks::onHook, this);
	if (_orgRequests) host.registerHook(HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED, &MemberHooks::onHook, this);
}

std::string MemberHooks::willListMembers(const std::string& payloadJson)
{
	Poco::JSON::Object::Ptr payload = parsePayload(payloadJson, "directory.will_list_members");
	Poco::Int64 orgId = idIn(payload, "orgId", true);
	Poco::Int64 userId = idIn(payload, "userId", true);
	Poco::JSON::Array::Ptr items = payload->getArray("items");
	if (!items) throw HostSdk::Error(HOSTSDK_E_INVALID, "directory.will_list_members: items must be an array");
	std::set<Poco::Int64> visible = _applications->visibleTo(orgId, userId);
	Poco::JSON::Array::Ptr kept = new Poco::JSON::Array;
	for (std::size_t i = 0; i < items->size(); ++i)
	{
		Poco::JSON::Object::Ptr item = items->getObject(static_cast<unsigned>(i));
		if (!item) continue;
		Poco::Dynamic::Var id = item->get("id");
		if (id.isInteger() && visible.count(id.convert<Poco::Int64>())) kept->add(item);
	}
	payload->set("items", kept);
	std::ostringstream out;
	payload->stringify(out);
	return out.str();
}

void MemberHooks::profileChanged(const std::string& payloadJson)
{
	Poco::JSON::Object::Ptr payload = parsePayload(payloadJson, "user.profile_has_changed");
	Poco::Int64 userId = idIn(payload, "userId", true);
	auto text = [&](const char* name)
	{
		Poco::Dynamic::Var v = payload->get(name);
		return v.isString() ? v.toString() : std::string();
	};
	Directory::Profile profile;
	profile.displayName = text("displayName");
	profile.title = text("title");
	profile.email = text("email");
	profile.mobile = text("mobile");
	std::size_t changed = _orgRequests->profileChanged(userId, profile);
	if (changed && _logger)
		_logger(HOSTSDK_LOG_INFO, std::to_string(changed) + " linked contact(s) of user " + std::to_string(userId) +
									  " follow their profile");
}

void MemberHooks::memberLeft(const std::string& payloadJson)
{
	Poco::JSON::Object::Ptr payload = parsePayload(payloadJson, "member.has_left_org");
	Poco::Int64 orgId = idIn(payload, "orgId", true);
	Poco::Int64 userId = idIn(payload, "userId", true);
	Poco::Int64 byUserId = idIn(payload, "byUserId", false);
	Poco::Dynamic::Var from = payload->get("remoteAddr");
	std::string remoteAddr = from.isString() ? from.toString() : std::string();
	// A person of another org who was an external user here is no longer
	// linked to their contact.
	if (_orgRequests) _orgRequests->personLeft(orgId, userId);
	HandOverService::Result result = _handOver.memberLeft(orgId, userId, byUserId, remoteAddr);
	if (!_logger) return;
	_logger(HOSTSDK_LOG_INFO, "hand-over: member " + std::to_string(userId) + " left org " + std::to_string(orgId) +
								  ": " + std::to_string(result.handedOver) + " contacts to " +
								  std::to_string(result.received.size()) + " holders, " + std::to_string(result.kept) +
								  " kept (no one to take them), " + std::to_string(result.unshared) +
								  " shares removed, " + std::to_string(result.groupsLeft) + " groups left");
	if (result.kept > 0)
		_logger(HOSTSDK_LOG_WARNING, "hand-over: org " + std::to_string(orgId) +
										 " has no admin or maintain-holder to take " + std::to_string(result.kept) +
										 " contacts of member " + std::to_string(userId));
	if (!result.notifyError.empty())
		_logger(HOSTSDK_LOG_WARNING, "hand-over: notifying the new holders failed: " + result.notifyError);
}

hostsdk_status MemberHooks::onHook(void* user, uint32_t hookId, const char* payloadJson, hostsdk_sink out,
								   hostsdk_sink err)
{
	return HostSdk::guard(err,
						  [&]
						  {
							  MemberHooks* hooks = static_cast<MemberHooks*>(user);
							  std::string payload = payloadJson ? payloadJson : "";
							  if (hookId == HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG)
								  hooks->memberLeft(payload);
							  else if (hookId == HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS && hooks->_applications)
								  HostSdk::writeTo(out, hooks->willListMembers(payload));
							  else if (hookId == HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED && hooks->_orgRequests)
								  hooks->profileChanged(payload);
						  });
}

} // namespace ExternalContacts
