#pragma once

#include "service/ContactService.h"
#include "service/Notifier.h"
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
///      else the admin with the lowest member id.
///
/// Each move bumps the contact's version and appends a "contact.handover"
/// audit row (actor: whoever removed the member; before/after: addedBy and
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
	};

	HandOverService(ContactService& contacts, Notifier& notifier);

	Result memberLeft(Poco::Int64 orgId, Poco::Int64 leaverId, Poco::Int64 byUserId, const std::string& remoteAddr);
	/// Hands over what leaverId held in orgId; call it after the host ended
	/// the membership (the leaver must no longer count as a member).
	/// Throws what the database or the host directory throw. A failed
	/// notification is not thrown (the moves are stored by then): it is
	/// reported in Result::notifyError for the caller to log.

private:
	class Holders;

	void leaveGroups(const Actor& actor, Poco::Int64 leaverId, const std::string& remoteAddr, Result& result);
	void handOverContacts(const Actor& actor, Poco::Int64 leaverId, const std::string& remoteAddr, Result& result);
	bool moveBatch(const Actor& actor, Poco::Int64 leaverId, const std::optional<std::string>& group, Holders& holders,
				   const std::string& remoteAddr, Result& result);
	/// Moves up to BATCH of the leaver's contacts (of group, when given) in
	/// one transaction; true when there may be more.
	void unshareAll(const Actor& actor, Poco::Int64 leaverId, const std::string& remoteAddr, Result& result);
	void notifyHolders(Poco::Int64 orgId, Poco::Int64 leaverId, Result& result);

	ContactService& _contacts;
	Notifier& _notifier;
	HandOverStore _store;
};

} // namespace ExternalContacts
