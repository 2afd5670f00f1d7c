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

	struct Link
	/// A one-time activation link: hand it to the person only, never store it.
	{
		std::string path; /// "/#/activate/<token>"
		std::string url;  /// absolute, or "" when the host has no public base URL
		Poco::Int64 expiresAt = 0;
	};

	virtual Created createPending(Poco::Int64 orgId, const std::string& displayName, const std::string& loginHint,
								  int securityLevel) = 0;
	/// A new external user of the org waiting for activation. The host's
	/// activation link is not kept: its holder asks for a fresh one.

	virtual Link reissueLink(Poco::Int64 userId) = 0;
	/// A new activation link for an account waiting for activation; earlier
	/// links stop working.

	virtual std::string status(Poco::Int64 userId) = 0;
	/// The host's state of the account: "pending", "active" or "disabled".

	virtual void disable(Poco::Int64 userId) = 0;
	/// The account can no longer log in; its sessions end at once.

	virtual void enable(Poco::Int64 userId) = 0;
	/// The account may log in again.

	virtual void addExternalMembership(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) = 0;
	/// userId becomes an external user of the org (R5.4).

	virtual void setSecurityLevel(Poco::Int64 orgId, Poco::Int64 userId, int securityLevel) = 0;
	/// The 安全级别 of userId's external membership of the org (an account
	/// the plugin opened, or a person of another org added as a contact).

	virtual void removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId) = 0;
	/// Ends userId's external membership of the org and its sessions there;
	/// nothing when there is none.
};

} // namespace ExternalContacts
