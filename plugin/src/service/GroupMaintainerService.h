#pragma once

#include "domain/Actor.h"
#include "domain/GroupMaintainers.h"
#include "service/ContactView.h"
#include "service/ServiceContext.h"
#include "store/GroupMaintainerStore.h"
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class GroupMaintainerService
/// Back office 分组维护者: admins set the maintainers of each group of the
/// org's contacts (the company a contact is listed under, or 未分组). A
/// maintainer sees and maintains the contacts of their groups (R8); the
/// access rules read the same table (ContactAccess). Thread-safe.
{
public:
	static const std::string AUDIT_GROUP_MAINTAINERS; /// "group.maintainers"
	static constexpr std::size_t LIMIT_MAX = 100;

	struct Entry
	/// One group with its maintainers (names filled).
	{
		std::optional<std::string> group; /// nothing for 未分组
		std::vector<ContactView::Person> maintainers;
	};

	struct Page
	{
		std::vector<Entry> items;
		std::optional<std::string> nextCursor;
	};

	explicit GroupMaintainerService(ServiceContext& context);

	Page list(const Actor& actor, const std::string& cursor, std::size_t limit);
	/// The groups that have maintainers, in code-point order of their names
	/// (未分组 first), a keyset page. Throws AccessDeniedException for
	/// anyone but an admin of the org, ValidationError naming "limit"
	/// (outside 1..LIMIT_MAX) or "cursor" (not one this list handed out).

	Entry set(const Actor& actor, const GroupMaintainers& change, const std::string& remoteAddr);
	/// Makes change.maintainers the maintainers of change.group and writes
	/// the audit row (contact NULL) in the same transaction; an unchanged
	/// list writes nothing. Throws AccessDeniedException (not an admin) or
	/// ValidationError naming "maintainers" for an id that is not a member
	/// of the org (checked through the host directory).

	static std::string snapshot(const std::string& group, const std::vector<Poco::Int64>& maintainers);
	/// {"group": name | null, "maintainers": [ids]}: the audit snapshot.

	static std::string encodeCursor(const std::string& group);
	static std::string decodeCursor(const std::string& cursor);
	/// The opaque cursor after group, and back; decodeCursor throws
	/// ValidationError naming "cursor".

private:
	void requireAdmin(const Actor& actor) const;

	ServiceContext& _context;
	GroupMaintainerStore _maintainers;
};

} // namespace ExternalContacts
