#pragma once

#include "service/HolderChange.h"
#include "service/Notifier.h"
#include "service/ServiceContext.h"
#include "store/ContactStore.h"
#include "store/GroupMaintainerStore.h"
#include "store/HandOverStore.h"
#include <map>
#include <optional>
#include <string>

namespace ExternalContacts
{

class HandOverService
/// R9: when a member leaves the org, the live contacts they added pass to
/// a new holder, who becomes the contact's adder (and takes the leaver's
/// place on its visible-members list):
///
///   1. the maintainer of the contact's group with the lowest member id
///      among those still in the org, else
///   2. the holder of external_contacts.maintain with the lowest member id,
///      else the admin with the lowest member id;
///
/// or, when the admin who removes the member chose a successor, that
/// member for every contact. preview() tells the same before the member
/// leaves, from the same rule and without writing anything.
///
/// Each move (HolderChange, the rule 在职继承 shares) bumps the contact's
/// version and appends a "contact.handover" audit row (actor: whoever removed the member; before/after: addedBy and
/// visibleMembers). The leaver is also taken off share lists
/// ("contact.shares" rows) and off the group maintainers
/// ("group.maintainers" rows). Every new holder gets one notification
/// naming the leaver and how many contacts they received.
///
/// Work is done in batches of BATCH contacts, one transaction each, so a
/// member with many contacts never holds the write lock for long; running
/// it again after a failure continues where it stopped. Thread-safe.
{
public:
	static const std::string AUDIT_HAND_OVER; /// "contact.handover"
	static const std::string NOTICE_TYPE;     /// "external-contacts.handover"
	static constexpr std::size_t BATCH = 200;

	struct Result
	{
		std::map<Poco::Int64, std::size_t> received; /// new holder → contacts received
		std::size_t handedOver = 0;                  /// contacts that changed holder
		std::size_t kept = 0;                        /// contacts left with the leaver: the org has no one to take them
		std::size_t unshared = 0;                    /// share rows naming the leaver that were removed
		std::size_t groupsLeft = 0;                  /// groups the leaver no longer maintains
		std::string notifyError;                     /// why the notifications failed; empty when they were sent
		bool successorIgnored = false;               /// the chosen successor was no member any more: the rule decided
	};

	struct PreviewRow
	/// The leaver's contacts of one group and who would receive them.
	{
		std::string group; /// "" for 未分组
		std::size_t count = 0;
		Poco::Int64 receiverId = 0; /// 0: nobody, they stay with the leaver
	};

	struct Preview
	{
		std::vector<PreviewRow> groups;              /// named groups in index order, 未分组 last
		std::map<Poco::Int64, std::size_t> received; /// receiver → contacts, as Result::received would be
		std::size_t kept = 0;                        /// as Result::kept would be
		std::map<Poco::Int64, std::string> names;    /// the receivers' display names
	};

	HandOverService(ServiceContext& context, Notifier& notifier);

	Result memberLeft(Poco::Int64 orgId, Poco::Int64 leaverId, Poco::Int64 byUserId, const std::string& remoteAddr,
					  Poco::Int64 successorId = 0);
	/// Hands over what leaverId held in orgId; call it after the host ended
	/// the membership (the leaver must no longer count as a member). With
	/// successorId (mayReceive), every contact goes to that member; one who
	/// no longer may is ignored (Result::successorIgnored) and the rule
	/// decides.
	/// Throws what the database or the host directory throw. A failed
	/// notification is not thrown (the moves are stored by then): it is
	/// reported in Result::notifyError for the caller to log.

	Preview preview(Poco::Int64 orgId, Poco::Int64 leaverId, Poco::Int64 successorId = 0);
	/// What memberLeft would move if leaverId left now, still a member or
	/// not: the same receivers (the leaver never counts), nothing written,
	/// nobody notified. Share and maintainer lists are not part of it.

	bool mayReceive(Poco::Int64 orgId, Poco::Int64 leaverId, Poco::Int64 successorId);
	/// True when successorId is a member (kind member) of the org other
	/// than the leaver.

private:
	class Holders;

	void leaveGroups(const Actor& actor, Poco::Int64 leaverId, const std::string& remoteAddr, Result& result);
	void handOverContacts(const Actor& actor, Poco::Int64 leaverId, Poco::Int64 successorId,
						  const std::string& remoteAddr, Result& result);
	bool moveBatch(const Actor& actor, Poco::Int64 leaverId, const std::optional<std::string>& group, Holders& holders,
				   const std::string& remoteAddr, Result& result);
	/// Moves up to BATCH of the leaver's contacts (of group, when given) in
	/// one transaction; true when there may be more.
	void unshareAll(const Actor& actor, Poco::Int64 leaverId, const std::string& remoteAddr, Result& result);
	void notifyHolders(Poco::Int64 orgId, Poco::Int64 leaverId, Result& result);

	ServiceContext& _context;
	ContactStore _contactStore;
	GroupMaintainerStore _maintainers;
	Notifier& _notifier;
	HandOverStore _store;
	HolderChange _holders; /// the move of one contact, shared with 在职继承
};

} // namespace ExternalContacts
