#pragma once

#include "service/Directory.h"
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace Bench
{

class BenchDirectory : public ExternalContacts::Directory
/// The host's directory as the benchmark needs it: every member of the
/// generated org has a display name, chosen members hold the maintain
/// permission, and the clock is the wall clock. In memory, so the numbers
/// measure the plugin's store and service, not a host round trip.
{
public:
	BenchDirectory(Poco::Int64 orgId, Poco::Int64 members);

	void grant(Poco::Int64 userId, const std::string& permission);

	std::map<Poco::Int64, std::string> displayNames(const std::vector<Poco::Int64>& userIds) override;
	int orgDefaultSecurityLevel(Poco::Int64 orgId) override;
	std::string orgName(Poco::Int64 orgId) override;
	Found findMembers(const std::string& orgName, const std::string& query, std::size_t limit) override;
	/// Nobody: the benchmark has one org.
	std::optional<Profile> profileOf(Poco::Int64 userId) override;
	bool hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission) override;
	std::set<Poco::Int64> membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds) override;
	Poco::Int64 firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
							  Poco::Int64 except = 0) override;
	std::vector<Poco::Int64> holdersOf(Poco::Int64 orgId, const std::string& permission) override;
	std::vector<MemberMatch> searchMembers(Poco::Int64 orgId, const std::string& query, std::size_t limit) override;
	Poco::Int64 nowMs() override;

private:
	Poco::Int64 _orgId;
	Poco::Int64 _members;
	std::mutex _mutex;
	std::set<std::pair<Poco::Int64, std::string>> _grants;
};

} // namespace Bench
