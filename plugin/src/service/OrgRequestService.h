#pragma once

#include "domain/Actor.h"
#include "domain/OrgRequest.h"
#include "domain/ValidationError.h"
#include "service/AccountGateway.h"
#include "service/ContactService.h"
#include "service/Directory.h"
#include "service/Notifier.h"
#include "service/RateLimiter.h"
#include "service/ServiceContext.h"
#include "store/ContactStore.h"
#include "store/OrgRequestStore.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class OrgRequestService
/// 从其他组织添加 (R5): a member finds a member of another organization
/// (name, mobile or email together with the org's exact name), sends a
/// request; the person accepts (becoming the requester's contact with
/// source other_org, linked to their own account, and an external user of
/// the requester's org) or declines; the requester may cancel; requests
/// expire after 14 days. Every settlement is one conditional UPDATE, so an
/// accept racing a cancel ends in exactly one state. Every change has an
/// audit row of the requester's org (contact NULL, actor: who acted, 0 for
/// an expiry) in its transaction; an acceptance's row is the contact's
/// contact.org_request_accepted (no second orgrequest row). Thread-safe.
{
public:
	static const std::string NOTICE_REQUEST; /// "external_contacts.org_request"
	static const std::string NOTICE_OUTCOME; /// "external_contacts.org_request_outcome"
	static const std::string AUDIT_ACCEPTED; /// "contact.org_request_accepted"
	static const std::string AUDIT_SEND;     /// "orgrequest.send"
	static const std::string AUDIT_DECLINE;  /// "orgrequest.decline"
	static const std::string AUDIT_CANCEL;   /// "orgrequest.cancel"
	static const std::string AUDIT_EXPIRE;   /// "orgrequest.expire"

	static constexpr std::size_t LIMIT_MAX = 100;
	static constexpr std::size_t SEARCH_LIMIT = 10;
	static constexpr std::size_t QUERY_LENGTH_MAX = 64;

	static constexpr Poco::Int64 FOUND_TTL_MS = 30 * 60 * 1000; /// how long a search's results may be asked

	struct Limits
	{
		int searchesPerMember = 20;            /// searches per member and window
		Poco::Int64 searchWindowMs = 600000;   /// 10 minutes
		int requestsPerMember = 30;            /// requests (refused ones too) per member and window
		Poco::Int64 requestWindowMs = 3600000; /// 1 hour
	};

	OrgRequestService(ServiceContext& context, ContactService& contacts, AccountGateway& accounts, Notifier& notifier,
					  RateLimiter& limiter, Limits limits);

	Directory::Found search(const Actor& actor, const std::string& orgName, const std::string& query);
	/// Members of another org matching query. Throws ValidationError
	/// (orgName / q: missing, too long, the caller's own org),
	/// RateLimitedException, AccessDeniedException (not a member). Whom it
	/// answers the actor may ask (request()) for FOUND_TTL_MS: kept in the
	/// database, so another node takes the request.

	OrgRequest request(const Actor& actor, Poco::Int64 orgId, Poco::Int64 userId, const std::string& remoteAddr = "");
	/// Sends a request to userId, a member of org orgId whom a search of
	/// the actor found within FOUND_TTL_MS (orgrequest.send), and notifies
	/// them. A pending request of the actor to the person whose time is
	/// over is stored as expired first (orgrequest.expire, actor 0). Every
	/// call past the orgId checks counts against requestsPerMember, as each
	/// answer says something about someone. Throws ValidationError (orgId:
	/// the caller's own org; userId: notFound() for anyone the actor may not
	/// ask, one answer whatever the reason), RateLimitedException,
	/// OrgRequestPendingException, AlreadyContactException.

	static ValidationError notFound();
	/// The one refusal of a userId the actor may not ask (nobody, not a
	/// member of the org, not discoverable, not found by their search).

	OrgRequest accept(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr);
	/// The person accepts: in one transaction the request is settled and the
	/// contact (source other_org, linked to their account) made; then the
	/// host adds the external membership (undone in the plugin if it fails).
	/// Throws OrgRequestNotFoundException (not theirs), OrgRequestSettledException.

	OrgRequest decline(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr = "");
	/// The person declines (orgrequest.decline). Throws
	/// OrgRequestNotFoundException (not theirs), OrgRequestSettledException.

	OrgRequest cancel(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr = "");
	/// The requester cancels (orgrequest.cancel). Throws as decline().

	struct Page
	{
		std::vector<OrgRequest> items;
		std::optional<Poco::Int64> nextBefore;
		std::map<Poco::Int64, std::string> requesterNames; /// incoming: display name per requester
		std::map<Poco::Int64, std::string> orgNames;       /// incoming: name per requesting org
	};

	Page outgoing(const Actor& actor, std::optional<Poco::Int64> beforeId, std::size_t limit);
	/// The member's requests in their org, newest first.

	Page incoming(const Actor& actor, std::optional<Poco::Int64> beforeId, std::size_t limit);
	/// The requests to the actor (a member or an external user, in any org),
	/// newest first, with who asks from which org.

	void contactDeleted(Poco::Int64 orgId, Poco::Int64 contactId);

	void personLeft(Poco::Int64 orgId, Poco::Int64 userId);
	/// The person's external membership of the org ended (they left or an
	/// admin removed them): their contact there is no longer linked.

	std::size_t profileChanged(Poco::Int64 userId, const Directory::Profile& profile);
	/// The person changed their own profile: every contact linked to them
	/// follows (name, title, email, mobile), with a version bump and a
	/// contact.update history row by the person. Answers how many changed.
	/// A deleted contact that was a person of another org: their external
	/// membership of the org ends (and their sessions there).

	Poco::Int64 nowMs()
	{
		return _context.nowMs();
	}

private:
	void keepFound(const Actor& actor, Poco::Int64 targetOrgId, const std::vector<Poco::Int64>& ids);
	/// Prunes the search results that are over, then keeps ids (found by
	/// actor's search in targetOrgId) for FOUND_TTL_MS.
	OrgRequest settle(const Actor& actor, Poco::Int64 id, OrgRequest::Status status, bool asTarget,
					  const std::string& action, const std::string& remoteAddr);
	void audit(Poco::Data::Session& session, const OrgRequest& request, Poco::Int64 actorId, const std::string& action,
			   const std::string& remoteAddr, bool wasPending, Poco::Int64 now);
	/// Appends the request's audit row (org: the requester's; contact NULL):
	/// before {id, status: pending} when wasPending, after the request.
	static std::string auditJson(const OrgRequest& request);
	void tellRequester(const OrgRequest& request);
	static std::string groupKey(Poco::Int64 id);

	ServiceContext& _context;
	ContactStore _contactStore;
	ContactService& _contacts;
	AccountGateway& _accounts;
	Notifier& _notifier;
	RateLimiter& _limiter;
	OrgRequestStore _store;
	Limits _limits;
};

} // namespace ExternalContacts
