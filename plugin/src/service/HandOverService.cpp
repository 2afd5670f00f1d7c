#include "service/HandOverService.h"

#include "domain/AccessPolicy.h"
#include "domain/ContactSnapshot.h"
#include "service/GroupMaintainerService.h"
#include <algorithm>
#include <set>

namespace ExternalContacts
{

const std::string HandOverService::AUDIT_HAND_OVER("contact.handover");
const std::string HandOverService::NOTICE_TYPE("external-contacts.handover");

class HandOverService::Holders
/// Who takes the contacts of each group, asked once per group and once
/// for the org during one hand-over.
{
public:
	Holders(ServiceContext& context, GroupMaintainerStore& maintainers, Poco::Int64 orgId, Poco::Int64 leaverId,
			Poco::Int64 successorId) :
		_context(context),
		_maintainers(maintainers), _orgId(orgId), _leaverId(leaverId), _successorId(successorId)
	{
	}

	Poco::Int64 forGroup(Poco::Data::Session& session, const std::string& group)
	{
		if (_successorId != 0) return _successorId;
		auto found = _byGroup.find(group);
		if (found != _byGroup.end()) return found->second;
		std::vector<Poco::Int64> maintainers = _maintainers.maintainers(session, _orgId, group);
		maintainers.erase(std::remove(maintainers.begin(), maintainers.end(), _leaverId), maintainers.end());
		Poco::Int64 holder = 0;
		if (!maintainers.empty())
		{
			// The table can name members who left before hand-overs existed.
			std::set<Poco::Int64> members = _context.directory.membersAmong(_orgId, maintainers);
			if (!members.empty()) holder = *members.begin();
		}
		if (holder == 0) holder = forOrg();
		_byGroup[group] = holder;
		return holder;
	}

	Poco::Int64 forOrg()
	{
		if (_successorId != 0) return _successorId;
		if (!_orgAsked)
		{
			// The leaver never counts, whether the host ended the membership
			// yet (hand-over) or not (preview).
			Directory& directory = _context.directory;
			_org = directory.firstHolderOf(_orgId, AccessPolicy::MAINTAIN_PERMISSION, false, _leaverId);
			if (_org == 0) _org = directory.firstHolderOf(_orgId, AccessPolicy::MAINTAIN_PERMISSION, true, _leaverId);
			_orgAsked = true;
		}
		return _org;
	}

private:
	ServiceContext& _context;
	GroupMaintainerStore& _maintainers;
	Poco::Int64 _orgId;
	Poco::Int64 _leaverId;
	Poco::Int64 _successorId; /// 0: the rule decides
	std::map<std::string, Poco::Int64> _byGroup;
	bool _orgAsked = false;
	Poco::Int64 _org = 0;
};

HandOverService::HandOverService(ServiceContext& context, Notifier& notifier) :
	_context(context), _contactStore(context.database), _notifier(notifier), _holders(context)
{
}

HandOverService::Result HandOverService::memberLeft(Poco::Int64 orgId, Poco::Int64 leaverId, Poco::Int64 byUserId,
													const std::string& remoteAddr, Poco::Int64 successorId)
{
	Actor actor;
	actor.userId = byUserId;
	actor.orgId = orgId;
	actor.kind = Actor::Kind::Member;
	Result result;
	if (successorId != 0 && !mayReceive(orgId, leaverId, successorId))
	{
		successorId = 0;
		result.successorIgnored = true;
	}
	leaveGroups(actor, leaverId, remoteAddr, result);
	handOverContacts(actor, leaverId, successorId, remoteAddr, result);
	unshareAll(actor, leaverId, remoteAddr, result);
	notifyHolders(orgId, leaverId, result);
	return result;
}

void HandOverService::leaveGroups(const Actor& actor, Poco::Int64 leaverId, const std::string& remoteAddr,
								  Result& result)
{
	Poco::Int64 now = _context.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			GroupMaintainerStore& store = _maintainers;
			for (const std::string& group : store.groupsOf(s, actor.orgId, leaverId))
			{
				std::vector<Poco::Int64> before = store.maintainers(s, actor.orgId, group);
				std::vector<Poco::Int64> after = before;
				after.erase(std::remove(after.begin(), after.end(), leaverId), after.end());
				store.replace(s, actor.orgId, group, after);
				AuditEntry entry = AuditEntry::of(actor.orgId, std::nullopt, actor.userId,
												  GroupMaintainerService::AUDIT_GROUP_MAINTAINERS, now, remoteAddr);
				entry.beforeJson = GroupMaintainerService::snapshot(group, before);
				entry.afterJson = GroupMaintainerService::snapshot(group, after);
				_context.audit.append(s, entry);
				++result.groupsLeft;
			}
		});
}

bool HandOverService::mayReceive(Poco::Int64 orgId, Poco::Int64 leaverId, Poco::Int64 successorId)
{
	return successorId > 0 && successorId != leaverId &&
		   _context.directory.membersAmong(orgId, {successorId}).count(successorId) > 0;
}

HandOverService::Preview HandOverService::preview(Poco::Int64 orgId, Poco::Int64 leaverId, Poco::Int64 successorId)
{
	// The receivers come from Holders as in handOverContacts: the rule (or
	// the successor) is the same object, only nothing moves.
	Holders holders(_context, _maintainers, orgId, leaverId, successorId);
	Preview preview;
	Poco::Data::Session s = _context.database.session();
	for (const auto& [group, count] : _store.countByGroup(s, orgId, leaverId))
	{
		PreviewRow row;
		row.group = group;
		row.count = static_cast<std::size_t>(count);
		// 0 without maintainers nor an org-wide holder: handOverContacts
		// then leaves the group's contacts with the leaver.
		row.receiverId = holders.forGroup(s, group);
		if (row.receiverId != 0)
			preview.received[row.receiverId] += row.count;
		else
			preview.kept += row.count;
		preview.groups.push_back(row);
	}
	std::vector<Poco::Int64> receivers;
	for (const auto& entry : preview.received)
		receivers.push_back(entry.first);
	if (!receivers.empty()) preview.names = _context.directory.displayNames(receivers);
	return preview;
}

void HandOverService::handOverContacts(const Actor& actor, Poco::Int64 leaverId, Poco::Int64 successorId,
									   const std::string& remoteAddr, Result& result)
{
	Holders holders(_context, _maintainers, actor.orgId, leaverId, successorId);
	if (holders.forOrg() != 0)
	{
		// Everyone's contacts find a holder: walk the leaver's whole range.
		while (moveBatch(actor, leaverId, std::nullopt, holders, remoteAddr, result))
		{
		}
		return;
	}
	// No maintain-holder and no admin: only the groups with maintainers can
	// take contacts, the rest stays with the leaver.
	std::optional<std::string> after;
	for (;;)
	{
		std::vector<GroupMaintainers> groups;
		{
			Poco::Data::Session s = _context.database.session();
			groups = _maintainers.page(s, actor.orgId, after, GroupMaintainerService::LIMIT_MAX);
		}
		for (const GroupMaintainers& g : groups)
			while (moveBatch(actor, leaverId, g.group, holders, remoteAddr, result))
			{
			}
		if (groups.size() < GroupMaintainerService::LIMIT_MAX) break;
		after = groups.back().group;
	}
	Poco::Data::Session s = _context.database.session();
	result.kept = static_cast<std::size_t>(_store.countAddedBy(s, actor.orgId, leaverId));
}

bool HandOverService::moveBatch(const Actor& actor, Poco::Int64 leaverId, const std::optional<std::string>& group,
								Holders& holders, const std::string& remoteAddr, Result& result)
{
	// Who takes each contact is decided outside the write transaction: it
	// may ask the host directory.
	std::map<Poco::Int64, std::vector<Poco::Int64>> moves; // holder → contacts
	std::size_t read = 0;
	{
		Poco::Data::Session s = _context.database.session();
		for (const HandOverStore::Held& held : _store.addedBy(s, actor.orgId, leaverId, group, BATCH))
		{
			Poco::Int64 holder = holders.forGroup(s, held.groupName);
			if (holder == 0) return false; // only when walking one group: it has no one left
			moves[holder].push_back(held.id);
			++read;
		}
	}
	if (read == 0) return false;
	Poco::Int64 now = _context.nowMs();
	std::map<Poco::Int64, std::size_t> received;
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			received.clear();
			// A contact edited away or deleted meanwhile left the range.
			for (const auto& [holder, contactIds] : moves)
			{
				std::size_t n =
					_holders.move(s, actor, contactIds, leaverId, holder, AUDIT_HAND_OVER, now, remoteAddr).size();
				if (n > 0) received[holder] = n;
			}
		});
	for (const auto& [holder, count] : received)
	{
		result.received[holder] += count;
		result.handedOver += count;
	}
	// Every row read has left the range (moved, or changed by someone else).
	return read == BATCH;
}

void HandOverService::unshareAll(const Actor& actor, Poco::Int64 leaverId, const std::string& remoteAddr,
								 Result& result)
{
	for (;;)
	{
		std::size_t removed = 0;
		Poco::Int64 now = _context.nowMs();
		_context.database.write(
			[&](Poco::Data::Session& s)
			{
				removed = 0;
				for (Poco::Int64 contactId : _store.sharedWith(s, actor.orgId, leaverId, BATCH))
				{
					std::vector<Poco::Int64> before = _contactStore.shareMembers(s, contactId);
					_store.unshare(s, contactId, leaverId);
					std::vector<Poco::Int64> after = before;
					after.erase(std::remove(after.begin(), after.end(), leaverId), after.end());
					AuditEntry entry =
						AuditEntry::of(actor.orgId, contactId, actor.userId, "contact.shares", now, remoteAddr);
					entry.beforeJson = ContactSnapshot::membersJson("shares", before);
					entry.afterJson = ContactSnapshot::membersJson("shares", after);
					_context.audit.append(s, entry);
					++removed;
				}
			});
		result.unshared += removed;
		if (removed < BATCH) return;
	}
}

void HandOverService::notifyHolders(Poco::Int64 orgId, Poco::Int64 leaverId, Result& result)
{
	if (result.received.empty()) return;
	try
	{
		std::map<Poco::Int64, std::string> names = _context.directory.displayNames({leaverId});
		std::string leaver = names.count(leaverId) ? names[leaverId] : "#" + std::to_string(leaverId);
		for (const auto& [holder, count] : result.received)
		{
			Notifier::Notice notice;
			notice.orgId = orgId;
			notice.userIds = {holder};
			notice.type = NOTICE_TYPE;
			notice.title = {"外部联系人已转交给你", "External contacts handed over to you"};
			std::string n = std::to_string(count);
			notice.body = {leaver + " 已离开组织，其添加的 " + n + " 位外部联系人已转交给你。",
						   leaver + " left the organization; " + n +
							   (count == 1 ? " external contact" : " external contacts") + " they added " +
							   (count == 1 ? "was" : "were") + " handed over to you."};
			notice.groupKey = "handover:" + std::to_string(orgId) + ":" + std::to_string(leaverId);
			_notifier.notify(notice);
		}
	}
	catch (const std::exception& e)
	{
		result.notifyError = e.what();
	}
}

} // namespace ExternalContacts
