// The C table's messages: cb_notify, cb_notify_resolve, cb_notify_with_resolve and cb_outbound_send.
#include "PluginHostSupport.h"

namespace RefHost
{

namespace HostTable
{

hostsdk_status cbNotify(void* ctx, const char* json, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 std::vector<Poco::Int64> ids;
					 try
					 {
						 ids = servicesOf(ctx).notifications->notify(slotOf(ctx).id, json ? json : "");
					 }
					 catch (const Poco::InvalidArgumentException& e)
					 {
						 throw Error(HOSTSDK_E_INVALID, e.displayText());
					 }
					 Poco::JSON::Object result;
					 Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
					 for (auto id : ids)
						 arr->add(id);
					 result.set("ids", arr);
					 writeJson(out, result);
				 });
}

hostsdk_status cbNotifyResolve(void* ctx, const char* groupKey, const char* outcomeJson, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 parseObject(outcomeJson);
					 servicesOf(ctx).notifications->resolve(slotOf(ctx).id, groupKey ? groupKey : "", outcomeJson);
				 });
}

hostsdk_status cbNotifyWithResolve(void* ctx, const char* groupKey, const char* outcomeJson, const char* json,
								   hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 parseObject(outcomeJson);
					 NotificationCenter::Resolved done;
					 try
					 {
						 done = servicesOf(ctx).notifications->notifyWithResolve(
							 slotOf(ctx).id, groupKey ? groupKey : "", outcomeJson, json ? json : "");
					 }
					 catch (const Poco::InvalidArgumentException& e)
					 {
						 throw Error(HOSTSDK_E_INVALID, e.displayText());
					 }
					 Poco::JSON::Object result;
					 Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
					 for (auto id : done.ids)
						 arr->add(id);
					 result.set("ids", arr);
					 result.set("resolved", done.resolved);
					 writeJson(out, result);
				 });
}

hostsdk_status cbOutbound(void* ctx, const char* json, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 try
					 {
						 servicesOf(ctx).notifications->enqueueOutbound(slotOf(ctx).id, json ? json : "");
					 }
					 catch (const Poco::InvalidArgumentException& e)
					 {
						 throw Error(HOSTSDK_E_INVALID, e.displayText());
					 }
				 });
}

} // namespace HostTable

} // namespace RefHost
