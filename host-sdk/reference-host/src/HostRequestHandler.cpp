#include "HostRequestHandler.h"

#include "RequestReadDeadline.h"
#include "Secrets.h"
#include "http/HostErrorResponder.h"
#include "http/HostFilters.h"
#include "http/HostRouter.h"
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Timestamp.h>
#include <atomic>
#include <cstdio>

namespace RefHost
{

HostRequestHandler::HostRequestHandler(HostContext& context) : _ctx(context) {}

void HostRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
	HostFilters::securityHeaders(response);
	Poco::Timestamp started;
	// The head is read: the handler's time does not count against the client's read bound.
	// finish() when this returns or throws: nothing carries over to the next request.
	ReadDeadlineSocketImpl* deadline = ReadDeadlineSocketImpl::of(request);
	RequestReadScope readScope(deadline);
	std::string requestId = nextRequestId();
	response.set("X-Request-Id", requestId);
	std::unique_ptr<Exchange> ex;
	std::unique_ptr<RouteRequest> routed;
	try
	{
		ex = std::make_unique<Exchange>(request, response, _ctx.trustedProxies);
		routed = std::make_unique<RouteRequest>(*ex, _ctx);
		HostRouter::dispatch(*routed);
		if (!ex->sent()) throw HttpError(404, "not_found", "not found");
	}
	catch (...)
	{
		HostErrorResponder::answerCurrent(ex.get(), response, request.getMethod(),
										  routed ? routed->route : std::string("unmatched"));
	}
	recordRequest(request, response, requestId, routed ? routed->route : std::string("unmatched"),
				  routed ? routed->userId : 0, started.elapsed());
}

std::string HostRequestHandler::nextRequestId()
{
	// A random prefix per process (nodes differ) and a counter: unique, and
	// cheaper per request than drawing random bytes.
	static const std::string prefix = []
	{
		uint8_t bytes[4];
		Secrets::randomBytes(bytes, sizeof bytes);
		char hex[9];
		std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3]);
		return std::string(hex);
	}();
	static std::atomic<Poco::UInt64> counter{0};
	return prefix + "-" + std::to_string(counter.fetch_add(1, std::memory_order_relaxed) + 1);
}

void HostRequestHandler::recordRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
									   const std::string& requestId, const std::string& route, Poco::Int64 userId,
									   Poco::Int64 elapsedMicroseconds)
{
	int status = static_cast<int>(response.getStatus());
	if (_ctx.metrics) _ctx.metrics->requestDone(route, request.getMethod(), status, elapsedMicroseconds / 1e6);
	// Logger::get locks the registry; loggers live until exit, so look it up once.
	static Poco::Logger& access = Poco::Logger::get("http.access");
	Poco::Message::Priority priority = _ctx.accessLog ? Poco::Message::PRIO_INFORMATION : Poco::Message::PRIO_DEBUG;
	if (access.getLevel() < priority) return;
	std::string method = Metrics::normalizeMethod(request.getMethod());
	char duration[32];
	std::snprintf(duration, sizeof duration, "%.3f", elapsedMicroseconds / 1000.0);
	// The route pattern only: a raw path may hold an invitation or activation token.
	Poco::Message msg("http.access", method + " " + route + " " + std::to_string(status) + " " + duration + " ms",
					  priority);
	msg.set("requestId", requestId);
	msg.set("route", route);
	msg.set("method", method);
	msg.set("status", std::to_string(status));
	msg.set("durationMs", duration);
	msg.set("userId", std::to_string(userId));
	access.log(msg);
}

} // namespace RefHost
