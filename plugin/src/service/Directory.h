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

	virtual std::string orgName(Poco::Int64 orgId) = 0;
	/// The org's display name ("" for an org the host does not know).

	virtual bool hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission) = 0;
	/// True when the user holds permission in the org (admins hold all).

	virtual std::set<Poco::Int64> membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds) = 0;
	/// The ids among userIds that belong to the org as members (kind
	/// "member", not external users); unknown ids are left out.

	virtual Poco::Int64 firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool includeAdmins) = 0;
	/// The member (kind member) with the lowest user id who holds
	/// permission explicitly in the org, or with includeAdmins who is an
	/// admin there; 0 when there is none.

	static constexpr std::size_t HOLDERS_MAX = 10000;

	virtual std::vector<Poco::Int64> holdersOf(Poco::Int64 orgId, const std::string& permission) = 0;
	/// Every member (kind member) of the org who holds permission, admins
	/// included, by user id; at most HOLDERS_MAX.

	struct MemberMatch
	{
		Poco::Int64 id = 0;
		std::string displayName;
		std::string login;
	};

	virtual std::vector<MemberMatch> searchMembers(Poco::Int64 orgId, const std::string& query, std::size_t limit) = 0;
	/// Up to limit (1..100) active members (kind member) of the org whose
	/// display name or login contains query (1..64 characters), by user id.
	/// Throws HostSdk::Error (HOSTSDK_E_INVALID from the host) on a bad query.

	virtual Poco::Int64 nowMs() = 0;
	/// Milliseconds since the Unix epoch.
};

} // namespace ExternalContacts
