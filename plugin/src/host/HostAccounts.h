#pragma once

#include "service/AccountGateway.h"
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class HostAccounts : public AccountGateway
/// AccountGateway answered by the host (cb_account).
{
public:
	explicit HostAccounts(const HostSdk::HostApi& host);

	Created createPending(Poco::Int64 orgId, const std::string& displayName, const std::string& loginHint,
						  int securityLevel) override;
	/// account.create_pending; the activation token in the answer is dropped.
	Link reissueLink(Poco::Int64 userId) override;
	/// account.reset.
	std::string status(Poco::Int64 userId) override;
	/// account.get.
	void disable(Poco::Int64 userId) override;
	/// account.disable.
	void enable(Poco::Int64 userId) override;
	/// account.enable.
	void setSecurityLevel(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) override;
	/// account.set_security_level.
	void addExternalMembership(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) override;
	/// membership.add_external; an external membership that already exists is fine.
	void removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId) override;
	/// membership.remove_external; none is fine.

private:
	HostSdk::HostApi _host;
};

} // namespace ExternalContacts
