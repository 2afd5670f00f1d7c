#pragma once

#include "hostsdk/abi.h"
#include <string>

namespace HostSdk
{

class Request
/// C++ view of a hostsdk_request_v1 handed to a route handler. Valid only
/// during the handler call. JSON fields (path_params, headers) are left as
/// text for the plugin's JSON library.
{
public:
	explicit Request(const hostsdk_request_v1* request) : _r(request) {}

	std::string method() const
	{
		return _r->method;
	}
	std::string route() const
	{
		return _r->route;
	}
	std::string path() const
	{
		return _r->path;
	}
	std::string pathParamsJson() const
	{
		return _r->path_params;
	}
	std::string query() const
	{
		return _r->query;
	}
	std::string headersJson() const
	{
		return _r->headers;
	}
	std::string body() const
	{
		return std::string(_r->body ? _r->body : "", _r->body_len);
	}
	const hostsdk_caller_v1& caller() const
	{
		return *_r->caller;
	}

	const char* callerPermissions() const
	/// The caller's permissions as the host passed them (ABI 1.4, a JSON
	/// array), or nullptr when it did not.
	{
		return HOSTSDK_HAS_FIELD(_r, hostsdk_request_v1, caller_permissions) ? _r->caller_permissions : nullptr;
	}

private:
	const hostsdk_request_v1* _r;
};

} // namespace HostSdk
