#include "http/MemberHooks.h"

#include "http/HookPayloads.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <hostsdk/Error.h>
#include <set>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

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
	return HookPayloads::keepVisible(payloadJson, [this](Poco::Int64 orgId, Poco::Int64 userId)
									 { return _applications->visibleTo(orgId, userId); });
}

void MemberHooks::profileChanged(const std::string& payloadJson)
{
	HookPayloads::ProfileChange change = HookPayloads::profileChanged(payloadJson);
	Poco::Int64 userId = change.userId;
	const Directory::Profile& profile = change.profile;
	std::size_t changed = _orgRequests->profileChanged(userId, profile);
	if (changed && _logger)
		_logger(HOSTSDK_LOG_INFO, std::to_string(changed) + " linked contact(s) of user " + std::to_string(userId) +
									  " follow their profile");
}

void MemberHooks::memberLeft(const std::string& payloadJson)
{
	HookPayloads::MemberLeft left = HookPayloads::memberLeft(payloadJson);
	Poco::Int64 orgId = left.orgId;
	Poco::Int64 userId = left.userId;
	Poco::Int64 byUserId = left.byUserId;
	const std::string& remoteAddr = left.remoteAddr;
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
