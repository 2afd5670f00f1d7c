#pragma once

#include "domain/Actor.h"
#include "domain/Transfer.h"
#include "service/ContactView.h"
#include "service/HolderChange.h"
#include "service/Notifier.h"
#include "service/ServiceContext.h"
#include "store/TransferStore.h"
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class TransferService
/// 在职继承 (issue 13): an admin or a maintain-holder gives contacts of one
/// member (the giver) to another (the receiver) while both stay in the
/// org: a chosen set (1..SELECTION_MAX) or all of the giver's contacts.
///
/// start() validates and stores the job; run() does the work, usually on
/// TransferWorker's thread: BATCH contacts per transaction, each moved by
/// HolderChange (the rule the hand-over uses) with a "contact.transfer"
/// audit row (actor: who started it), the progress stored in the job's row
/// in the same transaction. Nothing loads every id: all walks the giver's
/// contacts by id up to the highest one at the start, a selection is stored
/// with the job.
///
/// The job survives the process. Whoever runs it first claims a lease
/// (claimed_by / lease_until, one conditional UPDATE) and renews it in every
/// batch's transaction, so of several nodes on one database exactly one
/// works on it; a job whose lease ran out (its node died) is taken up by
/// the next node that runs it and continues after the last stored batch.
/// At the end the receiver gets one notification naming the giver and the
/// count. Thread-safe.
{
public:
	static const std::string AUDIT_TRANSFER; /// "contact.transfer"
	static const std::string NOTICE_TYPE;    /// "external-contacts.transfer"
	static constexpr std::size_t BATCH = 200;
	static constexpr std::size_t SELECTION_MAX = 1000;
	static constexpr std::size_t LIMIT_MAX = 100;
	static constexpr Poco::Int64 LEASE_MS = 30000;

	struct Request
	{
		Poco::Int64 fromUserId = 0;
		Poco::Int64 toUserId = 0;
		std::optional<std::vector<Poco::Int64>> contactIds; /// the chosen contacts, or nothing
		bool all = false;                                   /// every contact of the giver
	};

	struct Item
	/// A transfer with the people it names.
	{
		Transfer transfer;
		ContactView::Person from;
		ContactView::Person to;
		ContactView::Person by;
	};

	struct Page
	{
		std::vector<Item> items;
		std::optional<Poco::Int64> nextCursor; /// the last id of this page, when more may follow
	};

	TransferService(ServiceContext& context, Notifier& notifier, std::string node);
	/// node names this process in claimed_by (unique per instance).

	Item start(const Actor& actor, const Request& request, const std::string& remoteAddr);
	/// Stores a running transfer for run(). Throws AccessDeniedException
	/// unless actor is an admin or maintain-holder; ValidationError naming
	/// "fromUserId" / "toUserId" (not a member of the org; the same person),
	/// "contactIds" (not 1..SELECTION_MAX distinct positive ids of live
	/// contacts the giver added; neither it nor all given) or "all" (given
	/// with contactIds; the giver has no contacts);
	/// TransferRunningException when the giver's previous one still runs.

	std::optional<Item> get(const Actor& actor, Poco::Int64 id);
	/// The transfer of actor's org, or nothing. Throws AccessDeniedException
	/// as start().

	Page list(const Actor& actor, std::optional<Poco::Int64> cursor, std::size_t limit);
	/// The org's transfers, newest first, limit 1..LIMIT_MAX (ValidationError
	/// naming "limit"). Throws AccessDeniedException as start().

	struct Candidates
	/// One page of the contacts a giver holds, for choosing.
	{
		std::vector<TransferStore::Held> items;
		Poco::Int64 total = 0;                 /// all of the giver's live contacts
		std::optional<Poco::Int64> nextCursor; /// the last id of this page, when more may follow
	};

	Candidates candidates(const Actor& actor, Poco::Int64 fromUserId, std::optional<Poco::Int64> cursor,
						  std::size_t limit);
	/// The giver's live contacts by id (keyset), limit 1..LIMIT_MAX. Throws
	/// AccessDeniedException as start(), ValidationError naming
	/// "fromUserId" (not a member of the org) or "limit".

	std::size_t memberLeft(Poco::Int64 orgId, Poco::Int64 userId);
	/// Hook 100, before the hand-over: the running transfers from or to a
	/// member who left end as failed at once (what moved stays moved), so
	/// no batch gives contacts to someone the hand-over has already passed
	/// by. Answers how many ended.

	bool needsPickUp(const Transfer& transfer);
	/// True when the transfer runs but nobody holds a lease on it (its node
	/// died or stopped): run() it to take it up.

	bool run(Poco::Int64 id, const std::atomic<bool>* stop = nullptr);
	/// Claims the transfer and works on it until it is done or failed, or
	/// until *stop (then the lease is given back at once). False when it was
	/// not claimed (another node holds it, or it is no longer running).
	/// A rule failure (the receiver left the org) ends it as failed; a
	/// database that is unavailable or busy gives the lease back and throws.

	std::vector<Poco::Int64> stale();
	/// Running transfers that nobody holds (at most 100), for a node to take up.

	const std::string& node() const
	{
		return _node;
	}

	void afterBatchForTest(std::function<void(Poco::Int64 id, std::size_t batches)> hook)
	/// hook runs after each stored batch; one that throws stops run() there
	/// without ending the transfer, as a crash of the process would.
	{
		_afterBatch = std::move(hook);
	}

private:
	struct LeaseLost
	{
	};

	void requireTransferrer(const Actor& actor);
	Item named(const Transfer& transfer);
	std::size_t batch(Transfer& transfer, const Actor& actor);
	/// One batch in one transaction; answers how many contacts it dealt with (0: none left).
	void end(Transfer& transfer, Transfer::Status status, const std::optional<std::string>& error);
	/// Ends the transfer and, when contacts moved, notifies the receiver (throws what the notifier throws).

	ServiceContext& _context;
	Notifier& _notifier;
	std::string _node;
	TransferStore _store;
	HolderChange _holders;
	std::function<void(Poco::Int64, std::size_t)> _afterBatch;
};

} // namespace ExternalContacts
