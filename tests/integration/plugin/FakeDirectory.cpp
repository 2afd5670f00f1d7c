#include "FakeDirectory.h"

void FakeDirectory::addUser(Poco::Int64 id, const std::string& displayName)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_users[id] = displayName;
}

void FakeDirectory::setOrgDefaultSecurityLevel(Poco::Int64 orgId, int level)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_levels[orgId] = level;
}

void FakeDirectory::grant(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_grants.insert({userId, orgId, permission});
}

std::map<Poco::Int64, std::string> FakeDirectory::displayNames(const std::vector<Poco::Int64>& userIds)
{
	++_displayNameCalls;
	std::lock_guard<std::mutex> lock(_mutex);
	std::map<Poco::Int64, std::string> names;
	for (Poco::Int64 id : userIds)
	{
		auto it = _users.find(id);
		if (it != _users.end()) names[id] = it->second;
	}
	return names;
}

int FakeDirectory::orgDefaultSecurityLevel(Poco::Int64 orgId)
{
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _levels.find(orgId);
	return it == _levels.end() ? 0 : it->second;
}

bool FakeDirectory::hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission)
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _grants.count({userId, orgId, permission}) > 0;
}

Poco::Int64 FakeDirectory::nowMs()
{
	return ++_now;
}

void FakeDirectory::addMember(Poco::Int64 orgId, Poco::Int64 userId)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_members.insert({orgId, userId});
}

std::set<Poco::Int64> FakeDirectory::membersAmong(Poco::Int64 orgId, const std::vector<Poco::Int64>& userIds)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::set<Poco::Int64> found;
	for (Poco::Int64 id : userIds)
		if (_members.count({orgId, id})) found.insert(id);
	return found;
}
