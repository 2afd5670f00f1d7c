#pragma once

#include "Exchange.h"
#include "HostContext.h"
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace RefHost
{

class HostRequestHandler : public Poco::Net::HTTPRequestHandler
/// Every HTTP request of the reference host: security headers, a request
/// id, the route (HostRouter: the host API under /api/, plugin routes under
/// /api/plugins/<id>/ and on public mounts, the web shell and static
/// files), the answer to a failure (HostErrorResponder: the JSON error
/// shape, nothing left unanswered, no stack trace leaves the process), and
/// the request's metrics and access line.
{
public:
	explicit HostRequestHandler(HostContext& context);

	void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
	void recordRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
					   const std::string& requestId, const std::string& route, Poco::Int64 userId,
					   Poco::Int64 elapsedMicroseconds);
	/// Metrics and the access line of one request: route pattern, never the path.
	static std::string nextRequestId();

	HostContext& _ctx;
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
