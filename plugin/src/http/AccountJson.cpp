#include "http/AccountJson.h"

#include "http/ContactJson.h"
#include <Poco/JSON/Array.h>

namespace ExternalContacts
{

namespace
{

Poco::JSON::Object::Ptr newObject()
{
	return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

template <typename T> Poco::Dynamic::Var orNull(const std::optional<T>& value)
{
	return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

using Names = AccountJson::Names;

ContactView::Person personOf(const Names& names, Poco::Int64 id)
{
	auto found = names.find(id);
	if (found != names.end()) return found->second;
	ContactView::Person unnamed;
	unnamed.id = id;
	return unnamed;
}

Poco::JSON::Object::Ptr applicationJson(const AccountApplication& a, const Names& names)
{
	Poco::JSON::Object::Ptr out = newObject();
	out->set("id", a.id);
	out->set("contactId", a.contactId);
	out->set("status", AccountApplication::statusName(a.status));
	out->set("remark", a.remark);
	out->set("applicant", ContactJson::person(personOf(names, a.applicantId)));
	out->set("submittedAt", a.submittedAt);
	out->set("decidedBy", a.decidedBy ? Poco::Dynamic::Var(ContactJson::person(personOf(names, *a.decidedBy)))
									  : Poco::Dynamic::Var());
	out->set("decidedAt", orNull(a.decidedAt));
	out->set("comment", orNull(a.comment));
	return out;
}

} // namespace

Poco::JSON::Object::Ptr AccountJson::application(const AccountApplication& application, const Names& names)
{
	return applicationJson(application, names);
}

Poco::JSON::Object::Ptr AccountJson::view(const AccountService::AccountView& view, const Names& names)
{
	Poco::JSON::Object::Ptr out = newObject();
	if (view.account)
	{
		Poco::JSON::Object::Ptr account = newObject();
		account->set("status", view.account->status);
		account->set("login", orNull(view.account->login));
		out->set("account", account);
	}
	else
	{
		out->set("account", Poco::Dynamic::Var());
	}
	out->set("pendingApplication",
			 view.pending ? Poco::Dynamic::Var(applicationJson(*view.pending, names)) : Poco::Dynamic::Var());
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const AccountApplication& a : view.applications)
		items->add(applicationJson(a, names));
	out->set("applications", items);
	out->set("mayApply", view.mayApply);
	out->set("mayDecide", view.mayDecide);
	out->set("mayManage", view.mayManage);
	out->set("personHasAccount", view.personHasAccount);
	return out;
}

Poco::JSON::Object::Ptr AccountJson::decision(const ApplicationService::Result& result, const Names& names)
{
	Poco::JSON::Object::Ptr out = newObject();
	out->set("application", application(result.application, names));
	if (result.account)
	{
		Poco::JSON::Object::Ptr account = newObject();
		account->set("login", result.account->login);
		account->set("status", "pending");
		out->set("account", account);
	}
	return out;
}

Poco::JSON::Object::Ptr AccountJson::log(const ApplicationLog::LogPage& page, const Names& names)
{
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const ApplicationStore::LogRow& row : page.items)
	{
		Poco::JSON::Object::Ptr item = applicationJson(row.application, names);
		item->set("contactName", row.contactName);
		items->add(item);
	}
	Poco::JSON::Object::Ptr out = newObject();
	out->set("items", items);
	out->set("nextCursor", page.nextCursor ? Poco::Dynamic::Var(*page.nextCursor) : Poco::Dynamic::Var());
	return out;
}

Poco::JSON::Object::Ptr AccountJson::link(const AccountGateway::Link& link)
{
	Poco::JSON::Object::Ptr out = newObject();
	out->set("path", link.path);
	out->set("url", link.url);
	out->set("expiresAt", link.expiresAt);
	return out;
}

} // namespace ExternalContacts
