#pragma once

#include "Database.h"
#include <Poco/Nullable.h>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace RefHost
{

struct User
{
	Poco::Int64 id = 0;
	std::string login;
	std::string displayName;
	std::string status; // active | pending | disabled
	std::string email;
	std::string mobile;
	std::string title;
	std::string locale;
	std::string passwordHash;
	bool discoverable = true; // members of other orgs may find the user (members.find)
};

struct Org
{
	Poco::Int64 id = 0;
	std::string name;
	int defaultSecurityLevel = 0;
};

struct Membership
{
	Poco::Int64 orgId = 0;
	std::string orgName;
	Poco::Int64 userId = 0;
	std::string kind; // member | external
	bool isAdmin = false;
	int securityLevel = 0;
};

class Directory
/// Users, organizations, memberships and named permissions of the host.
/// Every method opens its own session; methods taking a Session run in
/// the caller's transaction.
{
public:
	explicit Directory(Database& db);

	Poco::Int64 createOrg(const std::string& name);
	/// Throws Poco::ExistsException when the name is taken.

	Poco::Int64 createUser(const std::string& login, const std::string& displayName, const std::string& password,
						   const std::string& status = "active");
	/// password may be empty for a pending account. The login is stored
	/// normalized and must match [a-z0-9][a-z0-9._@-]{0,63} after that
	/// (Poco::InvalidArgumentException otherwise). Throws
	/// Poco::ExistsException when the login is taken.

	static std::string normalizeLogin(const std::string& login);
	/// Trimmed, ASCII letters lower-cased; logins compare byte for byte
	/// after this, so look-alike letters never match another login.

	void addMembership(Poco::Int64 orgId, Poco::Int64 userId, const std::string& kind, bool isAdmin, int securityLevel);

	bool removeMembership(Poco::Int64 orgId, Poco::Int64 userId);
	/// Ends the user's membership in the org (with its permissions and
	/// the user's sessions in that org); false when there was none.

	bool removeExternalMembership(Poco::Int64 orgId, Poco::Int64 userId);
	/// removeMembership for an external membership only: false (and
	/// nothing changed) unless the user is an external member of the org.

	void grantPermission(Poco::Int64 orgId, Poco::Int64 userId, const std::string& permission);

	bool revokePermission(Poco::Int64 orgId, Poco::Int64 userId, const std::string& permission);
	/// False when the user did not hold permission explicitly in the org.

	static const std::vector<std::string>& grantablePermissions();
	/// The named permissions the back office grants and revokes
	/// (external_contacts.maintain); others exist only through the CLI.

	std::set<Poco::Int64> holdersAmong(Poco::Int64 orgId, const std::string& permission,
									   const std::vector<Poco::Int64>& userIds);
	/// The ids among userIds (at most 1000) who hold permission
	/// explicitly in the org (admins only when granted it too).

	std::optional<User> userByLogin(const std::string& login);
	std::optional<User> userById(Poco::Int64 id);
	std::vector<User> usersByIds(const std::vector<Poco::Int64>& ids);
	/// Unknown ids are left out; at most 1000 ids per call.

	std::vector<std::pair<Poco::Int64, std::string>> displayNamesByIds(const std::vector<Poco::Int64>& ids);
	/// (id, display name) of each known id, ordered by id: usersByIds with
	/// nothing but the name (the plugins' "users.names"). At most 1000 ids.

	std::optional<Org> orgById(Poco::Int64 id);
	std::optional<Org> orgByName(const std::string& name);
	std::vector<Membership> membershipsOfUser(Poco::Int64 userId);
	std::optional<Membership> membership(Poco::Int64 orgId, Poco::Int64 userId);

	struct MemberPage
	{
		std::vector<std::pair<Membership, User>> items;
		Poco::Int64 nextAfterId = 0; // 0 when there is no next page
	};
	MemberPage membersOfOrg(Poco::Int64 orgId, Poco::Int64 afterUserId, int limit);
	/// Keyset page over (org_id, user_id).

	MemberPage membersByNamePrefix(Poco::Int64 orgId, const std::string& prefix, Poco::Int64 afterUserId, int limit);
	/// Keyset page over (display name, user id) of the org's memberships
	/// of either kind whose display name starts with prefix (trimmed,
	/// 1..64 characters; ASCII letters match either case, % and _
	/// literal), read through users_display_name with one primary-key
	/// probe of memberships per candidate. afterUserId is the last user
	/// of the previous page (0 for the first). Poco::
	/// InvalidArgumentException on a bad prefix or limit, Poco::
	/// NotFoundException when afterUserId names no user.

	MemberPage holdersOfPermission(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
								   Poco::Int64 afterUserId, int limit);
	/// Keyset page over user id of the org's members (kind member) who
	/// hold permission explicitly, and with includeAdmins also of its
	/// admins (who hold every permission).

	MemberPage searchMembers(Poco::Int64 orgId, const std::string& query, Poco::Int64 afterUserId, int limit);
	/// Keyset page over user id of the org's active members (kind
	/// member) whose display name or login contains query (trimmed,
	/// 1..64 characters; ASCII letters match either case). Poco::
	/// InvalidArgumentException on a bad query or limit.

	struct FoundMember
	{
		Poco::Int64 userId = 0;
		std::string displayName;
		std::string title;
		std::string mobileMasked;
		std::string emailMasked;
	};

	struct FindResult
	{
		std::optional<Org> org; // empty when no org has that name
		std::vector<FoundMember> items;
	};

	FindResult findMembers(const std::string& orgName, const std::string& query, int limit);
	/// People of another org (R5.1): the org is found by its exact name
	/// (trimmed). query (trimmed, 1..64 characters) with an '@' matches
	/// an email exactly (ASCII case-insensitive); a mobile number
	/// (optional +, 6..20 digits, spaces and dashes ignored) matches a
	/// mobile exactly; anything else is a display-name prefix (ASCII
	/// case-insensitive, % and _ literal). Only active, discoverable
	/// members of kind member; ordered by display name, then id; at most
	/// limit (1..20). Contact data only masked. Poco::
	/// InvalidArgumentException naming orgName, q or limit otherwise.

	struct FindStatement
	/// The statement findMembers runs: sql takes (orgId, key, limit).
	{
		std::string sql;
		std::string key; /// bound after orgId
	};

	FindStatement findStatement(const std::string& query) const;
	/// The statement findMembers runs for query (trimmed and valid), so
	/// that tests can read its plan.

	static std::string maskMobile(const std::string& mobile);
	/// 11 digits or more: the first 3 and the last 4 digits
	/// (138****8000), shorter: the first and the last digit (1****9);
	/// a leading + stays. "" stays "".

	static std::string maskEmail(const std::string& email);
	/// The first character of the local part and the domain
	/// (z***@example.com). "" stays "".

	static std::string emailKey(const std::string& email);
	/// The email with ASCII letters lower-cased: what users.email_key
	/// holds and members.find compares.

	bool hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission);
	/// Admins of the org hold every permission; external members none.

	std::vector<std::string> permissionsOf(Poco::Int64 userId, Poco::Int64 orgId);

	void setDefaultSecurityLevel(Poco::Int64 orgId, int level);
	/// Throws Poco::InvalidArgumentException outside -999..0.

	void setUserStatus(Poco::Int64 userId, const std::string& status);
	void setPassword(Poco::Int64 userId, const std::string& password);

private:
	template <typename T> std::optional<Org> orgWhere(const char* column, const T& value);
	/// column is one of the fixed names used above, never caller input.

	Database& _db;
};

} // namespace RefHost
