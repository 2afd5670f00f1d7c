#include "HostErrorResponder.h"

#include "Database.h"
#include <Poco/Data/DataException.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>

namespace RefHost
{

namespace
{

// The request's head or body was malformed before an Exchange existed: the
// error shape without a detail, and the connection closes (the request was
// not read to its end).
void answerUnread(Poco::Net::HTTPServerResponse& response, const HttpError& e)
{
	response.setKeepAlive(false);
	response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(e.status));
	response.setContentType("application/json; charset=utf-8");
	Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
	error->set("code", e.code);
	error->set("message", "malformed request");
	if (!e.field.empty()) error->set("field", e.field);
	Poco::JSON::Object root;
	root.set("error", error);
	root.stringify(response.send());
}

// A failure the handler did not answer itself: classified, logged, answered.
void answerFailure(Exchange* ex, const std::exception& e, const std::string& method, const std::string& route)
{
	Database::Failure failure = Database::classify(e);
	const Database::FailureAnswer& answer = Database::answerFor(failure);
	// POCO's messages name the statement and the server's error, never the
	// connection string's password.
	Poco::Logger& log = Poco::Logger::get("http");
	std::string text = std::string(dynamic_cast<const Poco::Data::DataException*>(&e) ? "database " : "request ") +
					   Database::failureName(failure) + " on " + method + " " + route + ": " +
					   (dynamic_cast<const Poco::Exception*>(&e) ? dynamic_cast<const Poco::Exception&>(e).displayText()
																 : std::string(e.what()));
	if (failure == Database::Failure::Busy)
		log.warning(text);
	else
		log.error(text);
	if (!ex || ex->sent()) return;
	HttpError error(answer.status, answer.code, answer.message);
	if (answer.retryAfter) error.retryAfter = 1;
	ex->sendError(error);
}

} // namespace

void HostErrorResponder::answerCurrent(Exchange* ex, Poco::Net::HTTPServerResponse& response, const std::string& method,
									   const std::string& route) noexcept
{
	try
	{
		try
		{
			throw;
		}
		catch (const HttpError& e)
		{
			if (!ex)
				answerUnread(response, e);
			else if (!ex->sent())
				ex->sendError(e);
		}
		catch (const Poco::Net::NetException& e)
		{
			// The client went away; there is nobody left to answer.
			Poco::Logger::get("http").debug("network error: " + e.displayText());
		}
		catch (const std::exception& e)
		{
			answerFailure(ex, e, method, route);
		}
	}
	catch (...)
	{
		// Answering failed too (the client went away meanwhile): nothing left to do.
	}
}

} // namespace RefHost
