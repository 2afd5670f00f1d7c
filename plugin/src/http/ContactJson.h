#pragma once

#include "domain/Exceptions.h"
#include "service/ContactPage.h"
#include "service/ContactView.h"
#include "service/GroupList.h"
#include "service/GroupMaintainerService.h"
#include "service/HistoryService.h"
#include <Poco/JSON/Object.h>
#include <string>

namespace ExternalContacts
{

class ContactJson
/// The JSON answers of the contact routes (docs/API.md).
{
public:
	static Poco::JSON::Object::Ptr summary(const ContactView& view);
	/// ContactSummary: {id, name, mobile, email, company, title,
	/// department, source, createdAt, version, addedBy:{id, displayName}}.

	static Poco::JSON::Object::Ptr detail(const ContactView& view);
	/// Contact: the summary plus {address, remark, tags, securityLevel,
	/// updatedAt, visibleMembers:[{id, displayName}]}.

	static Poco::JSON::Object::Ptr permissions(const ContactView& view);
	/// {"visibleMembers":[{id, displayName}], "securityLevel": n, "version": n}

	static Poco::JSON::Object::Ptr allowed(bool mayEdit);
	/// The "permissions" of GET /contacts/{id}: {"edit", "delete", "share",
	/// "history"}, each what the caller may do (today one rule: mayEdit).

	static Poco::JSON::Object::Ptr members(const std::vector<ContactView::Person>& people);
	/// {"members":[{id, displayName}]}

	static Poco::JSON::Object::Ptr page(const ContactPage& page);
	/// {"items":[ContactSummary], "nextCursor": "…" | null}

	static Poco::JSON::Object::Ptr groups(const GroupList& groups);
	/// {"items":[{"name": "…" | null, "count": n}], "total": n}

	static Poco::JSON::Object::Ptr person(const ContactView::Person& person);
	/// {id, displayName} (displayName null when the host does not know them).

	static Poco::JSON::Object::Ptr history(const HistoryService::Page& page);
	/// {"items":[{id, action, at, actor:{id, displayName}, remoteAddr, before, after}], "nextCursor"}
	/// with before/after as the stored JSON snapshots (or null).

	static Poco::JSON::Object::Ptr duplicate(const DuplicateContactException& e);
	/// {"error":{"code":"duplicate","message","field"},"duplicates":[{id,name}],"hiddenDuplicates":n}

	static Poco::JSON::Object::Ptr groupMaintainers(const GroupMaintainerService::Entry& entry);
	/// {group: name | null, maintainers:[{id, displayName}]}.

	static Poco::JSON::Object::Ptr groupMaintainers(const GroupMaintainerService::Page& page);
	/// {items:[as above], nextCursor}.

	static Poco::JSON::Object::Ptr error(const std::string& code, const std::string& message, const std::string& field);
	/// {"error":{"code","message"[,"field"]}}; field only when not empty.

	static std::string toString(const Poco::JSON::Object::Ptr& object);
	/// Compact UTF-8 JSON text.
};

} // namespace ExternalContacts
