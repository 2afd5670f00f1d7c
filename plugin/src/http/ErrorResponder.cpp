#include "http/ErrorResponder.h"

#include "domain/AccountExceptions.h"
#include "domain/Exceptions.h"
#include "domain/Invitation.h"
#include "domain/OrgRequest.h"
#include "domain/ValidationError.h"
#include "hostsdk/support/SqlDatabase.h"
#include "http/ContactJson.h"
#include "http/HttpError.h"
#include "http/RouteSupport.h"
#include "service/EditConflict.h"
#include "web/InvitePage.h"
#include <hostsdk/Error.h>

namespace ExternalContacts
{

namespace
{

using Failure = ErrorResponder::Failure;
using PersonJson = ErrorResponder::PersonJson;

// One row of the table: the exceptions it matches, their status and code
// (message: the exception's own), and what else the answer carries.
struct Rule
{
	bool (*matches)(const std::exception& e);
	int status;
	const char* code;
	void (*more)(const std::exception& e, Failure& failure, const PersonJson& person);
};

template <class E> bool is(const std::exception& e)
{
	return dynamic_cast<const E*>(&e) != nullptr;
}

template <class E> const E& as(const std::exception& e)
{
	return dynamic_cast<const E&>(e);
}

void notFound(const std::exception&, Failure& failure, const PersonJson&)
{
	// Every missing thing answers the same bytes.
	HttpError missing = HttpError::notFound();
	failure.message = missing.message();
	failure.page = InvitePage::notFound();
}

const Rule RULES[] = {
	{&is<HttpError>, 0, "",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 const HttpError& error = as<HttpError>(e);
		 f.status = error.status();
		 f.code = error.code();
		 f.field = error.field();
	 }},
	{&is<ValidationError>, 400, "",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 f.code = as<ValidationError>(e).code();
		 f.field = as<ValidationError>(e).field();
	 }},
	{&is<ContactNotFoundException>, 404, "not_found", &notFound},
	{&is<InvitationNotFoundException>, 404, "not_found", &notFound},
	{&is<OrgRequestNotFoundException>, 404, "not_found", &notFound},
	{&is<AccessDeniedException>, 403, "forbidden", nullptr},
	{&is<EditConflict>, 409, "conflict",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("current", ContactJson::detail(as<EditConflict>(e).current())); }},
	{&is<DuplicateContactException>, 409, "duplicate",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 Poco::JSON::Object::Ptr answer = ContactJson::duplicate(as<DuplicateContactException>(e));
		 f.field = as<DuplicateContactException>(e).field();
		 f.extra.emplace_back("duplicates", answer->get("duplicates"));
		 f.extra.emplace_back("hiddenDuplicates", answer->get("hiddenDuplicates"));
	 }},
	{&is<OrgRequestSettledException>, 409, "request_settled",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("status", OrgRequest::statusName(as<OrgRequestSettledException>(e).status)); }},
	{&is<OrgRequestPendingException>, 409, "request_pending",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("pendingId", as<OrgRequestPendingException>(e).pendingId); }},
	{&is<AlreadyContactException>, 409, "already_contact",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 const AlreadyContactException& already = as<AlreadyContactException>(e);
		 f.extra.emplace_back("contactId", already.visibleContactId ? Poco::Dynamic::Var(*already.visibleContactId)
																	: Poco::Dynamic::Var());
	 }},
	{&is<InvitationGoneException>, 410, "invitation_gone",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 InvitationGoneException::Reason reason = as<InvitationGoneException>(e).reason();
		 f.extra.emplace_back("reason", InvitationGoneException::reasonName(reason));
		 f.page = InvitePage::gone(reason);
	 }},
	{&is<RateLimitedException>, 429, "",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 const RateLimitedException& limited = as<RateLimitedException>(e);
		 f.code = limited.code();
		 f.retryAfter = std::to_string(limited.retryAfterSeconds());
		 f.extra.emplace_back("retryAfterSeconds", limited.retryAfterSeconds());
		 f.page = InvitePage::tooMany(limited.retryAfterSeconds());
	 }},
	{&is<ApplicationPendingException>, 409, "application_pending",
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("pendingId", as<ApplicationPendingException>(e).pendingId); }},
	{&is<ApplicationDecidedException>, 409, "already_decided",
	 [](const std::exception& e, Failure& f, const PersonJson& person)
	 {
		 const ApplicationDecidedException& decided = as<ApplicationDecidedException>(e);
		 f.extra.emplace_back("status", AccountApplication::statusName(decided.status));
		 if (person) f.extra.emplace_back("decidedBy", person(decided.decidedBy));
	 }},
	{&is<PersonHasAccountException>, 409, "person_has_account", nullptr},
	{&is<AccountExistsException>, 409, "account_exists", nullptr},
	{&is<NoPendingAccountException>, 409, "no_pending_account", nullptr},
	{&is<NoAccountException>, 409, "no_account", nullptr},
};

// An error of the host's API (HostSdk::Error): its status decides.
void hostFailure(const HostSdk::Error& e, Failure& f)
{
	f.logLevel = HOSTSDK_LOG_ERROR;
	f.logText = e.what();
	if (e.status() == HOSTSDK_E_UNAVAILABLE)
	{
		f.status = 503;
		f.code = "unavailable";
		f.message = "the host is unavailable";
		f.retryAfter = "1";
	}
	else if (e.status() == HOSTSDK_E_CONFLICT)
	{
		f.status = 409;
		f.code = "conflict";
		f.message = e.what();
	}
}

// Everything else: the database's failures by their class, the rest 500.
void otherFailure(const std::exception& e, Failure& f)
{
	HostSdk::SqlDatabase::Failure kind = HostSdk::SqlDatabase::classify(e);
	const HostSdk::SqlDatabase::FailureAnswer& answer = HostSdk::SqlDatabase::answerFor(kind);
	f.status = answer.status;
	f.code = answer.code;
	f.message = answer.message;
	if (answer.retryAfter) f.retryAfter = "1";
	f.logLevel = kind == HostSdk::SqlDatabase::Failure::Busy ? HOSTSDK_LOG_WARNING : HOSTSDK_LOG_ERROR;
	const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
	f.logText = poco ? poco->displayText() : e.what();
}

} // namespace

ErrorResponder::ErrorResponder(Rendering rendering, Logger logger, PersonJson person) :
	_rendering(rendering), _logger(std::move(logger)), _person(std::move(person))
{
}

ErrorResponder::Failure ErrorResponder::describe(const std::exception_ptr& error) const
{
	Failure failure;
	try
	{
		std::rethrow_exception(error);
	}
	catch (const HostSdk::Error& e)
	{
		hostFailure(e, failure);
	}
	catch (const std::exception& e)
	{
		for (const Rule& rule : RULES)
		{
			if (!rule.matches(e)) continue;
			failure.status = rule.status;
			failure.code = rule.code;
			failure.message = dynamic_cast<const Poco::Exception&>(e).message();
			// What more an answer carries is best effort: without it the
			// error itself is still answered.
			try
			{
				if (rule.more) rule.more(e, failure, _person);
			}
			catch (...)
			{
				failure.extra.clear();
			}
			return failure;
		}
		otherFailure(e, failure);
	}
	catch (...)
	{
		failure.logLevel = HOSTSDK_LOG_ERROR;
		failure.logText = "unknown exception";
	}
	return failure;
}

void ErrorResponder::send(const HostSdk::Response& response, const Failure& failure) const
{
	if (!failure.retryAfter.empty()) response.setHeader("Retry-After", failure.retryAfter);
	if (_rendering == Rendering::Html)
	{
		InvitePage::send(response, failure.status, failure.page.empty() ? InvitePage::unavailable() : failure.page);
		return;
	}
	Poco::JSON::Object::Ptr answer = ContactJson::error(failure.code, failure.message, failure.field);
	for (const auto& member : failure.extra)
		answer->set(member.first, member.second);
	RouteSupport::sendJson(response, failure.status, answer);
}

void ErrorResponder::run(const Body& body, const hostsdk_request_v1* request,
						 const hostsdk_response_v1* response) const noexcept
{
	HostSdk::Response out(response);
	try
	{
		body(HostSdk::Request(request), out);
		return;
	}
	catch (...)
	{
		try
		{
			Failure failure = describe(std::current_exception());
			if (failure.logLevel && _logger)
			{
				// The invitation page's path holds the token: only its pattern is logged.
				const char* where = _rendering == Rendering::Html ? request->route : request->path;
				_logger(failure.logLevel, std::string(request->method) + " " + where + ": " + failure.logText);
			}
			send(out, failure);
		}
		catch (...)
		{
			// Nothing more can be said to this client.
		}
	}
}

} // namespace ExternalContacts
