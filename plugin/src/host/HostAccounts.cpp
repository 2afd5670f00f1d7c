#include "host/HostAccounts.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sstream>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

// {orgId, userId, securityLevel}: what the ops on an org membership's level take.
std::string membershipLevelJson(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel)
{
	Poco::JSON::Object request;
	request.set("orgId", orgId);
	request.set("userId", userId);
	request.set("securityLevel", securityLevel);
	std::ostringstream json;
	request.stringify(json);
	return json.str();
}

} // namespace

HostAccounts::HostAccounts(const HostSdk::HostApi& host) : _host(host) {}

AccountGateway::Created HostAccounts::createPending(Poco::Int64 orgId, const std::string& displayName,
													const std::string& loginHint, int securityLevel)
{
	Poco::JSON::Object request;
	request.set("orgId", orgId);
	request.set("displayName", displayName);
	request.set("loginHint", loginHint);
	request.set("securityLevel", securityLevel);
	std::ostringstream json;
	request.stringify(json);
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(_host.account("account.create_pending", json.str()));
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
		throw HostSdk::Error(HOSTSDK_E_INTERNAL, "the host answered account.create_pending with no JSON object");
	Poco::JSON::Object::Ptr answer = parsed.extract<Poco::JSON::Object::Ptr>();
	Created created;
	created.userId = answer->optValue<Poco::Int64>("userId", 0);
	created.login = answer->optValue<std::string>("login", "");
	if (created.userId <= 0 || created.login.empty())
		throw HostSdk::Error(HOSTSDK_E_INTERNAL, "the host answered account.create_pending without a user");
	return created;
}

AccountGateway::Link HostAccounts::reissueLink(Poco::Int64 userId)
{
	Poco::JSON::Object request;
	request.set("userId", userId);
	std::ostringstream json;
	request.stringify(json);
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(_host.account("account.reset", json.str()));
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
		throw HostSdk::Error(HOSTSDK_E_INTERNAL, "the host answered account.reset with no JSON object");
	Poco::JSON::Object::Ptr activation = parsed.extract<Poco::JSON::Object::Ptr>()->getObject("activation");
	if (!activation) throw HostSdk::Error(HOSTSDK_E_INTERNAL, "the host answered account.reset without a link");
	Link link;
	link.path = activation->optValue<std::string>("path", "");
	link.url = activation->optValue<std::string>("url", "");
	link.expiresAt = activation->optValue<Poco::Int64>("expiresAt", 0);
	if (link.path.empty()) throw HostSdk::Error(HOSTSDK_E_INTERNAL, "the host answered account.reset without a link");
	return link;
}

std::string HostAccounts::status(Poco::Int64 userId)
{
	Poco::JSON::Object request;
	request.set("userId", userId);
	std::ostringstream json;
	request.stringify(json);
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(_host.account("account.get", json.str()));
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
		throw HostSdk::Error(HOSTSDK_E_INTERNAL, "the host answered account.get with no JSON object");
	return parsed.extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("status", "");
}

void HostAccounts::disable(Poco::Int64 userId)
{
	Poco::JSON::Object request;
	request.set("userId", userId);
	std::ostringstream json;
	request.stringify(json);
	_host.account("account.disable", json.str());
}

void HostAccounts::enable(Poco::Int64 userId)
{
	Poco::JSON::Object request;
	request.set("userId", userId);
	std::ostringstream json;
	request.stringify(json);
	_host.account("account.enable", json.str());
}

void HostAccounts::setSecurityLevel(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel)
{
	_host.account("account.set_security_level", membershipLevelJson(orgId, userId, securityLevel));
}

void HostAccounts::addExternalMembership(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel)
{
	try
	{
		_host.account("membership.add_external", membershipLevelJson(orgId, userId, securityLevel));
	}
	catch (const HostSdk::Error& e)
	{
		if (e.status() != HOSTSDK_E_CONFLICT) throw;
		// Already in the org: fine when as an external user (a second run).
		Poco::JSON::Object probe;
		probe.set("orgId", orgId);
		probe.set("userId", userId);
		std::ostringstream probeJson;
		probe.stringify(probeJson);
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var parsed = parser.parse(_host.directory("member.is_member", probeJson.str()));
		bool external = parsed.type() == typeid(Poco::JSON::Object::Ptr) &&
						parsed.extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("kind", "") == "external";
		if (!external) throw;
	}
}

void HostAccounts::removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId)
{
	Poco::JSON::Object request;
	request.set("orgId", orgId);
	request.set("userId", userId);
	std::ostringstream json;
	request.stringify(json);
	try
	{
		_host.account("membership.remove_external", json.str());
	}
	catch (const HostSdk::Error& e)
	{
		if (e.status() != HOSTSDK_E_NOT_FOUND) throw;
	}
}

} // namespace ExternalContacts
