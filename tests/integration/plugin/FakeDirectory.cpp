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

std::string FakeDirectory::orgName(Poco::Int64 orgId)
{
	return "组织 " + std::to_string(orgId);
}

void FakeDirectory::setProfile(Poco::Int64 userId, const Profile& profile, bool discoverable)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_profiles[userId] = profile;
	_users[userId] = profile.displayName;
	if (discoverable)
		_hidden.erase(userId);
	else
		_hidden.insert(userId);
}

std::optional<ExternalContacts::Directory::Profile> FakeDirectory::profileOf(Poco::Int64 userId)
{
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _profiles.find(userId);
	if (it != _profiles.end()) return it->second;
	auto user = _users.find(userId);
	if (user == _users.end()) return std::nullopt;
	Profile p;
	p.displayName = user->second;
	return p;
}

ExternalContacts::Directory::Found FakeDirectory::findMembers(const std::string& orgName, const std::string& query,
															  std::size_t limit)
{
	Found found;
	Poco::Int64 orgId = 0;
	for (Poco::Int64 candidate = 1; candidate <= 10 && !orgId; ++candidate)
		if (this->orgName(candidate) == orgName) orgId = candidate;
	if (!orgId) return found;
	found.orgId = orgId;
	found.orgName = orgName;
	auto digits = [](const std::string& text)
	{
		std::string d;
		for (char c : text)
			if (c >= '0' && c <= '9') d += c;
		return d;
	};
	std::lock_guard<std::mutex> lock(_mutex);
	for (const auto& member : _members)
	{
		if (member.first != orgId || _hidden.count(member.second) || found.items.size() >= limit) continue;
		Profile p =
			_profiles.count(member.second) ? _profiles[member.second] : Profile{_users[member.second], "", "", ""};
		bool hit = query.find('@') != std::string::npos ? p.email == query
				   : !digits(query).empty() && digits(query).size() == query.size()
					   ? digits(p.mobile) == query
					   : p.displayName.rfind(query, 0) == 0;
		if (!hit) continue;
		FoundMember m;
		m.userId = member.second;
		m.displayName = p.displayName;
		m.title = p.title;
		std::string mobile = digits(p.mobile);
		if (mobile.size() >= 7) m.mobileMasked = mobile.substr(0, 3) + "****" + mobile.substr(mobile.size() - 4);
		std::size_t at = p.email.find('@');
		if (at != std::string::npos && at > 0) m.emailMasked = p.email.substr(0, 1) + "***" + p.email.substr(at);
		found.items.push_back(m);
	}
	return found;
}

std::size_t FakeDirectory::permissionChecks() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _permissionChecks;
}

bool FakeDirectory::hasPermission(Poco::Int64 userId, Poco::Int64 orgId, const std::string& permission)
{
	std::lock_guard<std::mutex> lock(_mutex);
	++_permissionChecks;
	return _admins.count({orgId, userId}) > 0 || _grants.count({userId, orgId, permission}) > 0;
}

void FakeDirectory::makeAdmin(Poco::Int64 orgId, Poco::Int64 userId)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_members.insert({orgId, userId});
	_admins.insert({orgId, userId});
}

void FakeDirectory::removeMember(Poco::Int64 orgId, Poco::Int64 userId)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_members.erase({orgId, userId});
	_admins.erase({orgId, userId});
	for (auto it = _grants.begin(); it != _grants.end();)
		it = (std::get<0>(*it) == userId && std::get<1>(*it) == orgId) ? _grants.erase(it) : std::next(it);
}

Poco::Int64 FakeDirectory::firstHolderOf(Poco::Int64 orgId, const std::string& permission, bool includeAdmins,
										 Poco::Int64 except)
{
	std::lock_guard<std::mutex> lock(_mutex);
	Poco::Int64 first = 0;
	for (const auto& [org, user] : _members)
	{
		if (org != orgId || user == except) continue;
		bool holds = _grants.count({user, orgId, permission}) || (includeAdmins && _admins.count({orgId, user}));
		if (holds && (first == 0 || user < first)) first = user;
	}
	return first;
}

std::vector<Poco::Int64> FakeDirectory::holdersOf(Poco::Int64 orgId, const std::string& permission)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::vector<Poco::Int64> holders;
	for (const auto& [org, user] : _members)
		if (org == orgId && (_admins.count({orgId, user}) || _grants.count({user, orgId, permission})))
			holders.push_back(user);
	return holders; // _members is ordered by (org, user)
}

std::vector<ExternalContacts::Directory::MemberMatch>
FakeDirectory::searchMembers(Poco::Int64 orgId, const std::string& query, std::size_t limit)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::vector<MemberMatch> matches;
	for (const auto& [org, user] : _members)
	{
		if (org != orgId || matches.size() >= limit) continue;
		auto it = _users.find(user);
		std::string name = it == _users.end() ? std::string() : it->second;
		if (name.find(query) != std::string::npos) matches.push_back({user, name, "user" + std::to_string(user)});
	}
	return matches;
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
