// The HTTP floor of bench/http_bench.sh: a POCO HTTPServer with the reference
// host's server settings (HTTPServerParams as ReferenceHost.cpp sets them:
// 16 threads, 256 queued, keep-alive, 10 s receive and keep-alive timeouts,
// loopback) answering every request with the same small JSON body and the
// same three headers the host adds to every answer. It does what the host
// does for a request minus the routing, the session, the plugin and the
// database: what wrk + the loopback + POCO's HTTP server cost on this machine.
// (The host itself has no route that answers without work: /healthz pings
// the database, static files are read from disk on every request; both are
// measured too, as "host floors".)
// Usage: ec_bench_const_server [--port 0] [--threads 16]   (prints "port=N", runs until killed)

#include "BenchCommon.h"
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Thread.h>
#include <csignal>
#include <iostream>
#include <istream>
#include <limits>

namespace
{

class ConstantHandler : public Poco::Net::HTTPRequestHandler
{
public:
	void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
	{
		// Read the body, as the host does before it answers.
		request.stream().ignore(std::numeric_limits<std::streamsize>::max());
		static const std::string body = "{\"status\":\"ok\",\"db\":\"ok\"}";
		response.set("X-Content-Type-Options", "nosniff");
		response.set("X-Frame-Options", "DENY");
		response.set("Referrer-Policy", "same-origin");
		response.set("Cache-Control", "no-store");
		response.setContentType("application/json; charset=utf-8");
		response.setContentLength(static_cast<std::streamsize>(body.size()));
		response.send() << body;
	}
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
	{
		return new ConstantHandler;
	}
};

} // namespace

int main(int argc, char** argv)
{
	Bench::Options options(argc, argv);
	Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
	params->setMaxThreads(static_cast<int>(options.number("threads", 16)));
	params->setMaxQueued(256);
	params->setKeepAlive(true);
	params->setTimeout(Poco::Timespan(10, 0));
	params->setKeepAliveTimeout(Poco::Timespan(10, 0));
	Poco::Net::ServerSocket socket(
		Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(options.number("port", 0))));
	Poco::Net::HTTPServer server(new Factory, socket, params);
	server.start();
	std::cout << "port=" << socket.address().port() << std::endl;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, nullptr);
	int sig = 0;
	sigwait(&set, &sig);
	server.stopAll(true);
	return 0;
}
