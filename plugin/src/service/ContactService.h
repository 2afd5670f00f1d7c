#pragma once

#include "domain/Actor.h"
#include "domain/ContactEdit.h"
#include "domain/ContactFields.h"
#include "service/ContactAccess.h"
#include "service/ContactPage.h"
#include "service/ContactView.h"
#include "service/Directory.h"
#include "service/EditConflict.h"
#include "service/GroupList.h"
#include "service/ListRequest.h"
#include "service/RateLimiter.h"
#include "service/ServiceContext.h"
#include "store/AuditStore.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "store/GroupMaintainerStore.h"
#include <optional>
#include <string>

namespace ExternalContacts
{

class ContactService
/// The contact use cases of the 外部互联 page: create (R2), list and
/// group counts (R1), one contact. Every read and write goes through
/// AccessPolicy; a contact the actor may not see is reported exactly as
/// a missing one. Thread-safe: each call takes its own session.
{
public:
	static constexpr std::size_t LIMIT_MAX = 100;
	static const std::string AUDIT_CREATE; /// "contact.create"
	static const std::string AUDIT_UPDATE; /// "contact.update"
	static const std::string AUDIT_DELETE; /// "contact.delete"

	explicit ContactService(ServiceContext& context);
	/// Keeps its own contact and group-maintainer stores; reads and writes
	/// through context.

	static constexpr std::size_t DUPLICATES_MAX = 20;

	struct DuplicateCheckLimits
	/// Each duplicate check tells whether a mobile or email exists among
	/// contacts the member may not see (hiddenDuplicates, R2.4), so the
	/// checks are limited per member (issue 14).
	{
		int checksPerMember = 100;     /// duplicate checks per member and window
		Poco::Int64 windowMs = 600000; /// 10 minutes
	};

	void limitDuplicateChecks(const DuplicateCheckLimits& limits);
	/// Replaces the default limits (the plugin's settings); call before
	/// the service is used.

	ContactView create(const Actor& actor, const ContactFields& draft, const std::string& remoteAddr,
					   bool confirmDuplicate = false);
	/// Creates a contact without an account (source "created"): the actor
	/// is its adder and its one visible member, its security level is
	/// the org's default. Contact, visible member and audit row are
	/// written in one transaction. Throws AccessDeniedException for a
	/// caller who is not a member of the org.

	Contact insertNew(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 adderId, const ContactFields& draft,
					  ContactSource source, int securityLevel, Poco::Int64 now, Poco::Int64 auditActorId,
					  const std::string& auditAction, const std::string& remoteAddr);
	/// Writes a new contact of adderId (its one visible member) and its
	/// audit row in session (the caller's transaction); draft must be
	/// validated. Answers the contact with its id.

	int newContactSecurityLevel(Poco::Int64 orgId);
	/// The org's default security level for new contacts (R6.3), checked.

	ContactPage list(const Actor& actor, const ListRequest& request);
	/// One page of the contacts in request.scope, in SortKey order.
	/// Throws ValidationError (limit outside 1..LIMIT_MAX, bad cursor,
	/// bad search text) or AccessDeniedException (not a member, or scope
	/// "all" without the maintain permission and without maintained
	/// groups). For a group maintainer without the maintain permission,
	/// scope "all" holds the contacts of the groups they maintain.

	GroupList groups(const Actor& actor, const ListRequest& request);
	/// The groups of the list request describes, with counts (cursor and
	/// limit are ignored). Throws as list().

	std::optional<ContactView> get(const Actor& actor, Poco::Int64 id);
	/// The contact with id and its visible members, or nothing when it
	/// does not exist or actor may not see it.

	ContactView update(const Actor& actor, Poco::Int64 id, const ContactEdit& edit, const std::string& remoteAddr);
	/// Applies edit to the contact (R6.2) if actor may edit it and it is
	/// still at edit.version: one conditional UPDATE (bumping the version)
	/// and the audit row (before/after) in one transaction. An edit that
	/// changes nothing writes nothing and answers the contact as it is.
	/// Throws ContactNotFoundException (missing, deleted or not visible),
	/// AccessDeniedException (may see but not edit) or EditConflict (the
	/// version is stale, also when another edit wins the race).

	void remove(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr);
	/// Soft-deletes the contact (R6.6) with its audit row; afterwards no
	/// list or get shows it. Throws as update() (no EditConflict).

	ContactView viewOf(Contact contact);
	/// contact with the names of its adder and visible members (which
	/// must be filled).

	EditConflict conflict(const Actor& actor, Poco::Int64 id);
	/// The conflict to throw for a stale edit of the contact: carries it as
	/// it is now. Throws ContactNotFoundException when it is gone.

	void checkDuplicates(const Actor& actor, const ContactFields& fields, Poco::Int64 excludeId, bool mobile,
						 bool email);
	/// Throws DuplicateContactException when another live contact of the
	/// org has the same mobile (when `mobile`) or email (when `email`):
	/// the ones actor may see by id and name, the others only counted.
	/// A check of a key counts against the actor's DuplicateCheckLimits
	/// whatever it finds; over them it throws RateLimitedException before
	/// looking.

private:
	struct Reach
	/// Which rows a list request reads: "mine" (two branches), the whole
	/// org, or only the groups the actor maintains (one branch each).
	{
		enum class Kind
		{
			Mine,
			Org,
			Groups
		};
		Kind kind = Kind::Mine;
		std::vector<std::pair<int, std::string>> groups; /// Groups: (groupRank, groupName) in list order
	};

	bool holdsMaintain(const Actor& actor);
	Reach requireList(const Actor& actor, AccessPolicy::Scope scope);
	std::vector<Contact> listGroups(const Reach& reach, const ContactListQuery& query);
	ContactListQuery filterFor(const Actor& actor, const ListRequest& request) const;
	std::vector<ContactView> withNames(std::vector<Contact> contacts);

	ServiceContext& _context;
	ContactStore _contacts;
	GroupMaintainerStore _maintainers;
	RateLimiter _limiter;
	DuplicateCheckLimits _duplicateLimits;
};

} // namespace ExternalContacts
