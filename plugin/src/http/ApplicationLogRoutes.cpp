#include "http/ApplicationLogRoutes.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "http/AccountJson.h"
#include "http/ContactJson.h"
#include "http/CsvWriter.h"
#include "http/QueryString.h"
#include "http/RouteSupport.h"
#include <map>

namespace ExternalContacts
{

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

ApplicationLogRoutes::ApplicationLogRoutes(ApplicationLog& log, ApplicationService& applications,
										   std::size_t defaultLimit, const ErrorResponder& responder) :
	_log(log),
	_applications(applications), _defaultLimit(defaultLimit), _table(*this, responder)
{
}

void ApplicationLogRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("GET", "/admin/applications", &ApplicationLogRoutes::applicationLog);
	_table.add("GET", "/admin/applications/export", &ApplicationLogRoutes::exportApplicationLog);
	_table.registerWith(host);
}

void ApplicationLogRoutes::applicationLog(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	ApplicationFilter filter = filterOf(query);
	ApplicationLog::LogPage page = _log.log(actor, filter, query.get("cursor", ""), query.limit(_defaultLimit));
	Poco::JSON::Object::Ptr answer = AccountJson::log(page, _applications.namesIn(page.items));
	RouteSupport::sendJson(response, 200, ContactJson::toString(answer));
}

void ApplicationLogRoutes::exportApplicationLog(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	ApplicationFilter filter = filterOf(query);
	bool truncated = false;
	std::vector<ApplicationStore::LogRow> rows = _log.exportLog(actor, filter, truncated);
	const char* locale = request.caller().locale;
	bool zh = !locale || std::string(locale).rfind("en", 0) != 0;
	std::map<Poco::Int64, std::string> names;
	for (const auto& named : _applications.namesIn(rows))
		names[named.first] = named.second.displayName.value_or("#" + std::to_string(named.first));
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
	if (truncated) response.setHeader("X-Export-Truncated", std::to_string(ApplicationLog::EXPORT_MAX));
	response.send(200, "text/csv; charset=utf-8", csv.str());
}

} // namespace ExternalContacts
