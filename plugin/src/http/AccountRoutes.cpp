#include "http/AccountRoutes.h"

#include "http/AccountJson.h"
#include "http/BodyReaders.h"
#include "http/ContactJson.h"
#include "http/RouteSupport.h"

namespace ExternalContacts
{

AccountRoutes::AccountRoutes(ApplicationService& applications, AccountService& accounts, Logger logger,
							 const ErrorResponder& responder) :
	_applications(applications),
	_accounts(accounts), _logger(std::move(logger)), _table(*this, responder)
{
}

void AccountRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/contacts/{id}/account", &AccountRoutes::getAccount);
	_table.add("POST", "/contacts/{id}/applications", &AccountRoutes::applyForAccount);
	_table.add("POST", "/applications/{id}/approve", &AccountRoutes::approveApplication);
	_table.add("POST", "/applications/{id}/reject", &AccountRoutes::rejectApplication);
	_table.add("POST", "/contacts/{id}/account/activation-link", &AccountRoutes::activationLink);
	_table.add("POST", "/contacts/{id}/account", &AccountRoutes::assignAccount);
	_table.add("POST", "/contacts/{id}/account/disable", &AccountRoutes::disableAccount);
	_table.add("POST", "/contacts/{id}/account/enable", &AccountRoutes::enableAccount);
	_table.add("POST", "/contacts/{id}/account/reset", &AccountRoutes::resetAccount);
	_table.registerWith(host);
}

void AccountRoutes::getAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	AccountService::AccountView view = _accounts.accountView(actor, RouteSupport::pathId(request));
	AccountJson::Names names = _applications.namesIn(view.applications);
	RouteSupport::sendJson(response, 200, ContactJson::toString(AccountJson::view(view, names)));
}

void AccountRoutes::applyForAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	std::string remark = BodyReaders::onlyText(*RouteSupport::body(request), "remark");
	ApplicationService::Result result = _applications.apply(actor, id, remark, RouteSupport::remoteAddr(request));
	if (!result.notifyError.empty() && _logger)
		_logger(HOSTSDK_LOG_WARNING, "notifying the approvers failed: " + result.notifyError);
	AccountJson::Names names = _applications.namesIn({result.application});
	RouteSupport::sendJson(response, 201, ContactJson::toString(AccountJson::application(result.application, names)));
}

void AccountRoutes::approveApplication(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	BodyReaders::onlyText(*RouteSupport::body(request), "");
	ApplicationService::Result result = _applications.approve(actor, id, RouteSupport::remoteAddr(request));
	if (!result.notifyError.empty() && _logger)
		_logger(HOSTSDK_LOG_WARNING, "notifying the applicant failed: " + result.notifyError);
	if (_metrics) _metrics->applicationDecided(true);
	AccountJson::Names names = _applications.namesIn({result.application});
	RouteSupport::sendJson(response, 200, ContactJson::toString(AccountJson::decision(result, names)));
}

void AccountRoutes::rejectApplication(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	std::string reason = BodyReaders::onlyText(*RouteSupport::body(request), "reason");
	ApplicationService::Result result = _applications.reject(actor, id, reason, RouteSupport::remoteAddr(request));
	if (!result.notifyError.empty() && _logger)
		_logger(HOSTSDK_LOG_WARNING, "notifying the applicant failed: " + result.notifyError);
	if (_metrics) _metrics->applicationDecided(false);
	AccountJson::Names names = _applications.namesIn({result.application});
	RouteSupport::sendJson(response, 200, ContactJson::toString(AccountJson::decision(result, names)));
}

void AccountRoutes::activationLink(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	BodyReaders::onlyText(*RouteSupport::body(request), "");
	AccountGateway::Link link = _accounts.activationLink(actor, id, RouteSupport::remoteAddr(request));
	RouteSupport::sendJson(response, 200, ContactJson::toString(AccountJson::link(link)));
}

void AccountRoutes::assignAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	BodyReaders::onlyText(*RouteSupport::body(request), "");
	AccountGateway::Created created = _applications.assign(actor, id, RouteSupport::remoteAddr(request));
	Poco::JSON::Object::Ptr account = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	account->set("status", "pending");
	account->set("login", created.login);
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	answer->set("account", account);
	RouteSupport::sendJson(response, 201, ContactJson::toString(answer));
}

void AccountRoutes::disableAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	changeAccount(request, response, AccountService::AccountChange::Disable);
}

void AccountRoutes::enableAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	changeAccount(request, response, AccountService::AccountChange::Enable);
}

void AccountRoutes::changeAccount(const HostSdk::Request& request, const HostSdk::Response& response,
								  AccountService::AccountChange change)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	BodyReaders::onlyText(*RouteSupport::body(request), "");
	std::string status = _accounts.changeAccount(actor, id, change, RouteSupport::remoteAddr(request));
	RouteSupport::sendJson(response, 200, "{\"status\":\"" + status + "\"}");
}

void AccountRoutes::resetAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	BodyReaders::onlyText(*RouteSupport::body(request), "");
	AccountGateway::Link link = _accounts.resetAccount(actor, id, RouteSupport::remoteAddr(request));
	RouteSupport::sendJson(response, 200, ContactJson::toString(AccountJson::link(link)));
}

} // namespace ExternalContacts
