#pragma once

#include <Poco/Types.h>
#include <map>
#include <optional>
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
	/// The display names of the users that exist among userIds, in as few
	/// look-ups as the host allows (one for up to 1,000 ids); unknown ids
	/// are left out.

	virtual int orgDefaultSecurityLevel(Poco::Int64 orgId) = 0;
	/// The security level new contacts of the org start with (-999..0).

	virtual std::string orgName(Poco::Int64 orgId) = 0;
	/// The org's display name ("" for an org the host does not know).

	virtual bool hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission) = 0;
	/// True when the user holds permission in the org (admins hold all).

	virtual std::set<Poco::Int64> membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds) = 0;
	/// The ids among userIds that belong to the org as members (kind
	/// "member", not external users); unknown ids are left out.

	virtual Poco::Int64 firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
									  Poco::Int64 except = 0) = 0;
	/// The member (kind member) with the lowest user id who holds
	/// permission explicitly in the org, or with includeAdmins who is an
	/// admin there; 0 when there is none. The member except (e.g. one
	/// about to leave) never counts.

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

	struct FoundMember
	/// A member of another org as a search shows them: nothing more than is
	/// needed to pick the right person (R5.2).
	{
		Poco::Int64 userId = 0;
		std::string displayName;
		std::string title;
		std::string mobileMasked;
		std::string emailMasked;
	};

	struct Found
	{
		Poco::Int64 orgId = 0; /// 0 when no org has that name
		std::string orgName;
		std::vector<FoundMember> items;
	};

	virtual Found findMembers(const std::string& orgName, const std::string& query, std::size_t limit) = 0;
	/// Members (kind member, discoverable) of the org named exactly orgName
	/// whose email or mobile is query, or whose display name starts with it
	/// (host op members.find). Throws HostSdk::Error (HOSTSDK_E_INVALID) on a
	/// bad query.

	struct Profile
	{
		std::string displayName;
		std::string title;
		std::string email;
		std::string mobile;
	};

	virtual std::optional<Profile> profileOf(Poco::Int64 userId) = 0;
	/// The user's own profile (user.get), or nothing for an unknown user.

	virtual Poco::Int64 nowMs() = 0;
	/// Milliseconds since the Unix epoch.
};

} // namespace ExternalContacts
