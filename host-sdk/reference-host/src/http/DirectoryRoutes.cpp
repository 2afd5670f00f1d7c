#include "DirectoryRoutes.h"

#include "RouteSupport.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <set>

namespace RefHost
{

void DirectoryRoutes::members(RouteRequest& request)
{
	Exchange& ex = request.ex;
	HostContext& ctx = request.ctx;
	const Caller& caller = request.me();
	int limit = RouteSupport::limit(ex);
	std::string q = ex.queryParam("q");
	Poco::Int64 after = RouteSupport::cursor(ex);
	Poco::Int64 orgId = caller.membership.orgId;
	Directory::MemberPage page;
	try
	{
		page = q.empty() ? ctx.directory->membersOfOrg(orgId, after, limit)
						 : ctx.directory->searchMembers(orgId, q, after, limit);
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw HttpError(400, "validation_failed", e.message(), "q");
	}
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const auto& [m, u] : page.items)
	{
		if (m.kind != "member") continue;
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
		o->set("id", u.id);
		o->set("displayName", u.displayName);
		o->set("login", u.login);
		o->set("title", u.title);
		items->add(o);
	}
	if (caller.membership.kind == "external")
	{
		Poco::JSON::Object payload;
		payload.set("orgId", orgId);
		payload.set("userId", caller.user.id);
		payload.set("items", items);
		std::string out;
		Poco::JSON::Array::Ptr allowed = new Poco::JSON::Array;
		if (ctx.plugins->hasHooks(HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS) &&
			ctx.plugins->runWillHook(HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS, RouteSupport::stringify(payload), out) ==
				HOSTSDK_OK)
		{
			// Only entries of the original list survive, whatever a plugin wrote.
			std::set<Poco::Int64> offered;
			for (std::size_t i = 0; i < items->size(); ++i)
				offered.insert(items->getObject(static_cast<unsigned>(i))->getValue<Poco::Int64>("id"));
			std::set<Poco::Int64> kept;
			try
			{
				Poco::JSON::Parser parser;
				Poco::JSON::Array::Ptr filtered =
					parser.parse(out).extract<Poco::JSON::Object::Ptr>()->getArray("items");
				for (std::size_t i = 0; filtered && i < filtered->size(); ++i)
				{
					Poco::JSON::Object::Ptr entry = filtered->getObject(static_cast<unsigned>(i));
					if (entry && entry->has("id")) kept.insert(entry->getValue<Poco::Int64>("id"));
				}
			}
			catch (const Poco::Exception&)
			{
				kept.clear(); // an unreadable answer hides everyone
			}
			for (std::size_t i = 0; i < items->size(); ++i)
			{
				Poco::JSON::Object::Ptr entry = items->getObject(static_cast<unsigned>(i));
				Poco::Int64 id = entry->getValue<Poco::Int64>("id");
				if (offered.count(id) && kept.count(id)) allowed->add(entry);
			}
		}
		items = allowed;
	}
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("items", items);
	root->set("nextCursor", RouteSupport::nextCursor(page.nextAfterId));
	ex.sendJson(200, root);
}

} // namespace RefHost
