#pragma once

#include "hostsdk/abi.h"
#include <stdexcept>
#include <string>

namespace HostSdk
{

class Error : public std::runtime_error
/// An ABI status code with its message, thrown by the C++ wrappers when a
/// call across the waist fails, and turned back into a status code by
/// guard() at the extern "C" edge.
{
public:
	Error(hostsdk_status status, const std::string& message) : std::runtime_error(message), _status(status) {}

	hostsdk_status status() const noexcept
	{
		return _status;
	}

private:
	hostsdk_status _status;
};

class StringSink
/// A hostsdk_sink that appends everything written to a std::string.
/// The sink is valid as long as this object lives.
{
public:
	StringSink()
	{
		_sink.ctx = this;
		_sink.write = &StringSink::append;
	}

	StringSink(const StringSink&) = delete;
	StringSink& operator=(const StringSink&) = delete;

	const hostsdk_sink& sink() const noexcept
	{
		return _sink;
	}

	const std::string& str() const noexcept
	{
		return _data;
	}

	std::string& str() noexcept
	{
		return _data;
	}

private:
	static void append(void* ctx, const char* data, size_t len)
	{
		try
		{
			static_cast<StringSink*>(ctx)->_data.append(data, len);
		}
		catch (...)
		{
			// A sink must not throw across the C boundary; a failed append
			// only truncates the message.
		}
	}

	hostsdk_sink _sink;
	std::string _data;
};

inline void writeTo(hostsdk_sink sink, const std::string& text) noexcept
/// Writes text to a sink supplied by the other side, if it has one.
{
	if (sink.write) sink.write(sink.ctx, text.data(), text.size());
}

template <typename F> hostsdk_status guard(hostsdk_sink err, F&& f) noexcept
/// Runs f() and turns any exception into a status code plus a message in
/// err, so that nothing is thrown across the extern "C" edge.
{
	try
	{
		f();
		return HOSTSDK_OK;
	}
	catch (const Error& e)
	{
		writeTo(err, e.what());
		return e.status();
	}
	catch (const std::exception& e)
	{
		writeTo(err, e.what());
		return HOSTSDK_E_INTERNAL;
	}
	catch (...)
	{
		writeTo(err, "unknown exception");
		return HOSTSDK_E_INTERNAL;
	}
}

inline void check(hostsdk_status status, const StringSink& err, const char* what)
/// Throws Error when status is not HOSTSDK_OK.
{
	if (status != HOSTSDK_OK)
	{
		std::string message(what);
		if (!err.str().empty()) message += ": " + err.str();
		throw Error(status, message);
	}
}

} // namespace HostSdk
