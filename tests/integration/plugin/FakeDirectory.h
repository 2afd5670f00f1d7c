#pragma once

#include "service/Directory.h"
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

class FakeDirectory : public ExternalContacts::Directory
/// A stand-in for the host's directory: users, org defaults and
/// permissions the test sets, and a clock that ticks 1 ms per call.
{
public:
	void addUser(Poco::Int64 id, const std::string& displayName);
	void setOrgDefaultSecurityLevel(Poco::Int64 orgId, int level);
	void addMember(Poco::Int64 orgId, Poco::Int64 userId);
	/// Makes userId a member (kind member) of org.
	void grant(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission);
	void makeAdmin(Poco::Int64 orgId, Poco::Int64 userId);
	/// Makes userId a member and an admin of org (holds every permission).
	void removeMember(Poco::Int64 orgId, Poco::Int64 userId);
	/// Ends the membership with its admin role and permissions, as the host does.
	void setProfile(Poco::Int64 userId, const Profile& profile, bool discoverable = true);
	/// What user.get answers for userId (displayName also becomes the name).

	std::map<Poco::Int64, std::string> displayNames(const std::vector<Poco::Int64>& userIds) override;
	int orgDefaultSecurityLevel(Poco::Int64 orgId) override;
	std::string orgName(Poco::Int64 orgId) override;
	/// "组织 <id>".
	Found findMembers(const std::string& orgName, const std::string& query, std::size_t limit) override;
	/// As the host: exact org name, email or mobile equal, else name prefix;
	/// members of kind member who are discoverable; masked.
	std::optional<Profile> profileOf(Poco::Int64 userId) override;
	bool hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission) override;
	std::size_t permissionChecks() const;
	/// hasPermission calls so far (the host's cb_permission_check).
	std::set<Poco::Int64> membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds) override;
	Poco::Int64 firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
							  Poco::Int64 except = 0) override;
	std::vector<Poco::Int64> holdersOf(Poco::Int64 orgId, const std::string& permission) override;
	std::vector<MemberMatch> searchMembers(Poco::Int64 orgId, const std::string& query, std::size_t limit) override;
	Poco::Int64 nowMs() override;

	void advance(Poco::Int64 ms)
	/// Moves the clock forward by ms.
	{
		_now += ms;
	}

	int displayNameCallsForTest() const
	{
		return _displayNameCalls;
	}

private:
	mutable std::mutex _mutex;
	std::map<Poco::Int64, std::string> _users;
	std::map<Poco::Int64, int> _levels;
	std::set<std::pair<Poco::Int64, Poco::Int64>> _members;
	std::set<std::pair<Poco::Int64, Poco::Int64>> _admins;
	std::set<std::tuple<Poco::Int64, Poco::Int64, std::string>> _grants;
	std::size_t _permissionChecks = 0;
	std::map<Poco::Int64, Profile> _profiles;
	std::set<Poco::Int64> _hidden;
	std::atomic<Poco::Int64> _now{1700000000000};
	std::atomic<int> _displayNameCalls{0};
};
