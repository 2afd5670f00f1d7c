// The plugin's one failure policy (issue 15, item 1): every class of
// failure through ErrorResponder, in both renderings (JSON for the API
// routes, HTML for the invitation page), with real database failures of
// SQLite and MariaDB and the MariaDB errors that cannot be provoked at will.

#include "RouteCall.h"

#include "domain/AccountExceptions.h"
#include "domain/Invitation.h"
#include "domain/ValidationError.h"
#include "http/ErrorResponder.h"
#include "http/HttpError.h"
#include "http/RouteTable.h"
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SessionPool.h>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <hostsdk/Error.h>

using namespace RouteTest;

namespace
{

// A route whose handler throws what the test says.
struct Thrower
{
	explicit Thrower(const ErrorResponder& responder) : _table(*this, responder) {}

	void handle(const HostSdk::Request&, const HostSdk::Response&)
	{
		fail();
	}

	const RouteTable<Thrower>& table() const
	{
		return _table;
	}

	std::function<void()> fail;

private:
	RouteTable<Thrower> _table;
};

Poco::Data::MySQL::StatementException mysqlError(int number)
{
	return Poco::Data::MySQL::StatementException("[Comment]: mysql_stmt_execute error\t[mysql_stmt_errno]: " +
												 std::to_string(number));
}

struct Answers
{
	Answers() :
		json(
			ErrorResponder::Rendering::Json, [this](int, const std::string& m) { logged += m + "\n"; },
			[](Poco::Int64 id)
			{
				Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
				p->set("id", id);
				return p;
			}),
		html(ErrorResponder::Rendering::Html, [this](int, const std::string& m) { logged += m + "\n"; }),
		jsonRoute(json), htmlRoute(html)
	{
	}

	template <class E> Answer of(Thrower& route, const E& error)
	{
		route.fail = [error] { throw error; };
		return Call(route, &Thrower::handle, "GET", "/invite/secret-token").send();
	}

	template <class E> Answer asJson(const E& error)
	{
		return of(jsonRoute, error);
	}

	template <class E> Answer asHtml(const E& error)
	{
		return of(htmlRoute, error);
	}

	std::string logged;
	ErrorResponder json;
	ErrorResponder html;
	Thrower jsonRoute;
	Thrower htmlRoute;
};

void assertJson(const Answer& a, int status, const std::string& code, const std::string& message, bool retry)
{
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, status, a.status);
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, code, a.errorCode());
	CPPUNIT_ASSERT_EQUAL(message, a.json()->getObject("error")->getValue<std::string>("message"));
	CPPUNIT_ASSERT_EQUAL(std::string("application/json; charset=utf-8"), a.headers.at("Content-Type"));
	CPPUNIT_ASSERT_EQUAL(retry, a.headers.count("Retry-After") == 1);
	if (retry) CPPUNIT_ASSERT_EQUAL(std::string("1"), a.headers.at("Retry-After"));
}

void assertPage(const Answer& a, int status, bool retry)
{
	CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, status, a.status);
	CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), a.headers.at("Content-Type"));
	CPPUNIT_ASSERT_EQUAL(std::string("no-store"), a.headers.at("Cache-Control"));
	CPPUNIT_ASSERT(a.headers.count("Content-Security-Policy") == 1);
	CPPUNIT_ASSERT(a.body.find("<html") != std::string::npos || a.body.find("<!DOCTYPE") != std::string::npos);
	CPPUNIT_ASSERT_EQUAL(retry, a.headers.count("Retry-After") == 1);
}

const std::string UNAVAILABLE = "the database is unavailable";
const std::string BUSY = "the database is busy; try again";

} // namespace

class ErrorResponderTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ErrorResponderTest);
	CPPUNIT_TEST(testUnavailableIs503WithRetryAfter);
	CPPUNIT_TEST(testBusyIs503WithRetryAfter);
	CPPUNIT_TEST(testOtherIs500);
	CPPUNIT_TEST(testRealSqlErrorsAreOtherOnBoth);
	CPPUNIT_TEST(testDomainExceptionsKeepTheirAnswers);
	CPPUNIT_TEST(testInvitationPageAnswers);
	CPPUNIT_TEST_SUITE_END();

public:
	void testUnavailableIs503WithRetryAfter()
	{
		Answers answers;
		for (int number : {2006, 2013})
		{
			assertJson(answers.asJson(mysqlError(number)), 503, "unavailable", UNAVAILABLE, true);
			assertPage(answers.asHtml(mysqlError(number)), 503, true);
		}
		assertJson(answers.asJson(Poco::Data::MySQL::ConnectionException("mysql_real_connect error")), 503,
				   "unavailable", UNAVAILABLE, true);
		assertJson(answers.asJson(Poco::Data::SQLite::CantOpenDBFileException("x")), 503, "unavailable", UNAVAILABLE,
				   true);
		assertPage(answers.asHtml(Poco::Data::SQLite::IOErrorException("disk I/O error")), 503, true);
		// The host's database (an ABI call answered "unavailable").
		assertJson(answers.asJson(HostSdk::Error(HOSTSDK_E_UNAVAILABLE, "down")), 503, "unavailable",
				   "the host is unavailable", true);
		assertPage(answers.asHtml(HostSdk::Error(HOSTSDK_E_UNAVAILABLE, "down")), 503, true);
		// The invitation page's token never reaches the log.
		CPPUNIT_ASSERT(answers.logged.find("/invite/{token}") == std::string::npos);
	}

	void testBusyIs503WithRetryAfter()
	{
		Answers answers;
		// MariaDB's deadlock (also Galera's certification failure) and lock
		// wait timeout: a 500 on the invitation page before issue 15.
		for (int number : {1213, 1205})
		{
			assertJson(answers.asJson(mysqlError(number)), 503, "unavailable", BUSY, true);
			assertPage(answers.asHtml(mysqlError(number)), 503, true);
		}
		assertJson(answers.asJson(Poco::Data::SessionPoolExhaustedException("mysql")), 503, "unavailable", BUSY, true);
		assertPage(answers.asHtml(Poco::Data::SessionPoolExhaustedException("mysql")), 503, true);
		assertJson(answers.asJson(Poco::Data::SQLite::DBLockedException("database is locked")), 503, "unavailable",
				   BUSY, true);
		assertPage(answers.asHtml(Poco::Data::SQLite::DBLockedException("database is locked")), 503, true);
	}

	void testOtherIs500()
	{
		Answers answers;
		assertJson(answers.asJson(mysqlError(1064)), 500, "internal", "internal error", false);
		assertPage(answers.asHtml(mysqlError(1064)), 500, false);
		assertJson(answers.asJson(Poco::Data::SQLite::ConstraintViolationException("UNIQUE")), 500, "internal",
				   "internal error", false);
		assertJson(answers.asJson(std::runtime_error("bug")), 500, "internal", "internal error", false);
		assertPage(answers.asHtml(std::runtime_error("bug")), 500, false);
		assertJson(answers.asJson(42), 500, "internal", "internal error", false);
		CPPUNIT_ASSERT(answers.logged.find("GET /invite/secret-token: ") != std::string::npos);
	}

	void testRealSqlErrorsAreOtherOnBoth()
	{
		PluginBackend::forEach(
			[](PluginBackend& b)
			{
				Answers answers;
				answers.jsonRoute.fail = [&b] { b.execute("SELECT no_such_column FROM no_such_table"); };
				Answer a = Call(answers.jsonRoute, &Thrower::handle, "GET", "/contacts").send();
				assertJson(a, 500, "internal", "internal error", false);
				answers.htmlRoute.fail = answers.jsonRoute.fail;
				assertPage(Call(answers.htmlRoute, &Thrower::handle, "GET", "/invite/x").send(), 500, false);
			});
	}

	void testDomainExceptionsKeepTheirAnswers()
	{
		Answers answers;
		Answer missing = answers.asJson(ContactNotFoundException("no such contact"));
		assertError(missing, 404, "not_found", "");
		CPPUNIT_ASSERT_EQUAL(missing.body, answers.asJson(InvitationNotFoundException("x")).body);
		assertError(answers.asJson(AccessDeniedException("no")), 403, "forbidden", "");
		Answer duplicate = answers.asJson(DuplicateContactException("mobile", {{7, "Zhang"}}, 2));
		assertError(duplicate, 409, "duplicate", "mobile");
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), duplicate.json()->getValue<Poco::Int64>("hiddenDuplicates"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), duplicate.json()->getArray("duplicates")->size());
		Answer decided =
			answers.asJson(ApplicationDecidedException(AccountApplication::Status::Approved, Poco::Int64(5)));
		assertError(decided, 409, "already_decided", "");
		CPPUNIT_ASSERT_EQUAL(std::string("approved"), decided.json()->getValue<std::string>("status"));
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), decided.json()->getObject("decidedBy")->getValue<Poco::Int64>("id"));
		assertError(answers.asJson(NoAccountException()), 409, "no_account", "");
		Answer limited = answers.asJson(RateLimitedException("rate_limited", "slow down", 30));
		assertError(limited, 429, "rate_limited", "");
		CPPUNIT_ASSERT_EQUAL(std::string("30"), limited.headers.at("Retry-After"));
		CPPUNIT_ASSERT_EQUAL(30, limited.json()->getValue<int>("retryAfterSeconds"));
		assertError(answers.asJson(HttpError(400, "bad_request", "no Host", "host")), 400, "bad_request", "host");
		assertError(answers.asJson(HostSdk::Error(HOSTSDK_E_CONFLICT, "taken")), 409, "conflict", "");
	}

	void testInvitationPageAnswers()
	{
		Answers answers;
		assertPage(answers.asHtml(InvitationNotFoundException("x")), 404, false);
		assertPage(answers.asHtml(InvitationGoneException(InvitationGoneException::Reason::Expired)), 410, false);
		Answer limited = answers.asHtml(RateLimitedException("rate_limited", "slow down", 30));
		assertPage(limited, 429, true);
		CPPUNIT_ASSERT_EQUAL(std::string("30"), limited.headers.at("Retry-After"));
		assertPage(answers.asHtml(ValidationError::failed("name", "bad")), 400, false);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ErrorResponderTest);
