#include "RequestReadDeadline.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocketImpl.h>
#include <algorithm>
#include <string>
#include <sys/socket.h>

namespace RefHost
{

namespace
{

class ReadDeadlineServerSocketImpl : public Poco::Net::ServerSocketImpl
{
public:
	explicit ReadDeadlineServerSocketImpl(Poco::Timespan bound) : _bound(bound) {}

	Poco::Net::SocketImpl* acceptConnection(Poco::Net::SocketAddress& clientAddr) override
	{
		// SocketImpl::acceptConnection, with our connection class.
		if (sockfd() == POCO_INVALID_SOCKET) throw Poco::Net::InvalidSocketException();
		sockaddr_storage buffer;
		sockaddr* sa = reinterpret_cast<sockaddr*>(&buffer);
		poco_socklen_t length = sizeof(buffer);
		poco_socket_t sd;
		do
			sd = ::accept(sockfd(), sa, &length);
		while (sd == POCO_INVALID_SOCKET && lastError() == POCO_EINTR);
		if (sd == POCO_INVALID_SOCKET) error();
		clientAddr = Poco::Net::SocketAddress(sa, length);
		return new ReadDeadlineSocketImpl(sd, _bound);
	}

private:
	Poco::Timespan _bound;
};

} // namespace

ReadDeadlineSocketImpl::ReadDeadlineSocketImpl(poco_socket_t sockfd, Poco::Timespan bound) :
	Poco::Net::StreamSocketImpl(sockfd), _bound(bound)
{
}

void ReadDeadlineSocketImpl::setReceiveTimeout(const Poco::Timespan& timeout)
{
	_timeout = timeout;
	Poco::Net::StreamSocketImpl::setReceiveTimeout(timeout);
}

int ReadDeadlineSocketImpl::receiveBytes(void* buffer, int length, int flags)
{
	if (_state == State::Idle)
	{
		_state = State::Head;
		_spent = 0;
		_started.update();
	}
	else if (_state == State::Handler)
	{
		resume(); // read without saying so: still the client's time
	}
	Poco::Timestamp::TimeDiff left = _bound.totalMicroseconds() - _spent - _started.elapsed();
	if (left <= 0)
	{
		_expired = true;
		if (_state == State::Head) answerTimeout();
		throw Poco::TimeoutException("request not received within http.requestReadTimeoutMs");
	}
	Poco::Timestamp::TimeDiff wait =
		_timeout.totalMicroseconds() > 0 ? std::min(_timeout.totalMicroseconds(), left) : left;
	Poco::Net::StreamSocketImpl::setReceiveTimeout(Poco::Timespan(wait));
	try
	{
		return Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags);
	}
	catch (const Poco::TimeoutException&)
	{
		if (_spent + _started.elapsed() >= _bound.totalMicroseconds())
		{
			_expired = true;
			if (_state == State::Head) answerTimeout();
		}
		throw;
	}
}

int ReadDeadlineSocketImpl::sendBytes(const void* buffer, int length, int flags)
{
	// After our 408 POCO answers the broken head with its own 400: dropped,
	// the client has its answer and the connection closes.
	if (_closed) return length;
	return Poco::Net::StreamSocketImpl::sendBytes(buffer, length, flags);
}

void ReadDeadlineSocketImpl::answerTimeout()
{
	static const std::string body =
		"{\"error\":{\"code\":\"request_timeout\",\"message\":\"the request was not received in time\"}}";
	const std::string answer = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
							   "Content-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
							   "Content-Length: " +
							   std::to_string(body.size()) + "\r\n\r\n" + body;
	try
	{
		// A short write to a client that reads nothing must not wait: one try.
		Poco::Net::StreamSocketImpl::setSendTimeout(Poco::Timespan(0, 200000));
		Poco::Net::StreamSocketImpl::sendBytes(answer.data(), static_cast<int>(answer.size()), MSG_NOSIGNAL);
	}
	catch (const Poco::Exception&)
	{
		// The client is gone or not reading: closing is the answer.
	}
	_closed = true;
}

void ReadDeadlineSocketImpl::pause()
{
	if (_state == State::Head || _state == State::Body) _spent += _started.elapsed();
	_state = State::Handler;
}

void ReadDeadlineSocketImpl::resume()
{
	if (_state != State::Handler) return;
	_state = State::Body;
	_started.update();
}

void ReadDeadlineSocketImpl::finish()
{
	// Nothing of this request carries over to the next on the connection.
	_state = State::Idle;
	_spent = 0;
	_expired = false;
}

ReadDeadlineSocketImpl* ReadDeadlineSocketImpl::of(Poco::Net::HTTPServerRequest& request)
{
	auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
	if (!impl) return nullptr;
	return dynamic_cast<ReadDeadlineSocketImpl*>(impl->socket().impl());
}

ReadDeadlineServerSocket::ReadDeadlineServerSocket(const Poco::Net::SocketAddress& address, Poco::Timespan bound,
												   int backlog) :
	Poco::Net::ServerSocket(new ReadDeadlineServerSocketImpl(bound), true)
{
	impl()->bind(address, true);
	impl()->listen(backlog);
}

} // namespace RefHost
