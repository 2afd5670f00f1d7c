// The C table's messages: cb_notify, cb_notify_resolve, cb_notify_with_resolve and cb_outbound_send.
#include "PluginHostSupport.h"

namespace RefHost
{

namespace HostTable
{

namespace
{

template <typename F> auto invalidAsError(F&& f) -> decltype(f())
// The notification centre's refusals of a payload (InvalidArgumentException)
// as HOSTSDK_E_INVALID with its message.
{
	try
	{
		return f();
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw Error(HOSTSDK_E_INVALID, e.displayText());
	}
}

Poco::JSON::Object idsOf(const std::vector<Poco::Int64>& ids)
// {"ids":[..]}: the notifications cb_notify stored, one per recipient.
{
	Poco::JSON::Object result;
	Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
	for (auto id : ids)
		arr->add(id);
	result.set("ids", arr);
	return result;
}

} // namespace

hostsdk_status cbNotify(void* ctx, const char* json, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 writeJson(
						 out,
						 idsOf(invalidAsError(
							 [&] { return servicesOf(ctx).notifications->notify(slotOf(ctx).id, json ? json : ""); })));
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
					 NotificationCenter::Resolved done = invalidAsError(
						 [&]
						 {
							 return servicesOf(ctx).notifications->notifyWithResolve(
								 slotOf(ctx).id, groupKey ? groupKey : "", outcomeJson, json ? json : "");
						 });
					 Poco::JSON::Object result = idsOf(done.ids);
					 result.set("resolved", done.resolved);
					 writeJson(out, result);
				 });
}

hostsdk_status cbOutbound(void* ctx, const char* json, hostsdk_sink err)
{
	return guard(
		err, [&]
		{ invalidAsError([&] { servicesOf(ctx).notifications->enqueueOutbound(slotOf(ctx).id, json ? json : ""); }); });
}

} // namespace HostTable

} // namespace RefHost
