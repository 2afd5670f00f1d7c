#pragma once

#include "service/AccountService.h"
#include "service/HandOverService.h"
#include "service/OrgRequestService.h"
#include "service/TransferService.h"
#include <functional>
#include <hostsdk/HostApi.h>
#include <string>

namespace ExternalContacts
{

class MemberHooks
/// The host hooks about members the plugin answers: member.has_left_org
/// (HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, payload {orgId, userId, byUserId,
/// successorId, remoteAddr}) hands the leaver's contacts over
/// (HandOverService); member.will_leave_org
/// (HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG, payload {orgId, userId, byUserId,
/// successorId, dryRun, preview}) refuses a successor who may not receive
/// contacts and, on a dry run, appends what the hand-over would do;
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

	MemberHooks(HandOverService& handOver, Logger logger, AccountService* accounts = nullptr,
				OrgRequestService* orgRequests = nullptr, TransferService* transfers = nullptr);
	/// With accounts, the directory hook is registered too; with
	/// orgRequests, the profile hook.

	void registerWith(const HostSdk::HostApi& host);

	std::string willListMembers(const std::string& payloadJson);
	/// The payload with only the items the external user may see. Throws
	/// HostSdk::Error(HOSTSDK_E_INVALID) for a payload without orgId, userId
	/// or an items array.

	void profileChanged(const std::string& payloadJson);
	/// Linked contacts follow the person's profile. Throws
	/// HostSdk::Error(HOSTSDK_E_INVALID) without a positive userId.

	static constexpr std::size_t PREVIEW_ROWS_MAX = 100;

	std::string willLeave(const std::string& payloadJson);
	/// "" (nothing changed) unless dryRun; then the payload with one item
	/// appended to preview: {"plugin": "external-contacts", "label":
	/// {zh-CN, en}, "total", "kept", "rows": [{group (null: 未分组), count,
	/// receiverId, receiverName}] (at most PREVIEW_ROWS_MAX groups, then
	/// "rowsTruncated": true), "receivers": [{receiverId, receiverName,
	/// count}]} — receiverId null: the contacts stay with the leaver.
	/// Throws HostSdk::Error(HOSTSDK_E_DENIED) for a successor who is not
	/// another member (kind member) of the org, HOSTSDK_E_INVALID for a bad
	/// payload.

	void memberLeft(const std::string& payloadJson);
	/// Runs the hand-over for the payload and logs what moved (ids and
	/// counts only). Throws HostSdk::Error(HOSTSDK_E_INVALID) for a payload
	/// without positive orgId and userId; other failures propagate.

private:
	static hostsdk_status onHook(void* user, uint32_t hookId, const char* payloadJson, hostsdk_sink out,
								 hostsdk_sink err);

	HandOverService& _handOver;
	AccountService* _accounts;
	OrgRequestService* _orgRequests;
	TransferService* _transfers;
	Logger _logger;
};

} // namespace ExternalContacts
