#include "AdminRoutes.h"

#include "RouteSupport.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <algorithm>
#include <set>

namespace RefHost
{

namespace
{

Poco::JSON::Object::Ptr memberJson(const Membership& m, const User& u, bool maintain)
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("id", u.id);
	o->set("displayName", u.displayName);
	o->set("login", u.login);
	o->set("status", u.status);
	o->set("kind", m.kind);
	o->set("isAdmin", m.isAdmin);
	Poco::JSON::Array::Ptr permissions = new Poco::JSON::Array;
	if (maintain) permissions->add(Directory::grantablePermissions().front());
	o->set("permissions", permissions);
	return o;
}

// The optional {"successorId": N} body of a removal (or of its preview),
// checked: an active member of kind member of the org who is not the
// leaver (422 naming successorId otherwise).
std::optional<Poco::Int64> successorOf(RouteRequest& request, Poco::Int64 orgId, Poco::Int64 leaverId)
{
	Exchange& ex = request.ex;
	if (ex.body().empty()) return std::nullopt;
	Poco::JSON::Object::Ptr body = ex.jsonBody();
	for (const auto& key : body->getNames())
		if (key != "successorId") throw HttpError(400, "unknown_field", "unknown field " + key, key);
	if (!body->has("successorId") || body->isNull("successorId")) return std::nullopt;
	Poco::Dynamic::Var v = body->get("successorId");
	Poco::Int64 id = 0;
	if (!v.isInteger() || v.type() == typeid(bool) || (id = v.convert<Poco::Int64>()) <= 0)
		throw HttpError(400, "validation_failed", "successorId must be a positive integer or null", "successorId");
	if (id == leaverId)
		throw HttpError(422, "validation_failed", "the successor cannot be the member who leaves", "successorId");
	std::optional<Membership> m = request.ctx.directory->membership(orgId, id);
	std::optional<User> u = request.ctx.directory->userById(id);
	if (!m || !u || m->kind != "member" || u->status != "active")
		throw HttpError(422, "validation_failed", "the successor must be an active member of this organization",
						"successorId");
	return id;
}

// Runs hook 2 (member.will_leave_org); the answer's payload, or 409 with
// the message of the plugin that refused.
Poco::JSON::Object::Ptr willLeave(RouteRequest& request, Poco::Int64 userId,
								  const std::optional<Poco::Int64>& successorId, bool dryRun)
{
	const Caller& caller = request.me();
	Poco::JSON::Object payload;
	payload.set("orgId", caller.membership.orgId);
	payload.set("userId", userId);
	payload.set("byUserId", caller.user.id);
	payload.set("successorId", successorId ? Poco::Dynamic::Var(*successorId) : Poco::Dynamic::Var());
	payload.set("dryRun", dryRun);
	payload.set("remoteAddr", request.ex.clientAddress());
	payload.set("preview", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
	std::string out, refusal;
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
	answer->set("preview", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
	if (!request.ctx.plugins->hasHooks(HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG)) return answer;
	hostsdk_status st = request.ctx.plugins->runWillHook(HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG,
														 RouteSupport::stringify(payload), out, &refusal);
	if (st == HOSTSDK_E_DENIED)
		throw HttpError(409, "conflict",
						refusal.empty() ? "a plugin refused this removal" : RouteSupport::utf8Prefix(refusal, 500));
	if (st != HOSTSDK_OK) throw HttpError(503, "unavailable", "the removal cannot be checked now; try again");
	try
	{
		// Only objects of the preview array pass, whatever else a plugin wrote.
		Poco::JSON::Parser parser;
		Poco::JSON::Array::Ptr preview = parser.parse(out).extract<Poco::JSON::Object::Ptr>()->getArray("preview");
		Poco::JSON::Array::Ptr kept = answer->getArray("preview");
		for (std::size_t i = 0; preview && i < preview->size(); ++i)
			if (preview->isObject(static_cast<unsigned>(i))) kept->add(preview->getObject(static_cast<unsigned>(i)));
	}
	catch (const Poco::Exception&)
	{
		Poco::Logger::get("http").warning("member.will_leave_org: a plugin answered an unreadable payload");
	}
	return answer;
}

// The removal of a member, or (preview) what it would do. Plugins say what
// will happen to what the member holds and may refuse; the removal asks
// them again, then ends the membership.
void removal(RouteRequest& request, bool preview)
{
	Directory& directory = *request.ctx.directory;
	const Caller& caller = request.me();
	Poco::Int64 orgId = caller.membership.orgId;
	Poco::Int64 userId = RouteSupport::pathId(request, "userId", "member");
	if (userId == caller.user.id)
		throw HttpError(409, "conflict", "administrators cannot remove themselves; ask another administrator");
	std::optional<Membership> leaver = directory.membership(orgId, userId);
	std::optional<User> leaverUser = directory.userById(userId);
	if (!leaver || !leaverUser) throw HttpError(404, "not_found", "no such member");
	std::optional<Poco::Int64> successorId = successorOf(request, orgId, userId);
	Poco::JSON::Object::Ptr plan = willLeave(request, userId, successorId, preview);
	if (preview)
	{
		Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
		root->set("member", memberJson(*leaver, *leaverUser, false));
		root->set("successorId", successorId ? Poco::Dynamic::Var(*successorId) : Poco::Dynamic::Var());
		root->set("items", plan->getArray("preview"));
		request.ex.sendJson(200, root);
		return;
	}
	// A member leaves the org: membership, permissions and sessions there
	// end now; plugins hear of it (hook 100) to hand over what they held.
	if (!directory.removeMembership(orgId, userId)) throw HttpError(404, "not_found", "no such member");
	Poco::JSON::Object payload;
	payload.set("orgId", orgId);
	payload.set("userId", userId);
	payload.set("byUserId", caller.user.id);
	payload.set("successorId", successorId ? Poco::Dynamic::Var(*successorId) : Poco::Dynamic::Var());
	payload.set("remoteAddr", request.ex.clientAddress());
	request.ctx.plugins->fireHook(HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG, RouteSupport::stringify(payload));
	request.ex.sendEmpty(204);
}

} // namespace

void AdminMemberRoutes::list(RouteRequest& request)
{
	Exchange& ex = request.ex;
	Directory& directory = *request.ctx.directory;
	Poco::Int64 orgId = request.me().membership.orgId;
	int limit = RouteSupport::limit(ex);
	std::string q = ex.queryParam("q");
	Poco::Int64 after = RouteSupport::cursor(ex);
	Directory::MemberPage page;
	try
	{
		page = q.empty() ? directory.membersOfOrg(orgId, after, limit)
						 : directory.membersByNamePrefix(orgId, q, after, limit);
	}
	catch (const Poco::NotFoundException&)
	{
		throw HttpError(400, "validation_failed", "invalid cursor", "cursor");
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw HttpError(400, "validation_failed", e.message(), "q");
	}
	std::vector<Poco::Int64> ids;
	for (const auto& item : page.items)
		ids.push_back(item.second.id);
	std::set<Poco::Int64> maintain = directory.holdersAmong(orgId, Directory::grantablePermissions().front(), ids);
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const auto& [m, u] : page.items)
		items->add(memberJson(m, u, maintain.count(u.id) > 0));
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	root->set("nextCursor", RouteSupport::nextCursor(page.nextAfterId));
	ex.sendJson(200, root);
}

void AdminMemberRoutes::setPermission(RouteRequest& request)
{
	Directory& directory = *request.ctx.directory;
	Poco::Int64 orgId = request.me().membership.orgId;
	Poco::Int64 userId = RouteSupport::pathId(request, "userId", "member");
	const std::string& permission = request.param("permission");
	const std::vector<std::string>& known = Directory::grantablePermissions();
	if (std::find(known.begin(), known.end(), permission) == known.end())
		throw HttpError(404, "not_found", "no such permission");
	std::optional<Membership> m = directory.membership(orgId, userId);
	std::optional<User> u = directory.userById(userId);
	if (!m || !u) throw HttpError(404, "not_found", "no such member");
	if (userId == request.me().user.id)
		throw HttpError(409, "conflict", "administrators cannot change their own permissions");
	if (m->kind != "member") throw HttpError(409, "conflict", "external users cannot hold permissions");
	if (request.ex.method() == "PUT")
		directory.grantPermission(orgId, userId, permission);
	else
		directory.revokePermission(orgId, userId, permission);
	bool maintain = !directory.holdersAmong(orgId, known.front(), {userId}).empty();
	request.ex.sendJson(200, memberJson(*m, *u, maintain));
}

void AdminMemberRoutes::previewRemoval(RouteRequest& request)
{
	removal(request, true);
}

void AdminMemberRoutes::remove(RouteRequest& request)
{
	removal(request, false);
}

void AdminMemberRoutes::notAllowed(RouteRequest& request)
{
	RouteSupport::pathId(request, "userId", "member");
	RouteSupport::notAllowed(request);
}

} // namespace RefHost
