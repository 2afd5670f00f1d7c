#include "http/ContactRoutes.h"

#include "domain/AccountExceptions.h"
#include "domain/ContactValidator.h"
#include "domain/Exceptions.h"
#include "domain/Invitation.h"
#include "domain/OrgRequest.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "hostsdk/support/SqlDatabase.h"
#include "http/AccountJson.h"
#include "http/BodyReaders.h"
#include "http/ContactJson.h"
#include "http/CsvWriter.h"
#include "http/HttpError.h"
#include "http/JsonBody.h"
#include "http/QueryString.h"
#include "service/EditConflict.h"
#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <map>
#include <set>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

// The caller may use the contact routes at all: anonymous callers are asked
// to sign in, external users are refused.
void requireMember(const Actor& actor)
{
	if (actor.kind == Actor::Kind::Anonymous) throw HttpError::unauthenticated();
	if (actor.kind != Actor::Kind::Member) throw HttpError::forbidden("external users may not use external contacts");
}

Poco::JSON::Object::Ptr jsonObject(const std::string& json)
{
	if (json.empty()) return new Poco::JSON::Object;
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(json);
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return new Poco::JSON::Object;
	return parsed.extract<Poco::JSON::Object::Ptr>();
}

// A positive decimal id of at most 18 digits, or 0.
Poco::Int64 parseId(const std::string& text)
{
	if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
	return Poco::NumberParser::parse64(text);
}

// The limit parameter, or fallback when absent; 0 (refused by the service,
// naming "limit") for anything but plain digits: "+5", " 5" or "5.0" are
// not limits.
std::size_t limitOf(const QueryString& query, std::size_t fallback)
{
	std::optional<std::string> limit = query.get("limit");
	if (!limit) return fallback;
	bool digits = !limit->empty() && limit->size() <= 6 && limit->find_first_not_of("0123456789") == std::string::npos;
	return digits ? static_cast<std::size_t>(Poco::NumberParser::parseUnsigned(*limit)) : 0;
}

} // namespace

ContactRoutes::ContactRoutes(ContactService& service, std::size_t defaultLimit, Logger logger,
							 ApplicationService* applications) :
	_service(service),
	_sharing(service, applications ? &applications->persons() : nullptr), _history(service), _groupMaintainers(service),
	_members(service.directory()), _applications(applications), _defaultLimit(defaultLimit), _logger(std::move(logger))
{
}

void ContactRoutes::registerWith(const HostSdk::HostApi& host)
{
	host.registerRoute("GET", "/contacts", 0, &entry<&ContactRoutes::listContacts>, this);
	host.registerRoute("POST", "/contacts", 0, &entry<&ContactRoutes::createContact>, this);
	host.registerRoute("GET", "/contacts/{id}", 0, &entry<&ContactRoutes::getContact>, this);
	host.registerRoute("PATCH", "/contacts/{id}", 0, &entry<&ContactRoutes::updateContact>, this);
	host.registerRoute("DELETE", "/contacts/{id}", 0, &entry<&ContactRoutes::deleteContact>, this);
	host.registerRoute("GET", "/contacts/{id}/permissions", 0, &entry<&ContactRoutes::getPermissions>, this);
	host.registerRoute("PUT", "/contacts/{id}/permissions", 0, &entry<&ContactRoutes::putPermissions>, this);
	host.registerRoute("GET", "/contacts/{id}/shares", 0, &entry<&ContactRoutes::getShares>, this);
	host.registerRoute("PUT", "/contacts/{id}/shares", 0, &entry<&ContactRoutes::putShares>, this);
	host.registerRoute("GET", "/contacts/{id}/history", 0, &entry<&ContactRoutes::getHistory>, this);
	host.registerRoute("GET", "/groups", 0, &entry<&ContactRoutes::listGroups>, this);
	host.registerRoute("GET", "/admin/group-maintainers", 0, &entry<&ContactRoutes::listGroupMaintainers>, this);
	host.registerRoute("PUT", "/admin/group-maintainers", 0, &entry<&ContactRoutes::putGroupMaintainers>, this);
	host.registerRoute("GET", "/members", 0, &entry<&ContactRoutes::searchMembers>, this);
	if (!_applications) return;
	host.registerRoute("GET", "/contacts/{id}/account", 0, &entry<&ContactRoutes::getAccount>, this);
	host.registerRoute("POST", "/contacts/{id}/applications", 0, &entry<&ContactRoutes::applyForAccount>, this);
	host.registerRoute("POST", "/applications/{id}/approve", 0, &entry<&ContactRoutes::approveApplication>, this);
	host.registerRoute("POST", "/applications/{id}/reject", 0, &entry<&ContactRoutes::rejectApplication>, this);
	host.registerRoute("POST", "/contacts/{id}/account/activation-link", 0, &entry<&ContactRoutes::activationLink>,
					   this);
	host.registerRoute("GET", "/admin/applications", 0, &entry<&ContactRoutes::applicationLog>, this);
	host.registerRoute("POST", "/contacts/{id}/account", 0, &entry<&ContactRoutes::assignAccount>, this);
	host.registerRoute("POST", "/contacts/{id}/account/disable", 0, &entry<&ContactRoutes::disableAccount>, this);
	host.registerRoute("POST", "/contacts/{id}/account/enable", 0, &entry<&ContactRoutes::enableAccount>, this);
	host.registerRoute("POST", "/contacts/{id}/account/reset", 0, &entry<&ContactRoutes::resetAccount>, this);
	host.registerRoute("GET", "/admin/applications/export", 0, &entry<&ContactRoutes::exportApplicationLog>, this);
}

Actor ContactRoutes::actorOf(const hostsdk_caller_v1& caller)
{
	Actor actor;
	actor.userId = caller.user_id;
	actor.orgId = caller.org_id;
	actor.isAdmin = caller.is_admin != 0;
	actor.securityLevel = caller.security_level;
	if (caller.user_id <= 0 || caller.kind == HOSTSDK_CALLER_ANONYMOUS)
		actor.kind = Actor::Kind::Anonymous;
	else if (caller.kind == HOSTSDK_CALLER_MEMBER)
		actor.kind = Actor::Kind::Member;
	else
		actor.kind = Actor::Kind::External;
	return actor;
}

ListRequest ContactRoutes::listRequest(const HostSdk::Request& request, bool paged) const
{
	QueryString query(request.query());
	ListRequest list;
	std::string scope = query.get("scope", "mine");
	if (scope == "mine")
		list.scope = AccessPolicy::Scope::Mine;
	else if (scope == "all")
		list.scope = AccessPolicy::Scope::All;
	else
		throw ValidationError::failed("scope", "scope must be mine or all");
	std::string source = query.get("source", "");
	if (!source.empty())
	{
		list.source = parseContactSource(source);
		if (!list.source) throw ValidationError::failed("source", "source must be created, wechat_invite or other_org");
	}
	list.search = query.get("q", "");
	if (!paged) return list;
	list.cursor = query.get("cursor", "");
	list.limit = limitOf(query, _defaultLimit);
	return list;
}

void ContactRoutes::listContacts(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = actorOf(request.caller());
	requireMember(actor);
	ContactPage page = _service.list(actor, listRequest(request, true));
	sendJson(response, 200, ContactJson::toString(ContactJson::page(page)));
}

void ContactRoutes::listGroups(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = actorOf(request.caller());
	requireMember(actor);
	GroupList groups = _service.groups(actor, listRequest(request, false));
	sendJson(response, 200, ContactJson::toString(ContactJson::groups(groups)));
}

void ContactRoutes::createContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = actorOf(request.caller());
	requireMember(actor);
	Poco::JSON::Object::Ptr headers = jsonObject(request.headersJson());
	Poco::JSON::Object::Ptr body =
		JsonBody::parseObject(request.body(), headers->optValue<std::string>("content-type", ""));
	ContactFields draft = ContactValidator::validateCreate(*body);
	const char* remoteAddr = request.caller().remote_addr;
	ContactView view =
		_service.create(actor, draft, remoteAddr ? remoteAddr : "", ContactValidator::confirmDuplicate(*body));
	response.setHeader("Location", "/api/plugins/external-contacts/contacts/" + std::to_string(view.contact.id));
	sendJson(response, 201, ContactJson::toString(ContactJson::detail(view)));
}

void ContactRoutes::getContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = actorOf(request.caller());
	if (actor.kind == Actor::Kind::Anonymous) throw HttpError::unauthenticated();
	// External users, ids that cannot exist and contacts the caller may not
	// see all answer as a missing contact.
	if (actor.kind != Actor::Kind::Member) throw HttpError::notFound();
	Poco::Int64 id = parseId(jsonObject(request.pathParamsJson())->optValue<std::string>("id", ""));
	if (id <= 0) throw HttpError::notFound();
	std::optional<ContactView> view = _service.get(actor, id);
	if (!view) throw HttpError::notFound();
	sendJson(response, 200, ContactJson::toString(ContactJson::detail(*view)));
}

Actor ContactRoutes::contactActor(const HostSdk::Request& request) const
{
	Actor actor = actorOf(request.caller());
	if (actor.kind == Actor::Kind::Anonymous) throw HttpError::unauthenticated();
	// External users may not see contacts: every contact is "missing" to them.
	if (actor.kind != Actor::Kind::Member) throw HttpError::notFound();
	return actor;
}

Poco::Int64 ContactRoutes::contactId(const HostSdk::Request& request) const
{
	Poco::Int64 id = parseId(jsonObject(request.pathParamsJson())->optValue<std::string>("id", ""));
	if (id <= 0) throw HttpError::notFound();
	return id;
}

Poco::JSON::Object::Ptr ContactRoutes::body(const HostSdk::Request& request) const
{
	Poco::JSON::Object::Ptr headers = jsonObject(request.headersJson());
	return JsonBody::parseObject(request.body(), headers->optValue<std::string>("content-type", ""));
}

std::string ContactRoutes::remoteAddr(const HostSdk::Request& request)
{
	const char* addr = request.caller().remote_addr;
	return addr ? addr : "";
}

void ContactRoutes::updateContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	ContactEdit edit = ContactValidator::validateEdit(*body(request));
	ContactView view = _service.update(actor, id, edit, remoteAddr(request));
	sendJson(response, 200, ContactJson::toString(ContactJson::detail(view)));
}

void ContactRoutes::deleteContact(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	_service.remove(actor, id, remoteAddr(request));
	// R6.6: the contact's account is disabled and its sessions end.
	if (_applications) _applications->contactDeleted(actor, id, remoteAddr(request));
	// R5: a person of another org leaves the org's external users.
	if (_deletionListener) _deletionListener(actor.orgId, id);
	response.setHeader("Cache-Control", "no-store");
	response.setStatus(204);
}

void ContactRoutes::getPermissions(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	ContactView view = _sharing.permissions(actor, contactId(request));
	sendJson(response, 200, ContactJson::toString(ContactJson::permissions(view)));
}

void ContactRoutes::putPermissions(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	ContactPermissions permissions = ContactValidator::validatePermissions(*body(request));
	ContactView view = _sharing.setPermissions(actor, id, permissions, remoteAddr(request));
	sendJson(response, 200, ContactJson::toString(ContactJson::permissions(view)));
}

void ContactRoutes::getShares(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	std::vector<ContactView::Person> members = _sharing.shares(actor, contactId(request));
	sendJson(response, 200, ContactJson::toString(ContactJson::members(members)));
}

void ContactRoutes::putShares(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	std::vector<Poco::Int64> memberIds = ContactValidator::validateShares(*body(request));
	std::vector<ContactView::Person> members = _sharing.setShares(actor, id, memberIds, remoteAddr(request));
	sendJson(response, 200, ContactJson::toString(ContactJson::members(members)));
}

void ContactRoutes::getHistory(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	QueryString query(request.query());
	Poco::Int64 before = 0;
	std::string cursor = query.get("cursor", "");
	if (!cursor.empty() && (before = parseId(cursor)) <= 0)
		throw ValidationError::failed("cursor", "cursor is not one this list handed out");
	HistoryService::Page page = _history.history(actor, id, before, limitOf(query, _defaultLimit));
	sendJson(response, 200, ContactJson::toString(ContactJson::history(page)));
}

void ContactRoutes::listGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response)
{
	// External users answer 404 (contactActor), other members 403 (service).
	Actor actor = contactActor(request);
	QueryString query(request.query());
	GroupMaintainerService::Page page =
		_groupMaintainers.list(actor, query.get("cursor", ""), limitOf(query, _defaultLimit));
	sendJson(response, 200, ContactJson::toString(ContactJson::groupMaintainers(page)));
}

void ContactRoutes::putGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	// Non-admins are refused before their body is looked at.
	if (!actor.isAdmin) throw AccessDeniedException("only admins may set group maintainers");
	GroupMaintainers change = ContactValidator::validateGroupMaintainers(*body(request));
	GroupMaintainerService::Entry entry = _groupMaintainers.set(actor, change, remoteAddr(request));
	sendJson(response, 200, ContactJson::toString(ContactJson::groupMaintainers(entry)));
}

void ContactRoutes::searchMembers(const HostSdk::Request& request, const HostSdk::Response& response)
{
	// Anonymous callers 401, external users the 404 of every contact route.
	Actor actor = contactActor(request);
	QueryString query(request.query());
	std::optional<std::string> q = query.get("q");
	if (!q) throw ValidationError::failed("q", "q is required");
	std::vector<Directory::MemberMatch> matches =
		_members.search(actor, *q, limitOf(query, MemberSearchService::LIMIT_DEFAULT));
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const Directory::MemberMatch& match : matches)
	{
		Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		item->set("id", match.id);
		item->set("displayName", match.displayName);
		item->set("login", match.login);
		items->add(item);
	}
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	answer->set("items", items);
	sendJson(response, 200, ContactJson::toString(answer));
}

void ContactRoutes::getAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	ApplicationService::AccountView view = _applications->accountView(actor, contactId(request));
	sendJson(response, 200, ContactJson::toString(AccountJson::view(view, _service)));
}

void ContactRoutes::applyForAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	std::string remark = BodyReaders::onlyText(*body(request), "remark");
	ApplicationService::Result result = _applications->apply(actor, id, remark, remoteAddr(request));
	if (!result.notifyError.empty() && _logger)
		_logger(HOSTSDK_LOG_WARNING, "notifying the approvers failed: " + result.notifyError);
	sendJson(response, 201, ContactJson::toString(AccountJson::application(result.application, _service)));
}

void ContactRoutes::approveApplication(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	BodyReaders::onlyText(*body(request), "");
	ApplicationService::Result result = _applications->approve(actor, id, remoteAddr(request));
	if (!result.notifyError.empty() && _logger)
		_logger(HOSTSDK_LOG_WARNING, "notifying the applicant failed: " + result.notifyError);
	if (_metrics) _metrics->applicationDecided(true);
	sendJson(response, 200, ContactJson::toString(AccountJson::decision(result, _service)));
}

void ContactRoutes::rejectApplication(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	std::string reason = BodyReaders::onlyText(*body(request), "reason");
	ApplicationService::Result result = _applications->reject(actor, id, reason, remoteAddr(request));
	if (!result.notifyError.empty() && _logger)
		_logger(HOSTSDK_LOG_WARNING, "notifying the applicant failed: " + result.notifyError);
	if (_metrics) _metrics->applicationDecided(false);
	sendJson(response, 200, ContactJson::toString(AccountJson::decision(result, _service)));
}

void ContactRoutes::activationLink(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	BodyReaders::onlyText(*body(request), "");
	AccountGateway::Link link = _applications->activationLink(actor, id, remoteAddr(request));
	sendJson(response, 200, ContactJson::toString(AccountJson::link(link)));
}

namespace
{

ApplicationFilter filterOf(const QueryString& query)
{
	ApplicationFilter filter;
	if (std::optional<std::string> status = query.get("status"))
	{
		filter.status = AccountApplication::parseStatus(*status);
		if (!filter.status) throw ValidationError::failed("status", "status must be pending, approved or rejected");
	}
	filter.from = query.wholeNumber("from");
	filter.to = query.wholeNumber("to");
	filter.applicantId = query.wholeNumber("applicant");
	if (filter.applicantId && *filter.applicantId <= 0)
		throw ValidationError::failed("applicant", "applicant must be a member id");
	filter.keyword = Utf8Text::trim(query.get("q", ""));
	if (Utf8Text::hasControlCharacters(filter.keyword))
		throw ValidationError::failed("q", "q may not contain control characters");
	return filter;
}

} // namespace

void ContactRoutes::assignAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	BodyReaders::onlyText(*body(request), "");
	AccountGateway::Created created = _applications->assign(actor, id, remoteAddr(request));
	Poco::JSON::Object::Ptr account = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	account->set("status", "pending");
	account->set("login", created.login);
	Poco::JSON::Object::Ptr answer = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	answer->set("account", account);
	sendJson(response, 201, ContactJson::toString(answer));
}

void ContactRoutes::disableAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	changeAccount(request, response, ApplicationService::AccountChange::Disable);
}

void ContactRoutes::enableAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	changeAccount(request, response, ApplicationService::AccountChange::Enable);
}

void ContactRoutes::changeAccount(const HostSdk::Request& request, const HostSdk::Response& response,
								  ApplicationService::AccountChange change)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	BodyReaders::onlyText(*body(request), "");
	std::string status = _applications->changeAccount(actor, id, change, remoteAddr(request));
	sendJson(response, 200, "{\"status\":\"" + status + "\"}");
}

void ContactRoutes::resetAccount(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	Poco::Int64 id = contactId(request);
	BodyReaders::onlyText(*body(request), "");
	AccountGateway::Link link = _applications->resetAccount(actor, id, remoteAddr(request));
	sendJson(response, 200, ContactJson::toString(AccountJson::link(link)));
}

void ContactRoutes::applicationLog(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	QueryString query(request.query());
	ApplicationFilter filter = filterOf(query);
	ApplicationService::LogPage page =
		_applications->log(actor, filter, query.get("cursor", ""), limitOf(query, _defaultLimit));
	Poco::JSON::Object::Ptr answer = AccountJson::log(page, _service);
	sendJson(response, 200, ContactJson::toString(answer));
}

void ContactRoutes::exportApplicationLog(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = contactActor(request);
	QueryString query(request.query());
	ApplicationFilter filter = filterOf(query);
	bool truncated = false;
	std::vector<ApplicationStore::LogRow> rows = _applications->exportLog(actor, filter, truncated);
	const char* locale = request.caller().locale;
	bool zh = !locale || std::string(locale).rfind("en", 0) != 0;
	std::set<Poco::Int64> ids;
	for (const ApplicationStore::LogRow& row : rows)
	{
		ids.insert(row.application.applicantId);
		if (row.application.decidedBy) ids.insert(*row.application.decidedBy);
	}
	std::map<Poco::Int64, std::string> names;
	std::vector<Poco::Int64> idList(ids.begin(), ids.end());
	for (std::size_t i = 0; i < idList.size(); i += 500)
	{
		std::vector<Poco::Int64> chunk(idList.begin() + static_cast<std::ptrdiff_t>(i),
									   idList.begin() + static_cast<std::ptrdiff_t>(std::min(i + 500, idList.size())));
		for (const ContactView::Person& p : _service.people(chunk))
			names[p.id] = p.displayName.value_or("#" + std::to_string(p.id));
	}
	auto statusText = [zh](AccountApplication::Status status)
	{
		switch (status)
		{
		case AccountApplication::Status::Pending:
			return std::string(zh ? "待审批" : "pending");
		case AccountApplication::Status::Approved:
			return std::string(zh ? "已同意" : "approved");
		case AccountApplication::Status::Rejected:
			return std::string(zh ? "已驳回" : "rejected");
		}
		return std::string();
	};
	CsvWriter csv;
	if (zh)
		csv.row({"申请编号", "联系人", "申请人", "备注", "提交时间（UTC+8）", "状态", "处理人", "处理时间（UTC+8）",
				 "意见"});
	else
		csv.row({"Application", "Contact", "Applicant", "Remark", "Submitted (UTC+8)", "Status", "Decided by",
				 "Decided (UTC+8)", "Comment"});
	for (const ApplicationStore::LogRow& row : rows)
	{
		const AccountApplication& a = row.application;
		csv.row({std::to_string(a.id), row.contactName, names[a.applicantId], a.remark,
				 CsvWriter::chinaTime(a.submittedAt), statusText(a.status),
				 a.decidedBy ? names[*a.decidedBy] : std::string(), CsvWriter::chinaTime(a.decidedAt),
				 a.comment.value_or(std::string())});
	}
	response.setHeader("Cache-Control", "no-store");
	response.setHeader("Content-Disposition", "attachment; filename=\"external-account-applications.csv\"");
	if (truncated) response.setHeader("X-Export-Truncated", std::to_string(ApplicationService::EXPORT_MAX));
	response.send(200, "text/csv; charset=utf-8", csv.str());
}

void ContactRoutes::sendJson(const HostSdk::Response& response, int status, const std::string& body)
{
	response.setHeader("Cache-Control", "no-store");
	response.send(status, "application/json; charset=utf-8", body);
}

void ContactRoutes::handle(Handler handler, const hostsdk_request_v1* request,
						   const hostsdk_response_v1* response) noexcept
{
	run([this, handler](const HostSdk::Request& in, const HostSdk::Response& out) { (this->*handler)(in, out); },
		request, response);
}

void ContactRoutes::run(const Body& body, const hostsdk_request_v1* request,
						const hostsdk_response_v1* response) noexcept
{
	HostSdk::Response out(response);
	auto fail = [&](int status, const std::string& code, const std::string& message, const std::string& field)
	{
		try
		{
			sendJson(out, status, ContactJson::toString(ContactJson::error(code, message, field)));
		}
		catch (...)
		{
			// Nothing more can be said to this client.
		}
	};
	auto log = [&](int level, const std::string& message)
	{
		try
		{
			if (_logger) _logger(level, std::string(request->method) + " " + request->path + ": " + message);
		}
		catch (...)
		{
		}
	};
	try
	{
		body(HostSdk::Request(request), out);
	}
	catch (const HttpError& e)
	{
		fail(e.status(), e.code(), e.message(), e.field());
	}
	catch (const ValidationError& e)
	{
		fail(400, e.code(), e.message(), e.field());
	}
	catch (const OrgRequestNotFoundException&)
	{
		HttpError missing = HttpError::notFound();
		fail(missing.status(), missing.code(), missing.message(), "");
	}
	catch (const OrgRequestSettledException& e)
	{
		Poco::JSON::Object::Ptr answer = ContactJson::error("request_settled", e.message(), "");
		answer->set("status", OrgRequest::statusName(e.status));
		sendJson(out, 409, ContactJson::toString(answer));
	}
	catch (const OrgRequestPendingException& e)
	{
		Poco::JSON::Object::Ptr answer = ContactJson::error("request_pending", e.message(), "");
		answer->set("pendingId", e.pendingId);
		sendJson(out, 409, ContactJson::toString(answer));
	}
	catch (const AlreadyContactException& e)
	{
		Poco::JSON::Object::Ptr answer = ContactJson::error("already_contact", e.message(), "");
		answer->set("contactId", e.visibleContactId ? Poco::Dynamic::Var(*e.visibleContactId) : Poco::Dynamic::Var());
		sendJson(out, 409, ContactJson::toString(answer));
	}
	catch (const InvitationNotFoundException&)
	{
		HttpError missing = HttpError::notFound();
		fail(missing.status(), missing.code(), missing.message(), "");
	}
	catch (const InvitationGoneException& e)
	{
		Poco::JSON::Object::Ptr answer = ContactJson::error("invitation_gone", e.message(), "");
		answer->set("reason", InvitationGoneException::reasonName(e.reason()));
		sendJson(out, 410, ContactJson::toString(answer));
	}
	catch (const RateLimitedException& e)
	{
		out.setHeader("Retry-After", std::to_string(e.retryAfterSeconds()));
		Poco::JSON::Object::Ptr answer = ContactJson::error(e.code(), e.message(), "");
		answer->set("retryAfterSeconds", e.retryAfterSeconds());
		sendJson(out, 429, ContactJson::toString(answer));
	}
	catch (const ContactNotFoundException&)
	{
		HttpError missing = HttpError::notFound();
		fail(missing.status(), missing.code(), missing.message(), "");
	}
	catch (const EditConflict& e)
	{
		try
		{
			Poco::JSON::Object::Ptr answer = ContactJson::error("conflict", e.message(), "");
			answer->set("current", ContactJson::detail(e.current()));
			sendJson(out, 409, ContactJson::toString(answer));
		}
		catch (...)
		{
			fail(409, "conflict", e.message(), "");
		}
	}
	catch (const AccessDeniedException& e)
	{
		fail(403, "forbidden", e.message(), "");
	}
	catch (const ApplicationPendingException& e)
	{
		Poco::JSON::Object::Ptr answer = ContactJson::error("application_pending", e.message(), "");
		answer->set("pendingId", e.pendingId);
		sendJson(out, 409, ContactJson::toString(answer));
	}
	catch (const ApplicationDecidedException& e)
	{
		try
		{
			Poco::JSON::Object::Ptr answer = ContactJson::error("already_decided", e.message(), "");
			answer->set("status", AccountApplication::statusName(e.status));
			answer->set("decidedBy", ContactJson::person(_service.people({e.decidedBy}).front()));
			sendJson(out, 409, ContactJson::toString(answer));
		}
		catch (...)
		{
			fail(409, "already_decided", e.message(), "");
		}
	}
	catch (const PersonHasAccountException& e)
	{
		fail(409, "person_has_account", e.message(), "");
	}
	catch (const AccountExistsException& e)
	{
		fail(409, "account_exists", e.message(), "");
	}
	catch (const NoPendingAccountException& e)
	{
		fail(409, "no_pending_account", e.message(), "");
	}
	catch (const NoAccountException& e)
	{
		fail(409, "no_account", e.message(), "");
	}
	catch (const DuplicateContactException& e)
	{
		try
		{
			sendJson(out, 409, ContactJson::toString(ContactJson::duplicate(e)));
		}
		catch (...)
		{
			fail(409, "duplicate", e.message(), e.field());
		}
	}
	catch (const Poco::Data::SessionPoolExhaustedException& e)
	{
		log(HOSTSDK_LOG_WARNING, e.displayText());
		out.setHeader("Retry-After", "1");
		fail(503, "unavailable", "the service is busy; try again", "");
	}
	catch (const Poco::Data::SQLite::DBLockedException& e)
	{
		log(HOSTSDK_LOG_WARNING, e.displayText());
		out.setHeader("Retry-After", "1");
		fail(503, "unavailable", "the database is busy; try again", "");
	}
	catch (const Poco::Data::DataException& e)
	{
		// The server is down, restarting or dropped the connection (also in
		// the middle of a statement: 2006 / 2013 come as StatementException):
		// 503, and the next request gets a fresh connection (SqlDatabase).
		log(HOSTSDK_LOG_ERROR, e.displayText());
		if (HostSdk::SqlDatabase::isUnavailable(e))
		{
			out.setHeader("Retry-After", "1");
			fail(503, "unavailable", "the database is unavailable", "");
		}
		else if (HostSdk::SqlDatabase::isContention(e))
		{
			// A deadlock or lock wait timeout rolled the transaction back.
			out.setHeader("Retry-After", "1");
			fail(503, "unavailable", "the database is busy; try again", "");
		}
		else
			fail(500, "internal", "internal error", "");
	}
	catch (const HostSdk::Error& e)
	{
		log(HOSTSDK_LOG_ERROR, e.what());
		if (e.status() == HOSTSDK_E_UNAVAILABLE)
		{
			out.setHeader("Retry-After", "1");
			fail(503, "unavailable", "the host is unavailable", "");
		}
		else if (e.status() == HOSTSDK_E_CONFLICT)
			fail(409, "conflict", e.what(), "");
		else
			fail(500, "internal", "internal error", "");
	}
	catch (const Poco::Exception& e)
	{
		log(HOSTSDK_LOG_ERROR, e.displayText());
		fail(500, "internal", "internal error", "");
	}
	catch (const std::exception& e)
	{
		log(HOSTSDK_LOG_ERROR, e.what());
		fail(500, "internal", "internal error", "");
	}
	catch (...)
	{
		log(HOSTSDK_LOG_ERROR, "unknown exception");
		fail(500, "internal", "internal error", "");
	}
}

} // namespace ExternalContacts
