#pragma once

#include "domain/Actor.h"
#include "domain/AuditFilter.h"
#include "service/ContactView.h"
#include "service/ServiceContext.h"
#include "store/AuditStore.h"
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class AuditService
/// The back office's org-wide audit log (R10): every change the plugin
/// recorded in the admin's org — contacts (deleted ones too), invitations,
/// org requests, WeChat bindings, accounts, group maintainers, hand-overs —
/// filtered, keyset paged newest first, and exported. Admins only.
/// Thread-safe.
{
public:
	static constexpr std::size_t LIMIT_MAX = 100;
	static constexpr std::size_t EXPORT_MAX = 50000;
	static constexpr std::size_t ACTION_MAX = 64;

	struct Item
	{
		AuditStore::Row row;
		ContactView::Person actor; /// id 0: the system; else named from the directory
	};

	struct Page
	{
		std::vector<Item> items;
		std::string nextCursor; /// "" when this is the last page
	};

	explicit AuditService(ServiceContext& context);

	Page page(const Actor& actor, const AuditFilter& filter, const std::string& cursor, std::size_t limit);
	/// Throws AccessDeniedException unless actor is an admin of a member
	/// kind, ValidationError naming "limit" (1..LIMIT_MAX), "cursor" (not
	/// one this log handed out), "action", "to" (not after from).

	template <typename Sink> bool exportTo(const Actor& actor, const AuditFilter& filter, Sink&& sink)
	/// Hands every entry that passes filter to sink(const std::vector<Item>&),
	/// newest first, in batches, at most EXPORT_MAX; answers whether rows
	/// were left out. Same checks as page().
	{
		requireReader(actor, filter);
		std::optional<AuditKey> after;
		std::size_t sent = 0;
		for (;;)
		{
			std::size_t want = std::min(BATCH, EXPORT_MAX - sent);
			std::vector<Item> batch = fetch(actor, filter, after, want + 1);
			bool more = batch.size() > want;
			if (more) batch.resize(want);
			if (batch.empty()) return false;
			sent += batch.size();
			after = AuditKey{batch.back().row.entry.at, batch.back().row.entry.id};
			sink(static_cast<const std::vector<Item>&>(batch));
			if (!more) return false;
			if (sent == EXPORT_MAX) return true;
		}
	}

	static std::string encodeCursor(const AuditKey& key);
	static AuditKey decodeCursor(const std::string& cursor);

private:
	static constexpr std::size_t BATCH = 500; /// also bounds one directory call (ServiceContext::people)

	void requireReader(const Actor& actor, const AuditFilter& filter) const;
	std::vector<Item> fetch(const Actor& actor, const AuditFilter& filter, const std::optional<AuditKey>& after,
							std::size_t limit);

	ServiceContext& _context;
};

} // namespace ExternalContacts
