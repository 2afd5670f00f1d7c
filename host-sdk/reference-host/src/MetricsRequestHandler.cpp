#include "MetricsRequestHandler.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>

namespace RefHost
{

MetricsRequestHandler::MetricsRequestHandler(const Metrics& metrics) : _metrics(metrics) {}

void MetricsRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
										  Poco::Net::HTTPServerResponse& response)
{
	try
	{
		std::string uri = request.getURI();
		std::string path = uri.substr(0, uri.find('?'));
		response.set("X-Content-Type-Options", "nosniff");
		response.set("Cache-Control", "no-store");
		if (path != "/metrics")
		{
			response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
			response.setContentType("text/plain; charset=utf-8");
			response.send() << "not found\n";
			return;
		}
		if (request.getMethod() != "GET" && request.getMethod() != "HEAD")
		{
			response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
			response.set("Allow", "GET, HEAD");
			response.setContentType("text/plain; charset=utf-8");
			response.send() << "method not allowed\n";
			return;
		}
		std::string body = _metrics.render();
		response.setContentType("text/plain; version=0.0.4; charset=utf-8");
		response.setContentLength(static_cast<std::streamsize>(body.size()));
		if (request.getMethod() == "HEAD")
			response.send();
		else
			response.send() << body;
	}
	catch (const Poco::Net::NetException&)
	{
		// The scraper went away.
	}
	catch (const std::exception& e)
	{
		Poco::Logger::get("metrics").error("metrics: %s", std::string(e.what()));
		if (!response.sent())
		{
			response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
			response.send();
		}
	}
}

} // namespace RefHost
