#pragma once

#include "Exchange.h"
#include "HostContext.h"
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <optional>

namespace RefHost
{

class HostRequestHandler : public Poco::Net::HTTPRequestHandler
/// Every HTTP request of the reference host: the host API under /api/,
/// plugin routes under /api/plugins/<id>/ and on public mounts, the web
/// shell and static files. Errors answer the JSON error shape; nothing
/// is left unanswered and no stack trace leaves the process.
{
public:
	explicit HostRequestHandler(HostContext& context);

	void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
	struct Caller
	{
		SessionInfo session;
		User user;
		Membership membership;
	};

	void dispatch(Exchange& ex);
	std::optional<Caller> authenticate(Exchange& ex);
	Caller requireCaller(Exchange& ex, bool unsafe);
	void checkCsrf(Exchange& ex, const Caller& caller);

	void handleLogin(Exchange& ex);
	void handleDirectoryMembers(Exchange& ex, const Caller& caller);
	void handleActivation(Exchange& ex, bool checkOnly);
	void handleLogout(Exchange& ex);
	void handleMe(Exchange& ex, const Caller& caller);
	void handleSwitchOrg(Exchange& ex, Caller caller);
	void handlePersonal(Exchange& ex, Caller caller, const std::vector<std::string>& segs);
	void handleMenus(Exchange& ex, const Caller& caller);
	void handleNotifications(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs);
	void handleAdmin(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs);
	void handleAdminMenus(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs);
	void handleAdminMembers(Exchange& ex, const Caller& caller, const std::vector<std::string>& segs);
	/// 成员管理: the list, named permissions, the removal preview and the removal.
	Poco::JSON::Object::Ptr adminMemberJson(const Membership& m, const User& u, bool maintain);
	std::optional<Poco::Int64> successorOf(Exchange& ex, Poco::Int64 orgId, Poco::Int64 leaverId);
	/// The optional {"successorId": N} body of a removal (or of its
	/// preview), checked: an active member of kind member of the org
	/// who is not the leaver (422 naming successorId otherwise).
	Poco::JSON::Object::Ptr willLeave(Exchange& ex, const Caller& caller, Poco::Int64 userId,
									  const std::optional<Poco::Int64>& successorId, bool dryRun);
	/// Runs hook 2 (member.will_leave_org); the answer's payload, or 409
	/// with the message of the plugin that refused.
	bool externalMayUse(const Caller& caller, const std::string& pluginId);
	/// True when one of the plugin's main.nav items is open to this external caller (R7.2).
	bool handlePluginRoute(Exchange& ex, const std::string& pluginId, const std::string& subpath, bool publicMount);
	void callPlugin(Exchange& ex, const PluginManager::RouteCall& call, const std::optional<Caller>& caller,
					const std::string& subpath, const std::string& body);
	bool handleStatic(Exchange& ex);
	void recordRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
					   const std::string& requestId, Poco::Int64 elapsedMicroseconds);
	/// Metrics and the access line of one request: route pattern, never the path.
	static std::string nextRequestId();

	Poco::JSON::Object::Ptr meJson(const Caller& caller, const std::string& locale);
	static std::string localized(const Poco::Dynamic::Var& labels, const std::string& locale);

	HostContext& _ctx;
	std::string _route = "unmatched"; // the matched route's pattern, for metrics and logs
	Poco::Int64 _userId = 0;          // the authenticated caller, 0 when anonymous
};

class HostRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit HostRequestHandlerFactory(HostContext& context) : _ctx(context) {}

	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
	{
		return new HostRequestHandler(_ctx);
	}

private:
	HostContext& _ctx;
};

} // namespace RefHost
