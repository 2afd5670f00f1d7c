#include "http/ErrorResponder.h"

#include "domain/AccountExceptions.h"
#include "domain/Exceptions.h"
#include "domain/Invitation.h"
#include "domain/OrgRequest.h"
#include "domain/WeChatProposal.h"
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

using Outcome = ContactsException::Outcome;

// The one map from an exception's outcome to its HTTP status.
const std::pair<Outcome, int> STATUS_OF[] = {
	{Outcome::Invalid, 400},  {Outcome::Forbidden, 403}, {Outcome::NotFound, 404},
	{Outcome::Conflict, 409}, {Outcome::Gone, 410},      {Outcome::TooMany, 429},
};

int statusOf(const ContactsException& e)
{
	if (const auto* http = dynamic_cast<const HttpError*>(&e)) return http->status();
	for (const auto& row : STATUS_OF)
		if (row.first == e.outcome()) return row.second;
	return 500;
}

template <class E> bool is(const std::exception& e)
{
	return dynamic_cast<const E*>(&e) != nullptr;
}

template <class E> const E& as(const std::exception& e)
{
	return dynamic_cast<const E&>(e);
}

// One row for each exception whose answer carries more than its status,
// code, message and field: the members after "error", a Retry-After, the
// invitation page's own HTML.
struct More
{
	bool (*matches)(const std::exception& e);
	void (*add)(const std::exception& e, Failure& failure, const PersonJson& person);
};

const More MORE[] = {
	{&is<EditConflict>, [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("current", ContactJson::detailObject(as<EditConflict>(e).current())); }},
	{&is<DuplicateContactException>,
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 Poco::JSON::Object::Ptr answer = ContactJson::duplicate(as<DuplicateContactException>(e));
		 f.extra.emplace_back("duplicates", answer->get("duplicates"));
		 f.extra.emplace_back("hiddenDuplicates", answer->get("hiddenDuplicates"));
	 }},
	{&is<OrgRequestSettledException>, [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("status", OrgRequest::statusName(as<OrgRequestSettledException>(e).status)); }},
	{&is<OrgRequestPendingException>, [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("pendingId", as<OrgRequestPendingException>(e).pendingId); }},
	{&is<AlreadyContactException>,
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 const AlreadyContactException& already = as<AlreadyContactException>(e);
		 f.extra.emplace_back("contactId", already.visibleContactId ? Poco::Dynamic::Var(*already.visibleContactId)
																	: Poco::Dynamic::Var());
	 }},
	{&is<WeChatProposalSettledException>, [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("status", WeChatProposal::statusName(as<WeChatProposalSettledException>(e).status)); }},
	{&is<InvitationGoneException>,
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 InvitationGoneException::Reason reason = as<InvitationGoneException>(e).reason();
		 f.extra.emplace_back("reason", InvitationGoneException::reasonName(reason));
		 f.page = InvitePage::gone(reason);
	 }},
	{&is<RateLimitedException>,
	 [](const std::exception& e, Failure& f, const PersonJson&)
	 {
		 const RateLimitedException& limited = as<RateLimitedException>(e);
		 f.retryAfter = std::to_string(limited.retryAfterSeconds());
		 f.extra.emplace_back("retryAfterSeconds", limited.retryAfterSeconds());
		 f.page = InvitePage::tooMany(limited.retryAfterSeconds());
	 }},
	{&is<ApplicationPendingException>, [](const std::exception& e, Failure& f, const PersonJson&)
	 { f.extra.emplace_back("pendingId", as<ApplicationPendingException>(e).pendingId); }},
	{&is<ApplicationDecidedException>,
	 [](const std::exception& e, Failure& f, const PersonJson& person)
	 {
		 const ApplicationDecidedException& decided = as<ApplicationDecidedException>(e);
		 f.extra.emplace_back("status", AccountApplication::statusName(decided.status));
		 if (person) f.extra.emplace_back("decidedBy", person(decided.decidedBy));
	 }},
};

// A refusal of the plugin's own: its outcome's status (an HttpError's own),
// its code, message and field, and what its row adds.
void contactsFailure(const ContactsException& e, Failure& f, const PersonJson& person)
{
	f.status = statusOf(e);
	f.code = e.code();
	f.message = e.message();
	f.field = e.field();
	if (e.outcome() == Outcome::NotFound)
	{
		// Every missing thing answers the same bytes.
		f.message = HttpError::notFound().message();
		f.page = InvitePage::notFound();
	}
	// What more an answer carries is best effort: without it the error
	// itself is still answered.
	try
	{
		for (const More& more : MORE)
			if (more.matches(e)) more.add(e, f, person);
	}
	catch (...)
	{
		f.extra.clear();
	}
}

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
	catch (const ContactsException& e)
	{
		contactsFailure(e, failure, _person);
	}
	catch (const std::exception& e)
	{
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
