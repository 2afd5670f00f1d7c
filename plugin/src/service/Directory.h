#pragma once

#include <Poco/Types.h>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ExternalContacts
{

class Directory
/// What the contact use cases need from the host: people's names, org
/// settings, permissions and the clock. Implementations are thread-safe.
/// Failures throw (HostSdk::Error from the host-backed one).
{
public:
	virtual ~Directory() = default;

	virtual std::map<Poco::Int64, std::string> displayNames(const std::vector<Poco::Int64>& userIds) = 0;
	/// The display names of the users that exist among userIds, in one
	/// look-up; unknown ids are left out.

	virtual int orgDefaultSecurityLevel(Poco::Int64 orgId) = 0;
	/// The security level new contacts of the org start with (-999..0).

	virtual bool hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission) = 0;
	/// True when the user holds permission in the org (admins hold all).

	virtual std::set<Poco::Int64> membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds) = 0;
	/// The ids among userIds that belong to the org as members (kind
	/// "member", not external users); unknown ids are left out.

	virtual Poco::Int64 nowMs() = 0;
	/// Milliseconds since the Unix epoch.
};

} // namespace ExternalContacts
