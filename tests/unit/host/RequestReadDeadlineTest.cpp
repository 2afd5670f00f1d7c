// http.requestReadTimeoutMs (issue 14, finding 11 follow-up): the read
// deadline of one request does not carry over to the next request on the
// same keep-alive connection. A socket pair stands in for the client.
#include "RequestReadDeadline.h"
#include <Poco/Exception.h>
#include <Poco/Thread.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace RefHost;

namespace
{

struct Connection
{
	ReadDeadlineSocketImpl* server = nullptr;
	int client = -1;

	explicit Connection(Poco::Timespan bound)
	{
		int fds[2];
		if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw Poco::IOException("socketpair");
		server = new ReadDeadlineSocketImpl(fds[0], bound);
		client = fds[1];
		server->setReceiveTimeout(Poco::Timespan(10, 0)); // POCO's per-receive timeout: longer than the bound
	}
	~Connection()
	{
		server->release();
		::close(client);
	}
	void send(const std::string& bytes)
	{
		CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(bytes.size()), ::write(client, bytes.data(), bytes.size()));
	}
	std::string receive()
	{
		char buffer[64];
		int n = server->receiveBytes(buffer, sizeof buffer);
		return std::string(buffer, n > 0 ? n : 0);
	}
};

const Poco::Timespan BOUND(0, 100 * 1000); // 100 ms

} // namespace

class RequestReadDeadlineTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(RequestReadDeadlineTest);
	CPPUNIT_TEST(testBodyPastTheBoundExpires);
	CPPUNIT_TEST(testFinishClearsExpiredAndTheNextRequestStartsFresh);
	CPPUNIT_TEST(testScopeFinishesOnEveryPath);
	CPPUNIT_TEST_SUITE_END();

public:
	void testBodyPastTheBoundExpires()
	{
		Connection c(BOUND);
		c.send("GET / HTTP/1.1\r\n");
		CPPUNIT_ASSERT_EQUAL(std::string("GET / HTTP/1.1\r\n"), c.receive());
		c.server->pause();
		c.server->resume();
		CPPUNIT_ASSERT_THROW(c.receive(), Poco::TimeoutException); // the body never comes
		CPPUNIT_ASSERT(c.server->expired());
	}

	void testFinishClearsExpiredAndTheNextRequestStartsFresh()
	{
		Connection c(BOUND);
		c.send("POST / HTTP/1.1\r\n");
		c.receive();
		c.server->pause();
		c.server->resume();
		CPPUNIT_ASSERT_THROW(c.receive(), Poco::TimeoutException);
		CPPUNIT_ASSERT(c.server->expired());
		c.server->finish();
		CPPUNIT_ASSERT_MESSAGE("the next request on the connection is not expired", !c.server->expired());

		// The next request gets a whole new bound from its first byte.
		c.send("GET /next HTTP/1.1\r\n");
		CPPUNIT_ASSERT_EQUAL(std::string("GET /next HTTP/1.1\r\n"), c.receive());
		CPPUNIT_ASSERT(!c.server->expired());
		Poco::Thread::sleep(60);
		c.send("Host: x\r\n");
		CPPUNIT_ASSERT_EQUAL(std::string("Host: x\r\n"), c.receive());
		CPPUNIT_ASSERT(!c.server->expired());
	}

	void testScopeFinishesOnEveryPath()
	{
		Connection c(BOUND);
		c.send("POST / HTTP/1.1\r\n");
		c.receive();
		try
		{
			RequestReadScope scope(c.server); // pause(): the handler's time
			c.server->resume();
			CPPUNIT_ASSERT_THROW(c.receive(), Poco::TimeoutException);
			CPPUNIT_ASSERT(c.server->expired());
			throw std::runtime_error("recording the request failed");
		}
		catch (const std::runtime_error&)
		{
		}
		CPPUNIT_ASSERT_MESSAGE("finished although the handler threw", !c.server->expired());
		c.send("GET /next HTTP/1.1\r\n");
		CPPUNIT_ASSERT_EQUAL(std::string("GET /next HTTP/1.1\r\n"), c.receive());
		CPPUNIT_ASSERT(!c.server->expired());
		RequestReadScope none(nullptr); // a plain ServerSocket: nothing to do
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestReadDeadlineTest);
