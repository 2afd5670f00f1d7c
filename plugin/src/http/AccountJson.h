#pragma once

#include "service/AccountService.h"
#include "service/ApplicationLog.h"
#include "service/ApplicationService.h"
#include <Poco/JSON/Object.h>

namespace ExternalContacts
{

class AccountJson
/// The JSON of the account routes (docs/API.md): applications with the
/// people they name, the 账号信息 tab, decisions and activation links.
/// names holds the applicants and deciders, as
/// ApplicationService::namesIn() resolves them.
{
public:
	using Names = ApplicationService::Names;

	static Poco::JSON::Object::Ptr application(const AccountApplication& application, const Names& names);
	/// Application with its applicant and decidedBy named.

	static Poco::JSON::Object::Ptr view(const AccountService::AccountView& view, const Names& names);
	/// {account: {status, login} | null, pendingApplication, applications,
	/// mayApply, mayDecide, mayManage, personHasAccount}.

	static Poco::JSON::Object::Ptr decision(const ApplicationService::Result& result, const Names& names);
	/// {application, account: {login, status} | absent}.

	static Poco::JSON::Object::Ptr link(const AccountGateway::Link& link);
	/// {path, url, expiresAt}.

	static Poco::JSON::Object::Ptr log(const ApplicationLog::LogPage& page, const Names& names);
	/// {items: [Application + contactName], nextCursor}.
};

} // namespace ExternalContacts
