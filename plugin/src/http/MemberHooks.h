#pragma once

#include "service/ApplicationService.h"
#include "service/HandOverService.h"
#include "service/OrgRequestService.h"
#include <functional>
#include <hostsdk/HostApi.h>
#include <string>

namespace ExternalContacts
{

class MemberHooks
/// The host hooks about members the plugin answers: member.has_left_org
/// (HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, payload {orgId, userId, byUserId,
/// remoteAddr}) hands the leaver's contacts over (HandOverService);
/// directory.will_list_members (HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS,
/// payload {orgId, userId, items}) keeps, for an external user, only the
/// members on their contact's visible-members list (R7.2);
/// user.profile_has_changed (HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED, payload
/// {userId, displayName, title, email, mobile}) makes the contacts linked to
/// that person follow (R5). Outlives its registration: the host calls it
/// until the plugin is deactivated.
{
public:
	using Logger = std::function<void(int level, const std::string& message)>;

	MemberHooks(HandOverService& handOver, Logger logger, ApplicationService* applications = nullptr,
				OrgRequestService* orgRequests = nullptr);
	/// With applications, the directory hook is registered too; with
	/// orgRequests, the profile hook.

	void registerWith(const HostSdk::HostApi& host);

	std::string willListMembers(const std::string& payloadJson);
	/// The payload with only the items the external user may see. Throws
	/// HostSdk::Error(HOSTSDK_E_INVALID) for a payload without orgId, userId
	/// or an items array.

	void profileChanged(const std::string& payloadJson);
	/// Linked contacts follow the person's profile. Throws
	/// HostSdk::Error(HOSTSDK_E_INVALID) without a positive userId.

	void memberLeft(const std::string& payloadJson);
	/// Runs the hand-over for the payload and logs what moved (ids and
	/// counts only). Throws HostSdk::Error(HOSTSDK_E_INVALID) for a payload
	/// without positive orgId and userId; other failures propagate.

private:
	static hostsdk_status onHook(void* user, uint32_t hookId, const char* payloadJson, hostsdk_sink out,
								 hostsdk_sink err);

	HandOverService& _handOver;
	ApplicationService* _applications;
	OrgRequestService* _orgRequests;
	Logger _logger;
};

} // namespace ExternalContacts
