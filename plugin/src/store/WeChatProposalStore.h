#pragma once

#include "domain/WeChatProposal.h"
#include "store/Database.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <optional>

namespace ExternalContacts
{

class WeChatProposalStore
/// ec_wechat_proposals. Every method works in the session it is given, so
/// the service decides the transaction.
{
public:
	explicit WeChatProposalStore(Database& database);

	bool lockContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId);
	/// Locks the live contact's row until the transaction ends (MySQL: FOR
	/// UPDATE; SQLite's write transaction excludes other writers anyway), so
	/// that proposals for it are written one transaction after the other.
	/// False when the contact is gone (deleted).

	std::optional<WeChatProposal> replacePending(Poco::Data::Session& session, Poco::Int64 contactId,
												 Poco::Int64 nowMs);
	/// Settles the contact's pending proposal, if any, as replaced (or as
	/// expired when it lapsed already) to make room for a newer one; returns
	/// it as it was. Reads the latest committed row and locks it (MySQL: FOR
	/// UPDATE), so a proposal a confirm settled meanwhile is left alone and
	/// one another transaction committed meanwhile is the one replaced. The
	/// settled row keeps no openid / unionid / nickname / avatar.

	Poco::Int64 insert(Poco::Data::Session& session, const WeChatProposal& proposal);
	/// Stores a pending proposal (status and decision are ignored); the
	/// contact must have none pending (the unique index refuses a second).

	std::optional<WeChatProposal> find(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id,
									   bool latest = false);
	/// The proposal id of org. latest: as last committed, also inside a
	/// MariaDB transaction whose snapshot is older (a locking read), to tell
	/// the loser of two decisions how the winner decided.

	std::optional<WeChatProposal> pendingOf(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
											Poco::Int64 nowMs);
	/// The contact's pending proposal that has not lapsed.

	bool settle(Poco::Data::Session& session, Poco::Int64 id, WeChatProposal::Status status, Poco::Int64 by,
				Poco::Int64 nowMs);
	/// The one conditional UPDATE that decides a proposal: only while it is
	/// pending and not lapsed. False when another decision, a newer proposal
	/// or the expiry came first: nothing changed.
	/// The settled row keeps no openid / unionid / nickname / avatar (the
	/// caller read them before, to bind or audit).

private:
	WeChatProposal readRow(const Poco::Data::RecordSet& rows, std::size_t row) const;

	Database& _database;
};

} // namespace ExternalContacts
