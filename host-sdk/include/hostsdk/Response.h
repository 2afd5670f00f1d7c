#pragma once

#include "hostsdk/abi.h"
#include <string>

namespace HostSdk
{

class Response
/// C++ view of a hostsdk_response_v1 handed to a route handler.
{
public:
	explicit Response(const hostsdk_response_v1* response) : _r(response) {}

	void setStatus(int status) const
	{
		_r->set_status(_r->ctx, status);
	}

	void setHeader(const std::string& name, const std::string& value) const
	{
		_r->set_header(_r->ctx, name.c_str(), value.c_str());
	}

	void write(const std::string& data) const
	{
		_r->write(_r->ctx, data.data(), data.size());
	}

	void send(int status, const std::string& contentType, const std::string& body) const
	{
		setStatus(status);
		setHeader("Content-Type", contentType);
		write(body);
	}

private:
	const hostsdk_response_v1* _r;
};

} // namespace HostSdk
