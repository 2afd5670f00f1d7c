#pragma once

#include "service/ApplicationService.h"
#include <Poco/JSON/Object.h>

namespace ExternalContacts
{

class AccountJson
/// The JSON of the account routes (docs/API.md): applications with the
/// people they name, the 账号信息 tab, decisions and activation links.
{
public:
	static Poco::JSON::Object::Ptr application(const AccountApplication& application, ContactService& names);
	/// Application; applicant and decidedBy named in one directory call.

	static Poco::JSON::Object::Ptr view(const ApplicationService::AccountView& view, ContactService& names);

	static Poco::JSON::Object::Ptr decision(const ApplicationService::Result& result, ContactService& names);
	/// {application, account: {login, status} | absent}.

	static Poco::JSON::Object::Ptr link(const AccountGateway::Link& link);

	static Poco::JSON::Object::Ptr log(const ApplicationService::LogPage& page, ContactService& names);
	/// {items: [Application + contactName], nextCursor}.
};

} // namespace ExternalContacts
