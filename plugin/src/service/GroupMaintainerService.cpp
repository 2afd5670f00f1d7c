#include "service/GroupMaintainerService.h"

#include "domain/AccessPolicy.h"
#include "domain/Exceptions.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "service/CompactJson.h"
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <set>
#include <sstream>

namespace ExternalContacts
{

const std::string GroupMaintainerService::AUDIT_GROUP_MAINTAINERS("group.maintainers");

namespace
{

// Cursors are "g:" + the group name, base64url without padding.
const std::string CURSOR_PREFIX("g:");
constexpr std::size_t CURSOR_LENGTH_MAX = 1024;

} // namespace

std::string GroupMaintainerService::snapshot(const std::string& group, const std::vector<Poco::Int64>& maintainers)
{
	Poco::JSON::Object object;
	if (group.empty())
		object.set("group", Poco::Dynamic::Var());
	else
		object.set("group", group);
	Poco::JSON::Array ids;
	for (Poco::Int64 id : maintainers)
		ids.add(id);
	object.set("maintainers", ids);
	return compactJson(object);
}

GroupMaintainerService::GroupMaintainerService(ServiceContext& context) : _context(context) {}

void GroupMaintainerService::requireAdmin(const Actor& actor) const
{
	if (!AccessPolicy::mayUseContacts(actor) || !actor.isAdmin)
		throw AccessDeniedException("only admins may set group maintainers");
}

std::string GroupMaintainerService::encodeCursor(const std::string& group)
{
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder.rdbuf()->setLineLength(0);
	encoder << CURSOR_PREFIX << group;
	encoder.close();
	return out.str();
}

std::string GroupMaintainerService::decodeCursor(const std::string& cursor)
{
	auto bad = [] { return ValidationError::failed("cursor", "cursor is not one this list handed out"); };
	if (cursor.empty() || cursor.size() > CURSOR_LENGTH_MAX ||
		cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
			std::string::npos)
		throw bad();
	std::string decoded;
	try
	{
		std::istringstream in(cursor);
		Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
		std::ostringstream out;
		out << decoder.rdbuf();
		decoded = out.str();
	}
	catch (const Poco::Exception&)
	{
		throw bad();
	}
	if (decoded.compare(0, CURSOR_PREFIX.size(), CURSOR_PREFIX) != 0) throw bad();
	std::string group = decoded.substr(CURSOR_PREFIX.size());
	if (!Utf8Text::isValid(group) || encodeCursor(group) != cursor) throw bad();
	return group;
}

GroupMaintainerService::Page GroupMaintainerService::list(const Actor& actor, const std::string& cursor,
														  std::size_t limit)
{
	requireAdmin(actor);
	if (limit < 1 || limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	std::optional<std::string> after;
	if (!cursor.empty()) after = decodeCursor(cursor);
	std::vector<GroupMaintainers> groups;
	{
		Poco::Data::Session s = _context.database.session();
		groups = _maintainers.page(s, actor.orgId, after, limit + 1);
	}
	Page page;
	if (groups.size() > limit)
	{
		groups.resize(limit);
		page.nextCursor = encodeCursor(groups.back().group);
	}
	std::set<Poco::Int64> ids;
	for (const GroupMaintainers& g : groups)
		ids.insert(g.maintainers.begin(), g.maintainers.end());
	std::vector<ContactView::Person> everyone = _context.people(std::vector<Poco::Int64>(ids.begin(), ids.end()));
	std::map<Poco::Int64, ContactView::Person> byId;
	for (const ContactView::Person& p : everyone)
		byId[p.id] = p;
	for (const GroupMaintainers& g : groups)
	{
		Entry entry;
		if (!g.group.empty()) entry.group = g.group;
		for (Poco::Int64 id : g.maintainers)
			entry.maintainers.push_back(byId[id]);
		page.items.push_back(std::move(entry));
	}
	return page;
}

GroupMaintainerService::Entry GroupMaintainerService::set(const Actor& actor, const GroupMaintainers& change,
														  const std::string& remoteAddr)
{
	requireAdmin(actor);
	_context.requireMembers(actor, change.maintainers, "maintainers");
	Poco::Int64 now = _context.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			std::vector<Poco::Int64> before = _maintainers.maintainers(s, actor.orgId, change.group);
			if (before == change.maintainers) return;
			_maintainers.replace(s, actor.orgId, change.group, change.maintainers);
			AuditEntry entry =
				AuditEntry::of(actor.orgId, std::nullopt, actor.userId, AUDIT_GROUP_MAINTAINERS, now, remoteAddr);
			entry.beforeJson = snapshot(change.group, before);
			entry.afterJson = snapshot(change.group, change.maintainers);
			_context.audit.append(s, entry);
		});
	Entry entry;
	if (!change.group.empty()) entry.group = change.group;
	entry.maintainers = _context.people(change.maintainers);
	return entry;
}

} // namespace ExternalContacts
