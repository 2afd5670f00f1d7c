#pragma once

#include "domain/OrgRequest.h"
#include "store/Database.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <optional>
#include <vector>

namespace ExternalContacts
{

class OrgRequestStore
/// ec_org_requests, ec_contact_links and ec_org_search_results. Every
/// method works in the session it is given, so the service decides the
/// transaction.
{
public:
	explicit OrgRequestStore(Database& database);

	Poco::Int64 insert(Poco::Data::Session& session, const OrgRequest& request);
	/// Stores a pending request; the unique pending key refuses a second
	/// pending one of the requester to the person (the database throws).

	std::optional<Poco::Int64> pendingOf(Poco::Data::Session& session, Poco::Int64 requesterId,
										 Poco::Int64 targetUserId);

	std::optional<OrgRequest> expire(Poco::Data::Session& session, Poco::Int64 requesterId, Poco::Int64 targetUserId,
									 Poco::Int64 nowMs);
	/// Stores as expired a pending request of the requester to the person
	/// whose time is over, so a new one may be made. Answers the request
	/// when this call moved it (not when another session did first).

	std::optional<OrgRequest> find(Poco::Data::Session& session, Poco::Int64 id);

	bool settle(Poco::Data::Session& session, Poco::Int64 id, OrgRequest::Status status, Poco::Int64 nowMs,
				std::optional<Poco::Int64> contactId);
	/// The one conditional UPDATE that settles a request: only while it is
	/// pending and not expired. False when something else settled it first.

	void reopen(Poco::Data::Session& session, const OrgRequest& request);
	/// Back to pending (an acceptance the host could not complete).

	std::vector<OrgRequest> outgoing(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 requesterId,
									 std::optional<Poco::Int64> beforeId, std::size_t limit);
	/// The requester's requests in their org, newest first.

	std::vector<OrgRequest> incoming(Poco::Data::Session& session, Poco::Int64 targetUserId,
									 std::optional<Poco::Int64> beforeId, std::size_t limit);
	/// The requests to the person, newest first.

	void link(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId, Poco::Int64 userId,
			  Poco::Int64 at);
	/// The contact is the person userId; the unique (org, user) key refuses
	/// a second contact of the same person in the org (the database throws).

	std::optional<Poco::Int64> contactOfUser(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 userId);
	/// The org's contact that is the person, if any (deleted ones included).

	std::optional<Poco::Int64> userOfContact(Poco::Data::Session& session, Poco::Int64 contactId);

	struct Link
	{
		Poco::Int64 orgId = 0;
		Poco::Int64 contactId = 0;
	};

	std::vector<Link> linksOfUser(Poco::Data::Session& session, Poco::Int64 userId);
	/// The contacts (in every org) that are the person userId.

	void unlink(Poco::Data::Session& session, Poco::Int64 contactId);

	void keepFound(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 requesterId, Poco::Int64 targetOrgId,
				   const std::vector<Poco::Int64>& userIds, Poco::Int64 expiresAt);
	/// The people a search of requesterId (in org orgId) found in
	/// targetOrgId may be asked until expiresAt; a person found before
	/// is kept the longer.

	bool wasFound(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 requesterId, Poco::Int64 targetOrgId,
				  Poco::Int64 userId, Poco::Int64 nowMs);
	/// Whether a search of requesterId found the person in targetOrgId
	/// and that is not over at nowMs (the primary key).

	void pruneFound(Poco::Data::Session& session, Poco::Int64 nowMs);
	/// Deletes the search results over at nowMs (the expiry index). Outside
	/// a transaction: on MySQL it runs READ COMMITTED, so it locks only the
	/// rows it deletes, not the gap concurrent searches insert into.

private:
	OrgRequest readRow(const Poco::Data::RecordSet& rows, std::size_t row) const;
	std::vector<OrgRequest> read(Poco::Data::Statement& statement) const;

	Database& _database;
};

} // namespace ExternalContacts
