#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

namespace RefHost
{

class ReadDeadlineSocketImpl : public Poco::Net::StreamSocketImpl
/// A client connection whose every request must arrive, head and body,
/// within one bound (http.requestReadTimeoutMs). POCO's receive timeout
/// is per receive, so a client sending a byte just before it runs out
/// would hold a worker for as long as it likes; here each receive waits
/// at most for what is left of the bound. The clock starts at a
/// request's first receive (waiting between keep-alive requests is
/// POCO's keep-alive timeout), stops while the handler works and goes on
/// while it reads the body. Past the bound a head still being read is
/// answered 408 here (POCO would answer 400); a body is answered 408 by
/// the handler (Exchange::body, expired()).
/// One connection is served by one thread at a time: no locking.
{
public:
	ReadDeadlineSocketImpl(poco_socket_t sockfd, Poco::Timespan bound);

	using Poco::Net::StreamSocketImpl::receiveBytes;
	using Poco::Net::StreamSocketImpl::sendBytes;
	int receiveBytes(void* buffer, int length, int flags = 0) override;
	int sendBytes(const void* buffer, int length, int flags = 0) override;
	void setReceiveTimeout(const Poco::Timespan& timeout) override;

	void pause();
	/// The head is read and the handler runs: its time is not the client's.
	void resume();
	/// The handler reads the body: the clock goes on where pause() stopped it.
	void finish();
	/// The request is answered: the next one gets a new clock at its first
	/// byte and is not expired(). Called by RequestReadScope on every path.
	bool expired() const
	{
		return _expired;
	}

	static ReadDeadlineSocketImpl* of(Poco::Net::HTTPServerRequest& request);
	/// The connection's deadline, or nullptr when it has none (a plain
	/// ServerSocket, as in tests that build their own server).

private:
	enum class State
	{
		Idle,
		Head,
		Handler,
		Body
	};

	void answerTimeout();

	Poco::Timespan _bound;
	Poco::Timespan _timeout;              // the receive timeout POCO set: still the bound of each receive
	Poco::Timestamp _started;             // when the current stretch of reading began
	Poco::Timestamp::TimeDiff _spent = 0; // reading time of this request before that stretch
	State _state = State::Idle;
	bool _expired = false;
	bool _closed = false; // a 408 went out: nothing more is written
};

class RequestReadScope
/// One request's part of the deadline, on every path: pause() when the
/// head is read, finish() when the handler is done, whether it returned
/// or threw (a failure after the answer, as in recording it, included).
/// deadline may be null (a connection without one): then nothing.
{
public:
	explicit RequestReadScope(ReadDeadlineSocketImpl* deadline) : _deadline(deadline)
	{
		if (_deadline) _deadline->pause();
	}
	~RequestReadScope()
	{
		if (_deadline) _deadline->finish();
	}
	RequestReadScope(const RequestReadScope&) = delete;
	RequestReadScope& operator=(const RequestReadScope&) = delete;

private:
	ReadDeadlineSocketImpl* _deadline;
};

class ReadDeadlineServerSocket : public Poco::Net::ServerSocket
/// A listening socket whose connections are ReadDeadlineSocketImpl.
{
public:
	ReadDeadlineServerSocket(const Poco::Net::SocketAddress& address, Poco::Timespan bound, int backlog = 64);
};

} // namespace RefHost
