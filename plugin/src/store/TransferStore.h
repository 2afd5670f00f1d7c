#pragma once

#include "domain/Transfer.h"
#include "store/Database.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class TransferStore
/// ec_transfers and ec_transfer_contacts (在职继承), and the giver's
/// contacts a transfer reads. Every method works in the session it is
/// given, so the service decides the transaction.
{
public:
	explicit TransferStore(Database& database);

	Poco::Int64 insert(Poco::Data::Session& session, const Transfer& transfer);
	/// Stores a running, unclaimed transfer; the unique running key refuses
	/// a second running one of the giver (the database throws).

	void addContacts(Poco::Data::Session& session, Poco::Int64 transferId, const std::vector<Poco::Int64>& contactIds);
	/// Stores the chosen ids (distinct) with the transfer, in multi-row INSERTs.

	std::optional<Transfer> find(Poco::Data::Session& session, Poco::Int64 id);

	std::optional<Poco::Int64> runningOf(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 fromUserId);
	/// The giver's running transfer, if any.

	std::vector<Transfer> page(Poco::Data::Session& session, Poco::Int64 orgId, std::optional<Poco::Int64> beforeId,
							   std::size_t limit);
	/// Up to limit transfers of the org with an id below beforeId (when
	/// given), newest first (ix_ec_transfers_org).

	Poco::Int64 countHeld(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 fromUserId,
						  const std::vector<Poco::Int64>& contactIds);
	/// How many of contactIds (distinct) are live contacts of the org the
	/// giver added.

	std::pair<Poco::Int64, Poco::Int64> heldRange(Poco::Data::Session& session, Poco::Int64 orgId,
												  Poco::Int64 fromUserId);
	/// The number of live contacts of the org the giver added and the
	/// highest of their ids (0, 0 for none), on ix_ec_contacts_adder_id.

	struct Held
	/// A live contact of the giver as the 在职继承 page lists it.
	{
		Poco::Int64 id = 0;
		std::string name;
		std::string company; /// "" for none
	};

	std::vector<Held> heldPage(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 fromUserId,
							   Poco::Int64 afterId, std::size_t limit);
	/// Up to limit live contacts of the org the giver added with an id
	/// above afterId, ascending (ix_ec_contacts_adder_id).

	std::vector<Poco::Int64> nextIds(Poco::Data::Session& session, const Transfer& transfer, std::size_t limit);
	/// Up to limit ids after transfer.cursorId, ascending: for all, the
	/// giver's live contacts up to maxId (ix_ec_contacts_adder_id); else the
	/// chosen ones (whatever became of them).

	bool claim(Poco::Data::Session& session, Poco::Int64 id, const std::string& node, Poco::Int64 nowMs,
			   Poco::Int64 leaseUntil);
	/// Makes node the one working on the running transfer until leaseUntil,
	/// if nobody holds it or its lease ran out before nowMs: one
	/// conditional UPDATE, so of two nodes racing only one gets it.

	std::size_t failOf(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 userId, const std::string& error,
					   Poco::Int64 at);
	/// Ends as failed every running transfer of the org from or to userId,
	/// whoever holds it: that node's next batch then finds no lease
	/// (renew() is each batch's first statement, so this waits for a batch
	/// in flight to commit). Answers how many it ended.

	bool renew(Poco::Data::Session& session, Poco::Int64 id, const std::string& node, Poco::Int64 leaseUntil);
	/// Extends node's lease of the running transfer; false when node no
	/// longer holds it (another node took it over, or it finished).

	void release(Poco::Data::Session& session, Poco::Int64 id, const std::string& node);
	/// Gives up node's lease at once, so another node may continue.

	void advance(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 moved, Poco::Int64 skipped,
				 Poco::Int64 cursorId);
	/// Adds one batch's progress.

	bool finish(Poco::Data::Session& session, Poco::Int64 id, const std::string& node, Transfer::Status status,
				const std::optional<std::string>& error, Poco::Int64 at);
	/// Ends the running transfer node holds (done: what was not moved
	/// counts as skipped); false when node no longer holds it.

	std::vector<Poco::Int64> stale(Poco::Data::Session& session, Poco::Int64 nowMs, std::size_t limit);
	/// Running transfers nobody holds or whose lease ran out before nowMs,
	/// oldest lease first (ix_ec_transfers_lease).

private:
	std::vector<Transfer> read(Poco::Data::Statement& statement);

	Database& _database;
};

} // namespace ExternalContacts
