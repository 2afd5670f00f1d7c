#pragma once

#include "domain/Actor.h"
#include "service/ContactView.h"
#include "service/ServiceContext.h"
#include "store/AuditEntry.h"
#include <vector>

namespace ExternalContacts
{

class HistoryService
/// The 历史 tab (R10): a contact's audit entries, newest first, keyset
/// paged on the entry id. Only those who may edit the contact read it
/// (AccessPolicy::mayEdit); others get what they would get for an edit.
/// Thread-safe.
{
public:
	static constexpr std::size_t LIMIT_MAX = 100;

	struct Entry
	{
		AuditEntry entry;
		ContactView::Person actor; /// display name filled from the directory
	};

	struct Page
	{
		std::vector<Entry> items;
		Poco::Int64 nextBeforeId = 0; /// 0: no further page
		std::vector<ContactView::Person>
			people; /// the members the snapshots name (addedBy, visibleMembers, shares), named
	};

	explicit HistoryService(ServiceContext& context);

	Page history(const Actor& actor, Poco::Int64 contactId, Poco::Int64 beforeId, std::size_t limit);
	/// Throws ContactNotFoundException (missing, deleted or not visible),
	/// AccessDeniedException (may see, not edit) or ValidationError
	/// naming "limit" outside 1..LIMIT_MAX.

private:
	ServiceContext& _context;
};

} // namespace ExternalContacts
