#pragma once

#include "service/Directory.h"
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class HostDirectory : public Directory
/// Directory answered by the host through the SDK (users.names or
/// users.get, org.get,
/// the permission check and the host's clock).
{
public:
	static constexpr std::size_t USERS_GET_MAX = 1000; /// ids the host takes in one users.names / users.get

	explicit HostDirectory(const HostSdk::HostApi& host);

	std::map<Poco::Int64, std::string> displayNames(const std::vector<Poco::Int64>& userIds) override;
	int orgDefaultSecurityLevel(Poco::Int64 orgId) override;
	std::string orgName(Poco::Int64 orgId) override;
	/// org.get; "" when the host does not know the org.
	bool hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission) override;
	std::set<Poco::Int64> membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds) override;
	/// One member.is_member call per distinct id.
	Poco::Int64 firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
							  Poco::Int64 except = 0) override;
	/// members.with_permission, two rows at most.
	std::vector<Poco::Int64> holdersOf(Poco::Int64 orgId, const std::string& permission) override;
	/// members.with_permission, page by page.
	std::vector<MemberMatch> searchMembers(Poco::Int64 orgId, const std::string& query, std::size_t limit) override;
	/// members.search, the first page.
	Found findMembers(const std::string& orgName, const std::string& query, std::size_t limit) override;
	/// members.find.
	std::optional<Profile> profileOf(Poco::Int64 userId) override;
	/// user.get.
	Poco::Int64 nowMs() override;

private:
	std::vector<Poco::Int64> holdersPage(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
										 Poco::Int64& afterUserId, int limit);
	/// One members.with_permission page; afterUserId becomes the next
	/// page's start (0 after the last).

	HostSdk::HostApi _host;
};

} // namespace ExternalContacts
