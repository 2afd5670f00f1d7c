#include "service/TransferService.h"

#include "domain/AccessPolicy.h"
#include "domain/Exceptions.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include <Poco/Data/DataException.h>
#include <algorithm>
#include <hostsdk/Error.h>
#include <hostsdk/support/SqlDatabase.h>
#include <set>

namespace ExternalContacts
{

const std::string TransferService::AUDIT_TRANSFER("contact.transfer");
const std::string TransferService::NOTICE_TYPE("external-contacts.transfer");

namespace
{

// A failure that says nothing about the transfer: the database or the host
// is down or busy. The job stays running and is taken up again later.
bool transient(const std::exception& e)
{
	if (const auto* host = dynamic_cast<const HostSdk::Error*>(&e)) return host->status() == HOSTSDK_E_UNAVAILABLE;
	return HostSdk::SqlDatabase::classify(e) != HostSdk::SqlDatabase::Failure::Other;
}

} // namespace

TransferService::TransferService(ServiceContext& context, Notifier& notifier, std::string node) :
	_context(context), _notifier(notifier), _node(std::move(node)), _store(context.database), _holders(context)
{
}

void TransferService::requireTransferrer(const Actor& actor)
{
	bool holdsMaintain = AccessPolicy::mayUseContacts(actor) && _context.access.holdsMaintain(actor);
	if (!AccessPolicy::mayTransfer(actor, holdsMaintain))
		throw AccessDeniedException("only admins and holders of external_contacts.maintain may transfer contacts");
}

TransferService::Item TransferService::named(const Transfer& transfer)
{
	std::vector<ContactView::Person> people =
		_context.people({transfer.fromUserId, transfer.toUserId, transfer.createdBy});
	return Item{transfer, people[0], people[1], people[2]};
}

TransferService::Item TransferService::start(const Actor& actor, const Request& request, const std::string& remoteAddr)
{
	requireTransferrer(actor);
	if (request.fromUserId <= 0) throw ValidationError::failed("fromUserId", "fromUserId must be a member id");
	if (request.toUserId <= 0) throw ValidationError::failed("toUserId", "toUserId must be a member id");
	if (request.toUserId == request.fromUserId)
		throw ValidationError::failed("toUserId", "toUserId must be another member than fromUserId");
	if (request.all && request.contactIds)
		throw ValidationError::failed("all", "give either contactIds or all, not both");
	if (!request.all && !request.contactIds)
		throw ValidationError::failed("contactIds", "give the contactIds to transfer, or all: true");
	std::vector<Poco::Int64> ids;
	if (request.contactIds)
	{
		ids = *request.contactIds;
		if (ids.empty() || ids.size() > SELECTION_MAX)
			throw ValidationError::failed("contactIds", "contactIds must hold 1 to " + std::to_string(SELECTION_MAX) +
															" contact ids");
		std::set<Poco::Int64> seen;
		for (Poco::Int64 id : ids)
		{
			if (id <= 0) throw ValidationError::failed("contactIds", "contactIds must be contact ids");
			if (!seen.insert(id).second)
				throw ValidationError::failed("contactIds", "contactIds must not name a contact twice");
		}
		std::sort(ids.begin(), ids.end());
	}
	std::set<Poco::Int64> members =
		_context.directory.membersAmong(actor.orgId, {request.fromUserId, request.toUserId});
	if (members.count(request.fromUserId) == 0)
		throw ValidationError::failed("fromUserId", "fromUserId must be a member of the organization");
	if (members.count(request.toUserId) == 0)
		throw ValidationError::failed("toUserId", "toUserId must be a member of the organization");

	Transfer t;
	t.orgId = actor.orgId;
	t.fromUserId = request.fromUserId;
	t.toUserId = request.toUserId;
	t.createdBy = actor.userId;
	t.createdAt = _context.nowMs();
	t.all = request.all;
	t.remoteAddr = remoteAddr;
	try
	{
		t.id = _context.database.write(
			[&](Poco::Data::Session& s)
			{
				if (std::optional<Poco::Int64> running = _store.runningOf(s, t.orgId, t.fromUserId))
					throw TransferRunningException(*running);
				if (t.all)
				{
					auto [count, maxId] = _store.heldRange(s, t.orgId, t.fromUserId);
					if (count == 0) throw ValidationError::failed("all", "fromUserId has no contacts to transfer");
					t.total = count;
					t.maxId = maxId;
				}
				else
				{
					if (_store.countHeld(s, t.orgId, t.fromUserId, ids) != static_cast<Poco::Int64>(ids.size()))
						throw ValidationError::failed("contactIds",
													  "every contactId must be a contact that fromUserId added");
					t.total = static_cast<Poco::Int64>(ids.size());
				}
				Poco::Int64 id = _store.insert(s, t);
				if (!t.all) _store.addContacts(s, id, ids);
				return id;
			});
	}
	catch (const Poco::Data::DataException&)
	{
		// Two requests passed the check at once (MariaDB): the unique
		// running key refused the second one.
		Poco::Data::Session s = _context.database.session();
		if (std::optional<Poco::Int64> running = _store.runningOf(s, t.orgId, t.fromUserId))
			throw TransferRunningException(*running);
		throw;
	}
	return named(t);
}

std::optional<TransferService::Item> TransferService::get(const Actor& actor, Poco::Int64 id)
{
	requireTransferrer(actor);
	std::optional<Transfer> found;
	{
		Poco::Data::Session s = _context.database.session();
		found = _store.find(s, id);
	}
	if (!found || found->orgId != actor.orgId) return std::nullopt;
	return named(*found);
}

TransferService::Page TransferService::list(const Actor& actor, std::optional<Poco::Int64> cursor, std::size_t limit)
{
	requireTransferrer(actor);
	if (limit < 1 || limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	std::vector<Transfer> rows;
	{
		Poco::Data::Session s = _context.database.session();
		rows = _store.page(s, actor.orgId, cursor, limit + 1);
	}
	Page page;
	if (rows.size() > limit)
	{
		rows.resize(limit);
		page.nextCursor = rows.back().id;
	}
	// The people of the page in one directory call.
	std::vector<Poco::Int64> ids;
	for (const Transfer& t : rows)
		ids.insert(ids.end(), {t.fromUserId, t.toUserId, t.createdBy});
	std::vector<ContactView::Person> people = ids.empty() ? std::vector<ContactView::Person>() : _context.people(ids);
	for (std::size_t i = 0; i < rows.size(); ++i)
		page.items.push_back(Item{rows[i], people[3 * i], people[3 * i + 1], people[3 * i + 2]});
	return page;
}

TransferService::Candidates TransferService::candidates(const Actor& actor, Poco::Int64 fromUserId,
														std::optional<Poco::Int64> cursor, std::size_t limit)
{
	requireTransferrer(actor);
	if (limit < 1 || limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	if (fromUserId <= 0 || _context.directory.membersAmong(actor.orgId, {fromUserId}).count(fromUserId) == 0)
		throw ValidationError::failed("fromUserId", "fromUserId must be a member of the organization");
	Poco::Data::Session s = _context.database.session();
	Candidates page;
	page.items = _store.heldPage(s, actor.orgId, fromUserId, cursor.value_or(0), limit + 1);
	if (page.items.size() > limit)
	{
		page.items.resize(limit);
		page.nextCursor = page.items.back().id;
	}
	page.total = _store.heldRange(s, actor.orgId, fromUserId).first;
	return page;
}

bool TransferService::needsPickUp(const Transfer& transfer)
{
	return transfer.status == Transfer::Status::Running && transfer.leaseUntil < _context.nowMs();
}

std::vector<Poco::Int64> TransferService::stale()
{
	Poco::Data::Session s = _context.database.session();
	return _store.stale(s, _context.nowMs(), 100);
}

bool TransferService::run(Poco::Int64 id, const std::atomic<bool>* stop)
{
	Poco::Int64 now = _context.nowMs();
	bool claimed = _context.database.write([&](Poco::Data::Session& s)
										   { return _store.claim(s, id, _node, now, now + LEASE_MS); });
	if (!claimed) return false;
	std::optional<Transfer> found;
	{
		Poco::Data::Session s = _context.database.session();
		found = _store.find(s, id);
	}
	if (!found) return false;
	Transfer t = *found;
	Actor actor;
	actor.userId = t.createdBy;
	actor.orgId = t.orgId;
	actor.kind = Actor::Kind::Member;
	auto giveBack = [&]
	{
		try
		{
			_context.database.write([&](Poco::Data::Session& s) { _store.release(s, id, _node); });
		}
		catch (...)
		{
			// The lease then runs out by itself.
		}
	};
	std::size_t batches = 0;
	for (;;)
	{
		if (stop && stop->load())
		{
			giveBack();
			return true;
		}
		std::size_t dealt = 0;
		try
		{
			// Checked before every batch: a receiver who left the org must
			// not receive more (what was moved stays moved; the hand-over
			// takes it on from there).
			if (_context.directory.membersAmong(t.orgId, {t.toUserId}).count(t.toUserId) == 0)
			{
				end(t, Transfer::Status::Failed, std::string("the receiver is no longer a member of the organization"));
				return true;
			}
			dealt = batch(t, actor);
		}
		catch (const LeaseLost&)
		{
			return true; // another node took it over after our lease ran out
		}
		catch (const std::exception& e)
		{
			if (transient(e))
			{
				giveBack();
				throw;
			}
			end(t, Transfer::Status::Failed, Utf8Text::prefix(e.what(), Transfer::ERROR_MAX)); // fits the column
			return true;
		}
		if (dealt == 0) break;
		++batches;
		if (_afterBatch) _afterBatch(id, batches);
		if (dealt < BATCH) break;
	}
	end(t, Transfer::Status::Done, std::nullopt);
	return true;
}

std::size_t TransferService::memberLeft(Poco::Int64 orgId, Poco::Int64 userId)
{
	Poco::Int64 now = _context.nowMs();
	return _context.database.write(
		[&](Poco::Data::Session& s)
		{ return _store.failOf(s, orgId, userId, "a member of the transfer left the organization", now); });
}

std::size_t TransferService::batch(Transfer& transfer, const Actor& actor)
{
	Poco::Int64 now = _context.nowMs();
	Poco::Int64 moved = 0, skipped = 0, cursor = transfer.cursorId;
	std::size_t dealt = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			// The lease is checked and renewed in the batch's own
			// transaction: a node that lost it writes nothing.
			if (!_store.renew(s, transfer.id, _node, now + LEASE_MS)) throw LeaseLost();
			std::vector<Poco::Int64> ids = _store.nextIds(s, transfer, BATCH);
			if (ids.empty()) return std::size_t(0);
			// A contact deleted or given away meanwhile is skipped.
			moved = static_cast<Poco::Int64>(_holders
												 .move(s, actor, ids, transfer.fromUserId, transfer.toUserId,
													   AUDIT_TRANSFER, now, transfer.remoteAddr)
												 .size());
			skipped = static_cast<Poco::Int64>(ids.size()) - moved;
			cursor = ids.back();
			_store.advance(s, transfer.id, moved, skipped, cursor);
			return ids.size();
		});
	transfer.done += moved;
	transfer.skipped += skipped;
	transfer.cursorId = cursor;
	return dealt;
}

void TransferService::end(Transfer& transfer, Transfer::Status status, const std::optional<std::string>& error)
{
	Poco::Int64 now = _context.nowMs();
	bool ended = _context.database.write([&](Poco::Data::Session& s)
										 { return _store.finish(s, transfer.id, _node, status, error, now); });
	if (!ended) return; // another node holds it now
	transfer.status = status;
	transfer.error = error;
	transfer.finishedAt = now;
	if (transfer.done == 0) return;
	// Only the node that ended the transfer gets here: one notice.
	std::map<Poco::Int64, std::string> names = _context.directory.displayNames({transfer.fromUserId});
	std::string giver =
		names.count(transfer.fromUserId) ? names[transfer.fromUserId] : "#" + std::to_string(transfer.fromUserId);
	std::string n = std::to_string(transfer.done);
	bool one = transfer.done == 1;
	Notifier::Notice notice;
	notice.orgId = transfer.orgId;
	notice.userIds = {transfer.toUserId};
	notice.type = NOTICE_TYPE;
	notice.title = {"外部联系人已转给你", "External contacts transferred to you"};
	notice.body = {giver + " 的 " + n + " 位外部联系人已转给你。",
				   n + (one ? " external contact" : " external contacts") + " of " + giver + (one ? " was" : " were") +
					   " transferred to you."};
	notice.groupKey = "transfer:" + std::to_string(transfer.id);
	_notifier.notify(notice);
}

} // namespace ExternalContacts
