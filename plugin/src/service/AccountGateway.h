#pragma once

#include <Poco/Types.h>
#include <string>

namespace ExternalContacts
{

class AccountGateway
/// The host's accounts of external users, as the plugin uses them (the
/// SDK's account operations). Implementations are thread-safe; failures
/// throw (HostSdk::Error from the host-backed one).
{
public:
	struct Created
	{
		Poco::Int64 userId = 0;
		std::string login;
	};

	virtual ~AccountGateway() = default;

	virtual Created createPending(Poco::Int64 orgId, const std::string& displayName, const std::string& loginHint,
								  int securityLevel) = 0;
	/// A new external user of the org waiting for activation. The host's
	/// activation link is not kept: its holder asks for a fresh one.
};

} // namespace ExternalContacts
