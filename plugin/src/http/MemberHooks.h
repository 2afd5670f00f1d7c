#pragma once

#include "service/HandOverService.h"
#include <functional>
#include <hostsdk/HostApi.h>
#include <string>

namespace ExternalContacts
{

class MemberHooks
/// The host hooks about members the plugin answers: member.has_left_org
/// (HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, payload {orgId, userId, byUserId,
/// remoteAddr})
/// hands the leaver's contacts over (HandOverService). Outlives its
/// registration: the host calls it until the plugin is deactivated.
{
public:
	using Logger = std::function<void(int level, const std::string& message)>;

	MemberHooks(HandOverService& handOver, Logger logger);

	void registerWith(const HostSdk::HostApi& host);

	void memberLeft(const std::string& payloadJson);
	/// Runs the hand-over for the payload and logs what moved (ids and
	/// counts only). Throws HostSdk::Error(HOSTSDK_E_INVALID) for a payload
	/// without positive orgId and userId; other failures propagate.

private:
	static hostsdk_status onHook(void* user, uint32_t hookId, const char* payloadJson, hostsdk_sink out,
								 hostsdk_sink err);

	HandOverService& _handOver;
	Logger _logger;
};

} // namespace ExternalContacts
