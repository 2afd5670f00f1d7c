// The host's one failure policy (issue 15, item 1): every exception class
// of the reference host, constructed, through HostErrorResponder — its
// status, code, message, field, Retry-After and the error members it adds,
// byte for byte as the routes answered them before the exceptions carried
// their own answers.
#include "http/HostErrorResponder.h"
#include "ExternalAccounts.h"
#include "PersonalSettings.h"
#include "SessionManager.h"
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using namespace RefHost;

namespace
{

// A response that keeps what is sent.
class FakeResponse : public Poco::Net::HTTPServerResponse
{
public:
	void sendContinue() override {}
	std::ostream& send() override
	{
		_sent = true;
		return body;
	}
	void sendFile(const std::string&, const std::string&) override {}
	void sendBuffer(const void*, std::size_t) override {}
	void redirect(const std::string&, HTTPStatus) override {}
	void requireAuthentication(const std::string&) override {}
	bool sent() const override
	{
		return _sent;
	}

	std::ostringstream body;

private:
	bool _sent = false;
};

// A GET without a body.
class FakeRequest : public Poco::Net::HTTPServerRequest
{
public:
	explicit FakeRequest(FakeResponse& response) : _response(response), _params(new Poco::Net::HTTPServerParams)
	{
		setMethod("GET");
		setURI("/api/test");
	}
	std::istream& stream() override
	{
		return _in;
	}
	const Poco::Net::SocketAddress& clientAddress() const override
	{
		return _address;
	}
	const Poco::Net::SocketAddress& serverAddress() const override
	{
		return _address;
	}
	const Poco::Net::HTTPServerParams& serverParams() const override
	{
		return *_params;
	}
	Poco::Net::HTTPServerResponse& response() const override
	{
		return _response;
	}
	bool secure() const override
	{
		return false;
	}

private:
	FakeResponse& _response;
	Poco::Net::HTTPServerParams::Ptr _params;
	std::istringstream _in;
	Poco::Net::SocketAddress _address{"127.0.0.1", 1};
};

struct Answer
{
	int status = 0;
	std::string retryAfter;
	std::string body;
};

template <class E> Answer answer(const E& error)
{
	FakeResponse response;
	FakeRequest request(response);
	Exchange ex(request, response);
	try
	{
		throw error;
	}
	catch (...)
	{
		HostErrorResponder::answerCurrent(&ex, response, "GET", "/api/test");
	}
	Answer a;
	a.status = static_cast<int>(response.getStatus());
	a.retryAfter = response.get("Retry-After", "");
	a.body = response.body.str();
	CPPUNIT_ASSERT_EQUAL(std::string("application/json; charset=utf-8"), response.getContentType());
	return a;
}

void assertAnswer(const Answer& a, int status, const std::string& body, const std::string& retryAfter = "")
{
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, status, a.status);
	CPPUNIT_ASSERT_EQUAL(body, a.body);
	CPPUNIT_ASSERT_EQUAL(retryAfter, a.retryAfter);
}

} // namespace

class HostErrorResponderTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(HostErrorResponderTest);
	CPPUNIT_TEST(testEveryExceptionClass);
	CPPUNIT_TEST(testOtherFailures);
	CPPUNIT_TEST_SUITE_END();

public:
	void testEveryExceptionClass()
	{
		assertAnswer(answer(HttpError(400, "validation_failed", "q is too long", "q")), 400,
					 R"({"error":{"code":"validation_failed","field":"q","message":"q is too long"}})");
		assertAnswer(answer(ActivationLinkException("unknown activation link")), 404,
					 R"({"error":{"code":"activation_link_invalid","field":"token",)"
					 R"("message":"this activation link is not valid"}})");
		assertAnswer(answer(ActivationExpiredException("the account is not waiting for activation")), 410,
					 R"({"error":{"code":"activation_link_expired","field":"token",)"
					 R"("message":"this activation link was used, replaced or has expired; ask for a new one"}})");
		PasswordPolicy::Problem problem;
		problem.code = "too_short";
		problem.message = "the password needs at least 12 characters";
		assertAnswer(answer(PasswordRejectedException(problem)), 400,
					 R"({"error":{"code":"password_too_short","field":"password",)"
					 R"("message":"the password needs at least 12 characters"}})");
		assertAnswer(answer(LoginThrottledException(42)), 429,
					 R"({"error":{"code":"too_many_requests","message":"too many failed logins; try again later"}})",
					 "42");
		PersonalSettingsError throttled(429, "too_many_requests", "too many wrong current passwords; try again later",
										"currentPassword");
		throttled.retryAfter = 7;
		assertAnswer(answer(throttled), 429,
					 R"({"error":{"code":"too_many_requests","field":"currentPassword",)"
					 R"("message":"too many wrong current passwords; try again later"}})",
					 "7");
		assertAnswer(answer(PersonalSettingsError(410, "code_expired", "there is no valid code", "code")), 410,
					 R"({"error":{"code":"code_expired","field":"code","message":"there is no valid code"}})");
		PersonalSettingsError wrong(400, "code_invalid", "the code is wrong", "code");
		wrong.attemptsLeft = 0;
		assertAnswer(
			answer(wrong), 400,
			R"({"error":{"attemptsLeft":0,"code":"code_invalid","field":"code","message":"the code is wrong"}})");
		assertAnswer(answer(PersonalSettingsError(400, "validation_failed", "channel must be email or mobile")), 400,
					 R"({"error":{"code":"validation_failed","message":"channel must be email or mobile"}})");
	}

	void testOtherFailures()
	{
		assertAnswer(answer(std::runtime_error("bug")), 500,
					 R"({"error":{"code":"internal","message":"internal error"}})");
		assertAnswer(answer(Poco::Data::MySQL::ConnectionException("mysql_real_connect error")), 503,
					 R"({"error":{"code":"unavailable","message":"the database is unavailable"}})", "1");
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostErrorResponderTest);
