#include "http/AccountJson.h"

#include "http/ContactJson.h"
#include <Poco/JSON/Array.h>
#include <map>
#include <set>

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

using Names = std::map<Poco::Int64, ContactView::Person>;

Names namesOf(const std::vector<AccountApplication>& applications, ContactService& service)
{
	std::set<Poco::Int64> ids;
	for (const AccountApplication& a : applications)
	{
		ids.insert(a.applicantId);
		if (a.decidedBy) ids.insert(*a.decidedBy);
	}
	Names names;
	for (const ContactView::Person& p : service.people(std::vector<Poco::Int64>(ids.begin(), ids.end())))
		names[p.id] = p;
	return names;
}

Poco::JSON::Object::Ptr applicationJson(const AccountApplication& a, Names& names)
{
	Poco::JSON::Object::Ptr out = newObject();
	out->set("id", a.id);
	out->set("contactId", a.contactId);
	out->set("status", AccountApplication::statusName(a.status));
	out->set("remark", a.remark);
	out->set("applicant", ContactJson::person(names[a.applicantId]));
	out->set("submittedAt", a.submittedAt);
	out->set("decidedBy",
			 a.decidedBy ? Poco::Dynamic::Var(ContactJson::person(names[*a.decidedBy])) : Poco::Dynamic::Var());
	out->set("decidedAt", orNull(a.decidedAt));
	out->set("comment", orNull(a.comment));
	return out;
}

} // namespace

Poco::JSON::Object::Ptr AccountJson::application(const AccountApplication& application, ContactService& service)
{
	Names names = namesOf({application}, service);
	return applicationJson(application, names);
}

Poco::JSON::Object::Ptr AccountJson::view(const ApplicationService::AccountView& view, ContactService& service)
{
	Names names = namesOf(view.applications, service);
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

Poco::JSON::Object::Ptr AccountJson::decision(const ApplicationService::Result& result, ContactService& service)
{
	Poco::JSON::Object::Ptr out = newObject();
	out->set("application", application(result.application, service));
	if (result.account)
	{
		Poco::JSON::Object::Ptr account = newObject();
		account->set("login", result.account->login);
		account->set("status", "pending");
		out->set("account", account);
	}
	return out;
}

Poco::JSON::Object::Ptr AccountJson::log(const ApplicationService::LogPage& page, ContactService& service)
{
	std::vector<AccountApplication> applications;
	for (const ApplicationStore::LogRow& row : page.items)
		applications.push_back(row.application);
	Names names = namesOf(applications, service);
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
