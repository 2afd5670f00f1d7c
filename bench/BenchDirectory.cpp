#include "BenchDirectory.h"

#include <chrono>

namespace Bench
{

BenchDirectory::BenchDirectory(Poco::Int64 orgId, Poco::Int64 members) : _orgId(orgId), _members(members) {}

void BenchDirectory::grant(Poco::Int64 userId, const std::string& permission)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_grants.insert({userId, permission});
}

std::map<Poco::Int64, std::string> BenchDirectory::displayNames(const std::vector<Poco::Int64>& userIds)
{
	std::map<Poco::Int64, std::string> names;
	for (Poco::Int64 id : userIds)
	{
		if (id >= 1 && id <= _members) names[id] = "成员" + std::to_string(id);
	}
	return names;
}

int BenchDirectory::orgDefaultSecurityLevel(Poco::Int64)
{
	return 0;
}

std::string BenchDirectory::orgName(Poco::Int64 orgId)
{
	return "Bench org " + std::to_string(orgId);
}

ExternalContacts::Directory::Found BenchDirectory::findMembers(const std::string&, const std::string&, std::size_t)
{
	return Found();
}

std::optional<ExternalContacts::Directory::Profile> BenchDirectory::profileOf(Poco::Int64 userId)
{
	Profile p;
	p.displayName = "Member " + std::to_string(userId);
	return p;
}

bool BenchDirectory::hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission)
{
	if (orgId != _orgId) return false;
	std::lock_guard<std::mutex> lock(_mutex);
	return _grants.count({userId, permission}) > 0;
}

std::set<Poco::Int64> BenchDirectory::membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds)
{
	std::set<Poco::Int64> found;
	if (orgId != _orgId) return found;
	for (Poco::Int64 id : userIds)
	{
		if (id >= 1 && id <= _members) found.insert(id);
	}
	return found;
}

Poco::Int64 BenchDirectory::firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool, Poco::Int64 except)
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (orgId != _orgId) return 0;
	for (const auto& [user, name] : _grants)
		if (name == permission && user != except) return user; // the set is ordered by user id
	return 0;
}

std::vector<Poco::Int64> BenchDirectory::holdersOf(Poco::Int64 orgId, const std::string& permission)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::vector<Poco::Int64> holders;
	for (const auto& [user, name] : _grants)
		if (orgId == _orgId && name == permission) holders.push_back(user);
	return holders;
}

std::vector<ExternalContacts::Directory::MemberMatch>
BenchDirectory::searchMembers(Poco::Int64 orgId, const std::string& query, std::size_t limit)
{
	std::vector<MemberMatch> matches;
	for (Poco::Int64 id = 1; orgId == _orgId && id <= _members && matches.size() < limit; ++id)
	{
		std::string name = "成员" + std::to_string(id);
		if (name.find(query) != std::string::npos) matches.push_back({id, name, "member" + std::to_string(id)});
	}
	return matches;
}

Poco::Int64 BenchDirectory::nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
		.count();
}

} // namespace Bench
