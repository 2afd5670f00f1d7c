#include "http/AuditRoutes.h"

#include "http/RouteSupport.h"

#include "domain/ValidationError.h"
#include "http/ContactJson.h"
#include "http/CsvWriter.h"
#include "http/QueryString.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace ExternalContacts
{

namespace
{

AuditFilter filterOf(const QueryString& query)
{
	AuditFilter filter;
	filter.actorId = query.wholeNumber("actor");
	filter.action = query.get("action");
	if (filter.action && filter.action->empty()) filter.action.reset();
	filter.contactId = query.wholeNumber("contact");
	if (filter.contactId && *filter.contactId <= 0)
		throw ValidationError::failed("contact", "contact must be a contact id");
	filter.from = query.wholeNumber("from");
	filter.to = query.wholeNumber("to");
	return filter;
}

// A stored snapshot as JSON; text that does not parse (never written by
// this plugin) is handed out as it is rather than failing the page.
Poco::Dynamic::Var snapshot(const std::optional<std::string>& json)
{
	if (!json) return Poco::Dynamic::Var();
	try
	{
		Poco::JSON::Parser parser;
		return parser.parse(*json);
	}
	catch (const Poco::Exception&)
	{
		return *json;
	}
}

} // namespace

AuditRoutes::AuditRoutes(AuditService& service, const ErrorResponder& responder) :
	_service(service), _table(*this, responder)
{
}

void AuditRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/admin/audit", &AuditRoutes::list);
	_table.add("GET", "/admin/audit/export", &AuditRoutes::exportCsv);
	_table.registerWith(host);
}

Poco::JSON::Object::Ptr AuditRoutes::toJson(const AuditService::Item& item)
{
	const AuditEntry& e = item.row.entry;
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	o->set("id", e.id);
	o->set("at", e.at);
	o->set("action", e.action);
	Poco::JSON::Object::Ptr actor = ContactJson::person(item.actor);
	actor->set("system", e.actorId == 0);
	o->set("actor", actor);
	if (e.contactId)
	{
		Poco::JSON::Object::Ptr contact = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		contact->set("id", *e.contactId);
		contact->set("name", item.row.contactName);
		contact->set("deleted", item.row.contactDeleted);
		o->set("contact", contact);
	}
	else
		o->set("contact", Poco::Dynamic::Var());
	o->set("remoteAddr", e.remoteAddr);
	o->set("before", snapshot(e.beforeJson));
	o->set("after", snapshot(e.afterJson));
	return o;
}

void AuditRoutes::list(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	AuditFilter filter = filterOf(query);
	AuditService::Page page = _service.page(actor, filter, query.get("cursor", ""), query.limit(50));
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const AuditService::Item& item : page.items)
		items->add(toJson(item));
	Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	out->set("items", items);
	out->set("nextCursor", page.nextCursor.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(page.nextCursor));
	RouteSupport::sendJson(response, 200, ContactJson::toString(out));
}

void AuditRoutes::exportCsv(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	AuditFilter filter = filterOf(query);
	const char* locale = request.caller().locale;
	bool zh = !locale || std::string(locale).rfind("en", 0) != 0;
	CsvWriter csv;
	if (zh)
		csv.row({"编号", "时间（UTC+8）", "操作人", "操作人编号", "操作", "联系人", "联系人编号", "联系人已删除",
				 "来源地址", "变更前", "变更后"});
	else
		csv.row({"Entry", "Time (UTC+8)", "Actor", "Actor id", "Action", "Contact", "Contact id", "Contact deleted",
				 "From address", "Before", "After"});
	bool started = false;
	// Each batch goes to the host as it is made (the host sends the body
	// after the handler returns, so the truncation header may come last).
	bool truncated = _service.exportTo(
		actor, filter,
		[&](const std::vector<AuditService::Item>& batch)
		{
			if (!started)
			{
				response.setStatus(200);
				response.setHeader("Content-Type", "text/csv; charset=utf-8");
				response.setHeader("Cache-Control", "no-store");
				response.setHeader("Content-Disposition", "attachment; filename=\"external-contacts-audit.csv\"");
				started = true;
			}
			for (const AuditService::Item& item : batch)
			{
				const AuditEntry& e = item.row.entry;
				std::string actorName = e.actorId == 0
											? std::string(zh ? "系统" : "System")
											: item.actor.displayName.value_or("#" + std::to_string(e.actorId));
				csv.row({std::to_string(e.id), CsvWriter::chinaTime(e.at), actorName, std::to_string(e.actorId),
						 e.action, item.row.contactName, e.contactId ? std::to_string(*e.contactId) : std::string(),
						 e.contactId && item.row.contactDeleted ? (zh ? "是" : "yes") : std::string(), e.remoteAddr,
						 e.beforeJson.value_or(std::string()), e.afterJson.value_or(std::string())});
			}
			response.write(csv.take());
		});
	if (!started)
	{
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Content-Disposition", "attachment; filename=\"external-contacts-audit.csv\"");
		response.send(200, "text/csv; charset=utf-8", csv.take());
	}
	if (truncated) response.setHeader("X-Export-Truncated", std::to_string(AuditService::EXPORT_MAX));
}

} // namespace ExternalContacts
