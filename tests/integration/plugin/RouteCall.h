#pragma once

// Calls the plugin's route handlers through the entry the host calls, with
// the caller the host would authenticate, and reads their answers.

#include "PluginBackend.h"
#include "http/ContactRoutes.h"
#include "http/GroupMaintainerRoutes.h"
#include "http/SharingRoutes.h"

#include <Poco/JSON/Parser.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace RouteTest
{

using namespace ExternalContacts;

inline constexpr Poco::Int64 ALICE = 1;
inline constexpr Poco::Int64 BOB = 2;

struct Answer
{
	int status = 0;
	std::map<std::string, std::string> headers;
	std::string body;

	Poco::JSON::Object::Ptr json() const
	{
		Poco::JSON::Parser parser;
		return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
	}

	std::string errorCode() const
	{
		return json()->getObject("error")->getValue<std::string>("code");
	}

	std::string errorField() const
	{
		return json()->getObject("error")->optValue<std::string>("field", "");
	}
};

// One request through the same entry the host calls, with the caller the
// host would authenticate.
class Call
{
public:
	using Entry = std::function<hostsdk_status(const hostsdk_request_v1*, const hostsdk_response_v1*)>;

	template <class T>
	Call(const T& routes, typename RouteTable<T>::Handler handler, const std::string& method, const std::string& path) :
		_entry([&routes, handler](const hostsdk_request_v1* req, const hostsdk_response_v1* resp)
			   { return routes.table().call(handler, req, resp); }),
		_method(method), _path(path)
	{
		_caller.user_id = ALICE;
		_caller.org_id = PluginBackend::ORG;
		_caller.kind = HOSTSDK_CALLER_MEMBER;
		_caller.session_id_hash = "abc";
		_caller.remote_addr = "192.0.2.1";
		_caller.locale = "zh-CN";
	}

	Call& as(Poco::Int64 userId, int32_t kind = HOSTSDK_CALLER_MEMBER, bool admin = false)
	{
		_caller.user_id = userId;
		_caller.kind = kind;
		_caller.is_admin = admin ? 1 : 0;
		if (kind == HOSTSDK_CALLER_ANONYMOUS) _caller.org_id = 0;
		return *this;
	}

	Call& permissions(const char* json)
	/// The caller's permissions as the host passes them (ABI 1.4); none by default.
	{
		_permissions = json;
		return *this;
	}

	Call& query(const std::string& q)
	{
		_query = q;
		return *this;
	}

	Call& body(const std::string& b, const std::string& contentType = "application/json")
	{
		_body = b;
		_headers = contentType.empty() ? "{}" : "{\"content-type\":\"" + contentType + "\"}";
		return *this;
	}

	Call& id(const std::string& id)
	{
		_params = "{\"id\":\"" + id + "\"}";
		return *this;
	}

	Answer send()
	{
		hostsdk_request_v1 req{};
		req.struct_size = sizeof(req);
		req.method = _method.c_str();
		req.route = _path.c_str();
		req.path = _path.c_str();
		req.path_params = _params.c_str();
		req.query = _query.c_str();
		req.headers = _headers.c_str();
		req.body = _body.data();
		req.body_len = _body.size();
		req.caller = &_caller;
		req.caller_permissions = _permissions;
		Answer answer;
		hostsdk_response_v1 resp{};
		resp.struct_size = sizeof(resp);
		resp.ctx = &answer;
		resp.set_status = [](void* ctx, int status) { static_cast<Answer*>(ctx)->status = status; };
		resp.set_header = [](void* ctx, const char* n, const char* v) { static_cast<Answer*>(ctx)->headers[n] = v; };
		resp.write = [](void* ctx, const char* d, size_t n) { static_cast<Answer*>(ctx)->body.append(d, n); };
		// Through the route table the host calls.
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), _entry(&req, &resp));
		return answer;
	}

private:
	Entry _entry;
	std::string _method;
	std::string _path;
	std::string _params = "{}";
	std::string _query;
	std::string _headers = "{}";
	std::string _body;
	hostsdk_caller_v1 _caller{};
	const char* _permissions = nullptr;
};

struct Http
{
	explicit Http(PluginBackend& b) :
		responder(ErrorResponder::Rendering::Json, [this](int, const std::string& m) { logged += m + "\n"; }),
		sharingService(b.context(), b.service()), historyService(b.context()), maintainerService(b.context()),
		memberSearch(b.directory()), routes(b.service(), memberSearch, 50, responder),
		sharing(sharingService, historyService, 50, responder), maintainers(maintainerService, 50, responder)
	{
	}

	Call list()
	{
		return Call(routes, &ContactRoutes::listContacts, "GET", "/contacts");
	}

	Call groups()
	{
		return Call(routes, &ContactRoutes::listGroups, "GET", "/groups");
	}

	Call create(const std::string& body)
	{
		Call c(routes, &ContactRoutes::createContact, "POST", "/contacts");
		c.body(body);
		return c;
	}

	Call get(const std::string& id)
	{
		Call c(routes, &ContactRoutes::getContact, "GET", "/contacts/" + id);
		c.id(id);
		return c;
	}

	Call patch(Poco::Int64 id, const std::string& body)
	{
		Call c(routes, &ContactRoutes::updateContact, "PATCH", "/contacts/" + std::to_string(id));
		c.id(std::to_string(id));
		c.body(body);
		return c;
	}

	Call sub(RouteTable<SharingRoutes>::Handler handler, const std::string& method, Poco::Int64 id,
			 const std::string& tail, const std::string& body = std::string())
	{
		Call c(sharing, handler, method, "/contacts/" + std::to_string(id) + tail);
		c.id(std::to_string(id));
		if (!body.empty()) c.body(body);
		return c;
	}

	Call getPermissions(Poco::Int64 id)
	{
		return sub(&SharingRoutes::getPermissions, "GET", id, "/permissions");
	}

	Call putPermissions(Poco::Int64 id, const std::string& body)
	{
		return sub(&SharingRoutes::putPermissions, "PUT", id, "/permissions", body);
	}

	Call getShares(Poco::Int64 id)
	{
		return sub(&SharingRoutes::getShares, "GET", id, "/shares");
	}

	Call putShares(Poco::Int64 id, const std::string& body)
	{
		return sub(&SharingRoutes::putShares, "PUT", id, "/shares", body);
	}

	Call history(Poco::Int64 id)
	{
		return sub(&SharingRoutes::getHistory, "GET", id, "/history");
	}

	Call groupMaintainers()
	{
		return Call(maintainers, &GroupMaintainerRoutes::listGroupMaintainers, "GET", "/admin/group-maintainers");
	}

	Call putGroupMaintainers(const std::string& body)
	{
		Call c(maintainers, &GroupMaintainerRoutes::putGroupMaintainers, "PUT", "/admin/group-maintainers");
		c.body(body);
		return c;
	}

	Call remove(Poco::Int64 id)
	{
		Call c(routes, &ContactRoutes::deleteContact, "DELETE", "/contacts/" + std::to_string(id));
		c.id(std::to_string(id));
		return c;
	}

	std::string logged;
	ErrorResponder responder;
	SharingService sharingService;
	HistoryService historyService;
	GroupMaintainerService maintainerService;
	MemberSearchService memberSearch;
	ContactRoutes routes;
	SharingRoutes sharing;
	GroupMaintainerRoutes maintainers;
};

inline std::vector<std::string> keysOf(const Poco::JSON::Object& o)
{
	std::vector<std::string> keys = o.getNames();
	std::sort(keys.begin(), keys.end());
	return keys;
}

inline void assertError(const Answer& a, int status, const std::string& code, const std::string& field)
{
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, status, a.status);
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, code, a.errorCode());
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, field, a.errorField());
	CPPUNIT_ASSERT(!a.json()->getObject("error")->getValue<std::string>("message").empty());
	CPPUNIT_ASSERT_EQUAL(std::string("application/json; charset=utf-8"), a.headers.at("Content-Type"));
}

} // namespace RouteTest
