#pragma once

#include "Metrics.h"
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace RefHost
{

class MetricsRequestHandler : public Poco::Net::HTTPRequestHandler
/// The metrics listener's only route: GET /metrics in the Prometheus text
/// format 0.0.4; everything else 404, other methods 405.
{
public:
	explicit MetricsRequestHandler(const Metrics& metrics);

	void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
	const Metrics& _metrics;
};

class MetricsRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit MetricsRequestHandlerFactory(const Metrics& metrics) : _metrics(metrics) {}

	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
	{
		return new MetricsRequestHandler(_metrics);
	}

private:
	const Metrics& _metrics;
};

} // namespace RefHost
