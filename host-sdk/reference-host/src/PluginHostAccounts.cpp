// The C table's external accounts: cb_account (create_pending, reset,
// set_security_level, …).
#include "PluginHostSupport.h"

namespace RefHost
{

namespace HostTable
{

void writeLink(const ExternalAccounts::Link& link, Poco::JSON::Object& result)
{
	Poco::JSON::Object::Ptr activation = new Poco::JSON::Object;
	activation->set("token", link.token);
	activation->set("path", link.path);
	activation->set("url", link.url);
	activation->set("expiresAt", link.expiresAt);
	result.set("activation", activation);
}

// account.create_pending {orgId, displayName, loginHint?, securityLevel?, ttlSeconds?}
//   → {userId, login, status:"pending", activation:{token, path, url, expiresAt}}
// account.reset {userId, ttlSeconds?} → {userId, status:"pending", activation:{…}}
// account.set_security_level {orgId, userId, securityLevel} → {orgId, userId, securityLevel}
void accountOperation(ExternalAccounts& accounts, const std::string& operation, const Poco::JSON::Object::Ptr& req,
					  Poco::JSON::Object& result)
{
	try
	{
		if (operation == "account.create_pending")
		{
			if (!req->has("displayName") || !req->get("displayName").isString())
				throw Error(HOSTSDK_E_INVALID, "displayName must be a string");
			std::string hint;
			if (req->has("loginHint"))
			{
				if (!req->get("loginHint").isString()) throw Error(HOSTSDK_E_INVALID, "loginHint must be a string");
				hint = req->getValue<std::string>("loginHint");
			}
			auto created =
				accounts.createPending(requireId(req, "orgId"), req->getValue<std::string>("displayName"), hint,
									   optionalInt(req, "securityLevel", 0, -999, 0),
									   optionalInt(req, "ttlSeconds", 0, 0, ExternalAccounts::TTL_MAX_SECONDS));
			result.set("userId", created.userId);
			result.set("login", created.login);
			result.set("status", "pending");
			writeLink(created.link, result);
		}
		else if (operation == "account.reset")
		{
			Poco::Int64 userId = requireId(req, "userId");
			writeLink(accounts.reset(userId, optionalInt(req, "ttlSeconds", 0, 0, ExternalAccounts::TTL_MAX_SECONDS)),
					  result);
			result.set("userId", userId);
			result.set("status", "pending");
		}
		else
		{
			if (!req->has("securityLevel")) throw Error(HOSTSDK_E_INVALID, "securityLevel is required");
			Poco::Int64 orgId = requireId(req, "orgId");
			Poco::Int64 userId = requireId(req, "userId");
			int level = optionalInt(req, "securityLevel", 0, -999, 0);
			accounts.setSecurityLevel(orgId, userId, level);
			result.set("orgId", orgId);
			result.set("userId", userId);
			result.set("securityLevel", level);
		}
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw Error(HOSTSDK_E_INVALID, e.message());
	}
	catch (const Poco::NotFoundException& e)
	{
		throw Error(HOSTSDK_E_NOT_FOUND, e.message());
	}
	catch (const Poco::NoPermissionException& e)
	{
		throw Error(HOSTSDK_E_DENIED, e.message());
	}
	catch (const Poco::IllegalStateException& e)
	{
		throw Error(HOSTSDK_E_CONFLICT, e.message());
	}
	catch (const Poco::ExistsException& e)
	{
		throw Error(HOSTSDK_E_CONFLICT, e.message());
	}
}

hostsdk_status cbAccount(void* ctx, const char* op, const char* requestJson, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 const auto& services = servicesOf(ctx);
					 Directory& dir = *services.directory;
					 const std::string operation = op ? op : "";
					 Poco::JSON::Object::Ptr req = parseObject(requestJson);
					 Poco::JSON::Object result;
					 if (operation == "account.get")
					 {
						 auto u = dir.userById(requireId(req, "userId"));
						 if (!u) throw Error(HOSTSDK_E_NOT_FOUND, "no such user");
						 writeJson(out, *userJson(*u));
						 return;
					 }
					 if (operation == "account.disable" || operation == "account.enable")
					 {
						 Poco::Int64 userId = requireId(req, "userId");
						 if (!dir.userById(userId)) throw Error(HOSTSDK_E_NOT_FOUND, "no such user");
						 // Plugins manage external accounts only: a user who is a member of
						 // any org (an admin, a colleague) is out of their reach.
						 std::vector<Membership> memberships = dir.membershipsOfUser(userId);
						 if (memberships.empty() ||
							 std::any_of(memberships.begin(), memberships.end(),
										 [](const Membership& m) { return m.kind != "external"; }))
							 throw Error(HOSTSDK_E_DENIED,
										 "only accounts of external users can be disabled or enabled by a plugin");
						 bool disable = operation == "account.disable";
						 // An account that never chose a password goes back to waiting for activation.
						 std::string status = disable                                      ? "disabled"
											  : dir.userById(userId)->passwordHash.empty() ? "pending"
																						   : "active";
						 dir.setUserStatus(userId, status);
						 if (disable)
						 {
							 int ended = services.sessions->endSessionsOfUser(userId);
							 result.set("sessionsEnded", ended);
							 Poco::JSON::Object payload;
							 payload.set("userId", userId);
							 std::ostringstream s;
							 payload.stringify(s);
							 slotOf(ctx).manager->fireHook(HOSTSDK_HOOK_USER_HAS_BEEN_DISABLED, s.str());
						 }
						 result.set("status", status);
					 }
					 else if (operation == "membership.add_external")
					 {
						 Poco::Int64 orgId = requireId(req, "orgId");
						 Poco::Int64 userId = requireId(req, "userId");
						 int level = membershipLevel(req);
						 if (!dir.orgById(orgId) || !dir.userById(userId))
							 throw Error(HOSTSDK_E_NOT_FOUND, "no such org or user");
						 if (dir.membership(orgId, userId))
							 throw Error(HOSTSDK_E_CONFLICT, "already a member of this org");
						 dir.addMembership(orgId, userId, "external", false, level);
						 result.set("orgId", orgId);
						 result.set("userId", userId);
						 result.set("kind", "external");
					 }
					 else if (operation == "membership.remove_external")
					 {
						 Poco::Int64 orgId = requireId(req, "orgId");
						 Poco::Int64 userId = requireId(req, "userId");
						 std::optional<Membership> m = dir.membership(orgId, userId);
						 if (m && m->kind != "external")
							 throw Error(HOSTSDK_E_DENIED, "a plugin removes external memberships only");
						 // Conditional on the kind in one statement, so a membership changed
						 // meanwhile is never removed as an external one.
						 if (!m || !dir.removeExternalMembership(orgId, userId))
							 throw Error(HOSTSDK_E_NOT_FOUND, "the user is no external member of this org");
						 result.set("removed", true);
					 }
					 else if (operation == "account.create_pending" || operation == "account.reset" ||
							  operation == "account.set_security_level")
					 {
						 if (!services.accounts)
							 throw Error(HOSTSDK_E_UNSUPPORTED, "this host does not manage external accounts");
						 accountOperation(*services.accounts, operation, req, result);
					 }
					 else
					 {
						 throw Error(HOSTSDK_E_UNSUPPORTED, "unknown account operation '" + operation + "'");
					 }
					 writeJson(out, result);
				 });
}

} // namespace HostTable

} // namespace RefHost
