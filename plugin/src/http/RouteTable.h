#pragma once

#include "http/ErrorResponder.h"
#include <cstdint>
#include <deque>
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>

namespace ExternalContacts
{

template <class T> class RouteTable
/// The routes of one route class T: (method, pattern, flags, handler)
/// rows, registered with the host in one go. Each row is the host's
/// context pointer; the one entry function the host calls runs the row's
/// handler through the ErrorResponder, so no handler lets an exception
/// out.
{
public:
	using Handler = void (T::*)(const HostSdk::Request&, const HostSdk::Response&);

	RouteTable(T& routes, const ErrorResponder& responder) : _routes(routes), _responder(responder) {}

	RouteTable(const RouteTable&) = delete;
	RouteTable& operator=(const RouteTable&) = delete;

	void add(const char* method, const char* pattern, Handler handler, uint32_t flags = 0)
	/// A route; pattern as the host takes it ("/contacts/{id}").
	{
		_rows.push_back(Row{this, method, pattern, flags, handler});
	}

	void registerWith(const HostSdk::HostApi& host)
	/// Registers every row (the table outlives the registration).
	{
		for (Row& row : _rows)
			host.registerRoute(row.method, row.pattern, row.flags, &entry, &row);
	}

	hostsdk_status call(Handler handler, const hostsdk_request_v1* request,
						const hostsdk_response_v1* response) const noexcept
	/// Runs handler as the host would (tests call routes this way).
	{
		_responder.run([this, handler](const HostSdk::Request& in, const HostSdk::Response& out)
					   { (_routes.*handler)(in, out); },
					   request, response);
		return HOSTSDK_OK;
	}

private:
	struct Row
	{
		RouteTable* table;
		const char* method;
		const char* pattern;
		uint32_t flags;
		Handler handler;
	};

	static hostsdk_status entry(void* context, const hostsdk_request_v1* request,
								const hostsdk_response_v1* response) noexcept
	{
		const Row* row = static_cast<const Row*>(context);
		return row->table->call(row->handler, request, response);
	}

	T& _routes;
	const ErrorResponder& _responder;
	std::deque<Row> _rows; /// stable addresses: each is a context pointer
};

} // namespace ExternalContacts
