#include "host/MemberHooks.h"

#include "host/HookPayloads.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <hostsdk/Error.h>
#include <set>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

MemberHooks::MemberHooks(HandOverService& handOver, Logger logger, AccountService* accounts,
						 OrgRequestService* orgRequests, TransferService* transfers) :
	_handOver(handOver),
	_accounts(accounts), _orgRequests(orgRequests), _transfers(transfers), _logger(std::move(logger))
{
}

void MemberHooks::registerWith(const HostSdk::HostApi& host)
{
	host.registerHook(HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, &MemberHooks::onHook, this);
	// Hosts before ABI 1.3 know no such hook (and refuse its registration).
	if (host.table()->abi_minor >= 3) host.registerHook(HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG, &MemberHooks::onHook, this);
	if (_accounts) host.registerHook(HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS, &MemberHooks::onHook, this);
	if (_orgRequests) host.registerHook(HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED, &MemberHooks::onHook, this);
}

std::string MemberHooks::willListMembers(const std::string& payloadJson)
{
	return HookPayloads::keepVisible(payloadJson, [this](Poco::Int64 orgId, Poco::Int64 userId)
									 { return _accounts->visibleTo(orgId, userId); });
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

std::string MemberHooks::willLeave(const std::string& payloadJson)
{
	HookPayloads::WillLeave will = HookPayloads::willLeave(payloadJson);
	if (will.successorId != 0 && !_handOver.mayReceive(will.orgId, will.userId, will.successorId))
		throw HostSdk::Error(HOSTSDK_E_DENIED, "external contacts can pass only to another member of the organization");
	if (!will.dryRun) return "";
	HandOverService::Preview preview = _handOver.preview(will.orgId, will.userId, will.successorId);
	auto receiver = [&](Poco::JSON::Object& o, Poco::Int64 id)
	{
		o.set("receiverId", id ? Poco::Dynamic::Var(id) : Poco::Dynamic::Var());
		auto name = preview.names.find(id);
		o.set("receiverName", name != preview.names.end() ? Poco::Dynamic::Var(name->second) : Poco::Dynamic::Var());
	};
	Poco::JSON::Array::Ptr rows = new Poco::JSON::Array;
	std::size_t total = 0;
	for (const HandOverService::PreviewRow& group : preview.groups)
	{
		total += group.count;
		if (rows->size() >= PREVIEW_ROWS_MAX) continue;
		Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
		row->set("group", group.group.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(group.group));
		row->set("count", static_cast<Poco::UInt64>(group.count));
		receiver(*row, group.receiverId);
		rows->add(row);
	}
	Poco::JSON::Array::Ptr receivers = new Poco::JSON::Array;
	for (const auto& [id, count] : preview.received)
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		receiver(*o, id);
		o->set("count", static_cast<Poco::UInt64>(count));
		receivers->add(o);
	}
	Poco::JSON::Object::Ptr label = new Poco::JSON::Object;
	label->set("zh-CN", "外部联系人");
	label->set("en", "External contacts");
	Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
	item->set("plugin", "external-contacts");
	item->set("label", label);
	item->set("total", static_cast<Poco::UInt64>(total));
	item->set("kept", static_cast<Poco::UInt64>(preview.kept));
	item->set("rows", rows);
	item->set("rowsTruncated", preview.groups.size() > rows->size());
	item->set("receivers", receivers);
	will.payload->getArray("preview")->add(item);
	std::ostringstream out;
	will.payload->stringify(out);
	return out.str();
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
	// Transfers from or to the leaver stop before the hand-over walks their
	// contacts, so none lands with them afterwards.
	std::size_t stopped = _transfers ? _transfers->memberLeft(orgId, userId) : 0;
	if (stopped > 0 && _logger)
		_logger(HOSTSDK_LOG_INFO, "hand-over: " + std::to_string(stopped) + " running transfers of member " +
									  std::to_string(userId) + " ended");
	HandOverService::Result result = _handOver.memberLeft(orgId, userId, byUserId, remoteAddr, left.successorId);
	if (!_logger) return;
	if (result.successorIgnored)
		_logger(HOSTSDK_LOG_WARNING, "hand-over: successor " + std::to_string(left.successorId) +
										 " is no member of org " + std::to_string(orgId) + "; the rule decided");
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
							  else if (hookId == HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG)
								  HostSdk::writeTo(out, hooks->willLeave(payload));
							  else if (hookId == HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS && hooks->_accounts)
								  HostSdk::writeTo(out, hooks->willListMembers(payload));
							  else if (hookId == HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED && hooks->_orgRequests)
								  hooks->profileChanged(payload);
						  });
}

} // namespace ExternalContacts
