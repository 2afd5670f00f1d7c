#pragma once

#include "domain/Exceptions.h"
#include "domain/JsonWriter.h"
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
	// The answers of the hot routes (lists, cards, groups) are written as
	// they are produced (JsonWriter), not built as Poco::JSON trees.

	static void writeSummary(JsonWriter& out, const ContactView& view);
	/// ContactSummary: {id, name, mobile, email, company, title,
	/// department, source, createdAt, version, addedBy:{id, displayName}}.

	static void writeDetail(JsonWriter& out, const ContactView& view);
	/// Contact: the summary fields plus address, remark, tags, securityLevel,
	/// updatedAt, visibleMembers:[{id, displayName}], wechat, into an object
	/// the caller has started.

	static std::string detail(const ContactView& view);
	/// Contact, as a JSON text.

	static std::string card(const ContactView& view);
	/// The answer of GET /contacts/{id}: Contact plus "permissions"
	/// {"edit", "delete", "share", "history"}, each what the caller may do
	/// (today one rule: mayEdit).

	static Poco::JSON::Object::Ptr detailObject(const ContactView& view);
	/// Contact as a Poco::JSON tree (the "current" of a 409 edit conflict).

	static Poco::JSON::Object::Ptr permissions(const ContactView& view);
	/// {"visibleMembers":[{id, displayName}], "securityLevel": n, "version": n}

	static Poco::JSON::Object::Ptr members(const std::vector<ContactView::Person>& people);
	/// {"members":[{id, displayName}]}

	static std::string page(const ContactPage& page);
	/// {"items":[ContactSummary], "nextCursor": "…" | null}

	static std::string groups(const GroupList& groups);
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
