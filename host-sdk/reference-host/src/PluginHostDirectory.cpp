// The C table's directory: cb_directory (users, memberships, member pages,
// members.find) and cb_permission_check.
#include "PluginHostSupport.h"

#include <Poco/JSONString.h>

namespace RefHost
{

namespace HostTable
{

// {items: [user + kind + isAdmin], nextAfterUserId: 0 when last page}.
void writeMemberPage(const Directory::MemberPage& page, Poco::JSON::Object& result)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const auto& [m, u] : page.items)
	{
		Poco::JSON::Object::Ptr o = userJson(u);
		o->set("kind", m.kind);
		o->set("isAdmin", m.isAdmin);
		items->add(o);
	}
	result.set("items", items);
	result.set("nextAfterUserId", page.nextAfterId);
}

// members.find {orgName, q, limit?} → {org: {id, name} | null, items: [{userId,
// displayName, title, mobileMasked, emailMasked}]}: people of another org
// (R5.1), both fields required so that this never lists a directory.
void findMembers(Directory& dir, const Poco::JSON::Object::Ptr& req, Poco::JSON::Object& result)
{
	std::string orgName = requireText(req, "orgName");
	std::string q = requireText(req, "q");
	int limit = optionalInt(req, "limit", 10, 1, 20);
	Directory::FindResult found;
	try
	{
		found = dir.findMembers(orgName, q, limit);
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw Error(HOSTSDK_E_INVALID, e.message());
	}
	if (found.org)
	{
		Poco::JSON::Object::Ptr org = new Poco::JSON::Object;
		org->set("id", found.org->id);
		org->set("name", found.org->name);
		result.set("org", org);
	}
	else
	{
		result.set("org", Poco::Dynamic::Var());
	}
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const Directory::FoundMember& m : found.items)
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("userId", m.userId);
		o->set("displayName", m.displayName);
		o->set("title", m.title);
		o->set("mobileMasked", m.mobileMasked);
		o->set("emailMasked", m.emailMasked);
		items->add(o);
	}
	result.set("items", items);
}

hostsdk_status cbDirectory(void* ctx, const char* op, const char* requestJson, hostsdk_sink out, hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 Directory& dir = *servicesOf(ctx).directory;
					 const std::string operation = op ? op : "";
					 Poco::JSON::Object::Ptr req = parseObject(requestJson);
					 Poco::JSON::Object result;
					 if (operation == "user.get")
					 {
						 auto u = dir.userById(requireId(req, "id"));
						 if (!u) throw Error(HOSTSDK_E_NOT_FOUND, "no such user");
						 writeJson(out, *userJson(*u));
						 return;
					 }
					 if (operation == "users.names")
					 {
						 // The lightest answer of all: the page of a list names its
						 // adders with it on every request.
						 std::string json = "{\"names\":{";
						 bool first = true;
						 for (const auto& [id, name] : dir.displayNamesByIds(idList(req, "ids", 1000)))
						 {
							 json += first ? "\"" : ",\"";
							 json += std::to_string(id);
							 json += "\":";
							 json += Poco::toJSON(name, Poco::JSON_WRAP_STRINGS);
							 first = false;
						 }
						 json += "}}";
						 writeTo(out, json);
						 return;
					 }
					 if (operation == "users.get")
					 {
						 std::vector<Poco::Int64> v = idList(req, "ids", 1000);
						 Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
						 for (const User& u : dir.usersByIds(v))
							 items->add(userJson(u));
						 result.set("items", items);
					 }
					 else if (operation == "org.get")
					 {
						 auto o = dir.orgById(requireId(req, "id"));
						 if (!o) throw Error(HOSTSDK_E_NOT_FOUND, "no such organization");
						 result.set("id", o->id);
						 result.set("name", o->name);
						 result.set("defaultSecurityLevel", o->defaultSecurityLevel);
					 }
					 else if (operation == "memberships.of_user")
					 {
						 Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
						 for (const Membership& m : dir.membershipsOfUser(requireId(req, "userId")))
							 items->add(membershipJson(m));
						 result.set("items", items);
					 }
					 else if (operation == "member.is_member")
					 {
						 auto m = dir.membership(requireId(req, "orgId"), requireId(req, "userId"));
						 result.set("member", m.has_value());
						 result.set("kind", m ? m->kind : std::string());
					 }
					 else if (operation == "members.of_org")
					 {
						 auto page = dir.membersOfOrg(requireId(req, "orgId"), afterUserId(req), pageLimit(req));
						 writeMemberPage(page, result);
					 }
					 else if (operation == "members.with_permission")
					 {
						 std::string permission = permissionName(req);
						 bool includeAdmins = optionalFlag(req, "includeAdmins", true);
						 auto page = dir.holdersOfPermission(requireId(req, "orgId"), permission, includeAdmins,
															 afterUserId(req), pageLimit(req));
						 writeMemberPage(page, result);
					 }
					 else if (operation == "members.search")
					 {
						 if (!req->has("q") || !req->get("q").isString())
							 throw Error(HOSTSDK_E_INVALID, "q must be a string");
						 try
						 {
							 auto page = dir.searchMembers(requireId(req, "orgId"), req->getValue<std::string>("q"),
														   afterUserId(req), pageLimit(req));
							 writeMemberPage(page, result);
						 }
						 catch (const Poco::InvalidArgumentException& e)
						 {
							 throw Error(HOSTSDK_E_INVALID, e.message());
						 }
					 }
					 else if (operation == "members.find")
					 {
						 findMembers(dir, req, result);
					 }
					 else
					 {
						 throw Error(HOSTSDK_E_UNSUPPORTED, "unknown directory operation '" + operation + "'");
					 }
					 writeJson(out, result);
				 });
}

hostsdk_status cbPermissionCheck(void* ctx, int64_t userId, int64_t orgId, const char* permission, int32_t* allowed,
								 hostsdk_sink err)
{
	return guard(err,
				 [&]
				 {
					 if (!allowed || !permission) throw Error(HOSTSDK_E_INVALID, "null argument");
					 *allowed = servicesOf(ctx).directory->hasPermission(userId, orgId, permission) ? 1 : 0;
				 });
}

} // namespace HostTable

} // namespace RefHost
