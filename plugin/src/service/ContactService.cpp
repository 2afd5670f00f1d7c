#include "service/ContactService.h"

#include "domain/DuplicateKey.h"

#include "domain/AccessPolicy.h"
#include "domain/ContactSnapshot.h"
#include "domain/ContactValidator.h"
#include "domain/Exceptions.h"
#include "domain/ListCursor.h"
#include "domain/ValidationError.h"
#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

namespace ExternalContacts
{

const std::string ContactService::AUDIT_CREATE("contact.create");
const std::string ContactService::AUDIT_UPDATE("contact.update");
const std::string ContactService::AUDIT_DELETE("contact.delete");

namespace
{

constexpr int SECURITY_LEVEL_MIN = -999;
constexpr int SECURITY_LEVEL_MAX = 0;

bool sameFields(const ContactFields& a, const ContactFields& b)
{
	return std::tie(a.name, a.mobile, a.email, a.company, a.title, a.department, a.address, a.remark, a.tags) ==
		   std::tie(b.name, b.mobile, b.email, b.company, b.title, b.department, b.address, b.remark, b.tags);
}

bool bySortKey(const Contact& a, const Contact& b)
{
	return a.sortKey() < b.sortKey();
}

// The rows of a list: the org's (branch Org, one branch) or "mine" (any
// other branch) as two disjoint branches, each read from its own index and
// merged here in `before` order, which is far cheaper than one UNION
// ordered as a whole. Maintained groups are read by listGroups().
template <typename Row, typename Read, typename Before>
std::vector<Row> readScope(Database& database, ContactStore::Branch branch, Read read, Before before)
{
	Poco::Data::Session s = database.session();
	if (branch == ContactStore::Branch::Org) return read(s, ContactStore::Branch::Org);
	std::vector<Row> added = read(s, ContactStore::Branch::AddedBy);
	std::vector<Row> shared = read(s, ContactStore::Branch::SharedWith);
	std::vector<Row> rows;
	rows.reserve(added.size() + shared.size());
	std::merge(std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()),
			   std::make_move_iterator(shared.begin()), std::make_move_iterator(shared.end()), std::back_inserter(rows),
			   before);
	return rows;
}

} // namespace

ContactService::ContactService(ServiceContext& context) :
	_context(context), _contacts(context.database), _limiter(context.database, [&context] { return context.nowMs(); })
{
}

void ContactService::limitDuplicateChecks(const DuplicateCheckLimits& limits)
{
	_duplicateLimits = limits;
}

bool ContactService::holdsMaintain(const Actor& actor)
{
	return _context.access.holdsMaintain(actor);
}

void ContactService::checkDuplicates(const Actor& actor, const ContactFields& fields, Poco::Int64 excludeId,
									 bool mobile, bool email)
{
	struct Probe
	{
		bool wanted;
		const char* field;
		const char* column;
		std::optional<std::string> key;
	};
	const Probe probes[] = {{mobile, "mobile", "mobile_key", DuplicateKey::mobile(fields.mobile)},
							{email, "email", "email_key", DuplicateKey::email(fields.email)}};
	bool checking = false;
	for (const Probe& probe : probes)
		checking = checking || (probe.wanted && probe.key);
	if (!checking) return;
	// Every check counts, not only those that find hidden contacts: a 429
	// given only then would itself say that one exists.
	_limiter.hit("duplicate-check:" + std::to_string(actor.orgId) + ":" + std::to_string(actor.userId),
				 _duplicateLimits.windowMs, _duplicateLimits.checksPerMember, "rate_limited",
				 "too many duplicate checks in a short time; try again later");
	Poco::Data::Session s = _context.database.session();
	for (const Probe& probe : probes)
	{
		if (!probe.wanted || !probe.key) continue;
		std::vector<Poco::Int64> ids =
			_contacts.withSameKey(s, actor.orgId, probe.column, *probe.key, excludeId, DUPLICATES_MAX);
		if (ids.empty()) continue;
		std::vector<DuplicateContactException::Match> visible;
		for (Poco::Int64 id : ids)
		{
			// Only what the caller may see is named; the rest is a number.
			if (std::optional<ContactAccess::Loaded> seen = _context.access.findVisible(s, actor, id))
				visible.push_back({id, seen->contact.name});
		}
		throw DuplicateContactException(probe.field, std::move(visible), ids.size() - visible.size());
	}
}

ContactView ContactService::create(const Actor& actor, const ContactFields& draft, const std::string& remoteAddr,
								   bool confirmDuplicate)
{
	if (!AccessPolicy::mayCreate(actor)) throw AccessDeniedException("only members of the org may create contacts");
	if (!confirmDuplicate) checkDuplicates(actor, draft, 0, true, true);
	int securityLevel = newContactSecurityLevel(actor.orgId);
	Poco::Int64 now = _context.directory.nowMs();
	Contact contact = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			return insertNew(s, actor.orgId, actor.userId, draft, ContactSource::Created, securityLevel, now,
							 actor.userId, AUDIT_CREATE, remoteAddr);
		});

	ContactView view;
	view.contact = contact;
	view.addedBy = _context.people({actor.userId}).front();
	view.visibleMembers = {view.addedBy};
	return view;
}

int ContactService::newContactSecurityLevel(Poco::Int64 orgId)
{
	int securityLevel = _context.directory.orgDefaultSecurityLevel(orgId);
	if (securityLevel < SECURITY_LEVEL_MIN || securityLevel > SECURITY_LEVEL_MAX)
		throw Poco::DataException("the host's default security level is outside -999..0");
	return securityLevel;
}

Contact ContactService::insertNew(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 adderId,
								  const ContactFields& draft, ContactSource source, int securityLevel, Poco::Int64 now,
								  Poco::Int64 auditActorId, const std::string& auditAction,
								  const std::string& remoteAddr)
{
	Contact contact;
	static_cast<ContactFields&>(contact) = draft;
	contact.orgId = orgId;
	contact.source = source;
	contact.addedBy = adderId;
	contact.securityLevel = securityLevel;
	contact.version = 1;
	contact.createdAt = now;
	contact.updatedAt = now;
	contact.visibleMembers = {adderId};
	contact.id = _contacts.insert(session, contact);
	_contacts.addVisibleMembers(session, contact.id, contact.visibleMembers);
	AuditEntry entry = AuditEntry::of(contact.orgId, contact.id, auditActorId, auditAction, now, remoteAddr);
	entry.afterJson = ContactSnapshot::toAuditJson(contact);
	_context.audit.append(session, entry);
	return contact;
}

ContactService::Reach ContactService::requireList(const Actor& actor, AccessPolicy::Scope scope)
{
	if (!AccessPolicy::mayUseContacts(actor)) throw AccessDeniedException("only members of the org may list contacts");
	Reach reach;
	if (scope == AccessPolicy::Scope::Mine) return reach;
	if (holdsMaintain(actor))
	{
		reach.kind = Reach::Kind::Org;
		return reach;
	}
	std::vector<std::string> names;
	{
		Poco::Data::Session s = _context.database.session();
		names = _maintainers.groupsOf(s, actor.orgId, actor.userId);
	}
	if (!AccessPolicy::mayList(actor, scope, false, !names.empty()))
		throw AccessDeniedException("listing all contacts of the org needs " + AccessPolicy::MAINTAIN_PERMISSION +
									" or maintained groups");
	reach.kind = Reach::Kind::Groups;
	for (const std::string& name : names)
		reach.groups.emplace_back(name.empty() ? SortKey::GROUP_NONE : SortKey::GROUP_NAMED, name);
	std::sort(reach.groups.begin(), reach.groups.end());
	return reach;
}

ContactListQuery ContactService::filterFor(const Actor& actor, const ListRequest& request) const
{
	ContactListQuery query;
	query.orgId = actor.orgId;
	query.viewerId = actor.userId;
	query.source = request.source;
	query.search = ContactValidator::validateSearch(request.search);
	return query;
}

ContactPage ContactService::list(const Actor& actor, const ListRequest& request)
{
	Reach reach = requireList(actor, request.scope);
	if (request.limit < 1 || request.limit > LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LIMIT_MAX));
	ContactListQuery query = filterFor(actor, request);
	if (!request.cursor.empty()) query.after = ListCursor::decode(request.cursor);
	// One row more than a page tells whether another page follows.
	query.limit = request.limit + 1;
	std::vector<Contact> rows;
	if (reach.kind == Reach::Kind::Groups)
		rows = listGroups(reach, query);
	else
		rows = readScope<Contact>(
			_context.database,
			reach.kind == Reach::Kind::Org ? ContactStore::Branch::Org : ContactStore::Branch::AddedBy,
			[&](Poco::Data::Session& s, ContactStore::Branch branch) { return _contacts.list(s, branch, query); },
			bySortKey);
	if (rows.size() > query.limit) rows.resize(query.limit);
	ContactPage page;
	if (rows.size() > request.limit)
	{
		rows.resize(request.limit);
		page.nextCursor = ListCursor::encode(rows.back().sortKey());
	}
	page.items = withNames(std::move(rows));
	return page;
}

GroupList ContactService::groups(const Actor& actor, const ListRequest& request)
{
	Reach reach = requireList(actor, request.scope);
	ContactListQuery query = filterFor(actor, request);
	std::vector<GroupCount> counts;
	if (reach.kind == Reach::Kind::Groups)
	{
		Poco::Data::Session s = _context.database.session();
		for (const auto& group : reach.groups)
		{
			query.groupRank = group.first;
			query.groupName = group.second;
			std::vector<GroupCount> part = _contacts.groups(s, ContactStore::Branch::Group, query);
			counts.insert(counts.end(), part.begin(), part.end());
		}
	}
	else
		counts = readScope<GroupCount>(
			_context.database,
			reach.kind == Reach::Kind::Org ? ContactStore::Branch::Org : ContactStore::Branch::AddedBy,
			[&](Poco::Data::Session& s, ContactStore::Branch branch) { return _contacts.groups(s, branch, query); },
			[](const GroupCount& a, const GroupCount& b)
			{ return std::tie(a.groupRank, a.groupName) < std::tie(b.groupRank, b.groupName); });
	GroupList list;
	for (const GroupCount& g : counts)
	{
		std::optional<std::string> name;
		if (g.groupRank == SortKey::GROUP_NAMED) name = g.groupName;
		list.total += g.count;
		// The "mine" branches are disjoint in contacts, not in groups.
		if (!list.items.empty() && list.items.back().name == name)
			list.items.back().count += g.count;
		else
			list.items.push_back({name, g.count});
	}
	return list;
}

std::vector<Contact> ContactService::listGroups(const Reach& reach, const ContactListQuery& query)
{
	// One index range per maintained group, in list order: groups before the
	// cursor's are skipped, the cursor's group continues after it, later
	// groups start at their beginning; reading stops once the page is full.
	std::vector<Contact> rows;
	Poco::Data::Session s = _context.database.session();
	for (const auto& group : reach.groups)
	{
		if (rows.size() >= query.limit) break;
		ContactListQuery part = query;
		part.groupRank = group.first;
		part.groupName = group.second;
		if (query.after)
		{
			auto cursorGroup = std::make_pair(query.after->groupRank, query.after->groupName);
			if (group < cursorGroup) continue;
			if (group != cursorGroup) part.after.reset();
		}
		part.limit = query.limit - rows.size();
		std::vector<Contact> found = _contacts.list(s, ContactStore::Branch::Group, part);
		std::move(found.begin(), found.end(), std::back_inserter(rows));
	}
	return rows;
}

std::optional<ContactView> ContactService::get(const Actor& actor, Poco::Int64 id)
{
	std::optional<Contact> contact;
	std::optional<WeChatIdentity> wechat;
	bool mayEdit = false;
	{
		Poco::Data::Session s = _context.database.session();
		std::optional<ContactAccess::Loaded> loaded = _context.access.findVisible(s, actor, id);
		if (!loaded) return std::nullopt;
		// PATCH, DELETE, PUT permissions / shares and GET history all ask
		// ContactAccess::requireEditable: one rule, AccessPolicy::mayEdit.
		mayEdit = AccessPolicy::mayEdit(actor, loaded->contact, loaded->relation);
		contact = std::move(loaded->contact);
		contact->visibleMembers = _contacts.visibleMembers(s, id);
		wechat = _contacts.wechatOf(s, id);
	}
	ContactView view = viewOf(std::move(*contact));
	view.wechat = std::move(wechat);
	view.mayEdit = mayEdit;
	return view;
}

ContactView ContactService::viewOf(Contact contact)
{
	std::vector<Poco::Int64> ids(contact.visibleMembers);
	ids.push_back(contact.addedBy);
	std::map<Poco::Int64, std::string> names = _context.directory.displayNames(ids);
	ContactView view;
	view.contact = std::move(contact);
	view.addedBy = ContactView::Person::of(view.contact.addedBy, names);
	for (Poco::Int64 member : view.contact.visibleMembers)
		view.visibleMembers.push_back(ContactView::Person::of(member, names));
	return view;
}

EditConflict ContactService::conflict(const Actor& actor, Poco::Int64 id)
{
	std::optional<ContactView> current = get(actor, id);
	if (!current) throw ContactNotFoundException("no such contact");
	return EditConflict(std::move(*current));
}

ContactView ContactService::update(const Actor& actor, Poco::Int64 id, const ContactEdit& edit,
								   const std::string& remoteAddr)
{
	Contact before;
	{
		Poco::Data::Session s = _context.database.session();
		before = _context.access.requireEditable(s, actor, id).contact;
		before.visibleMembers = _contacts.visibleMembers(s, id);
	}
	if (before.version != edit.version) throw conflict(actor, id);
	Contact after = before;
	edit.applyTo(after);
	if (sameFields(before, after)) return viewOf(std::move(after));
	if (!edit.confirmDuplicate)
		checkDuplicates(actor, after, id, DuplicateKey::mobile(after.mobile) != DuplicateKey::mobile(before.mobile),
						DuplicateKey::email(after.email) != DuplicateKey::email(before.email));
	after.version = before.version + 1;
	after.updatedAt = _context.directory.nowMs();

	// The UPDATE re-checks the version under the row lock: of two edits
	// that read the same version, exactly one matches.
	bool won = _context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (!_contacts.update(s, after, edit.version)) return false;
			_context.audit.append(s, _context.auditEntry(actor, after, AUDIT_UPDATE, remoteAddr, &before, &after));
			return true;
		});
	if (!won) throw conflict(actor, id);
	return viewOf(std::move(after));
}

void ContactService::remove(const Actor& actor, Poco::Int64 id, const std::string& remoteAddr)
{
	Contact before;
	{
		Poco::Data::Session s = _context.database.session();
		before = _context.access.requireEditable(s, actor, id).contact;
		before.visibleMembers = _contacts.visibleMembers(s, id);
	}
	Poco::Int64 now = _context.directory.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			if (!_contacts.softDelete(s, actor.orgId, id, now)) throw ContactNotFoundException("no such contact");
			AuditEntry entry = _context.auditEntry(actor, before, AUDIT_DELETE, remoteAddr, &before, nullptr);
			entry.at = now;
			_context.audit.append(s, entry);
		});
}

std::vector<ContactView> ContactService::withNames(std::vector<Contact> contacts)
{
	std::set<Poco::Int64> adders;
	for (const Contact& c : contacts)
		adders.insert(c.addedBy);
	std::map<Poco::Int64, std::string> names;
	if (!adders.empty())
		names = _context.directory.displayNames(std::vector<Poco::Int64>(adders.begin(), adders.end()));
	std::vector<ContactView> views;
	views.reserve(contacts.size());
	for (Contact& c : contacts)
	{
		ContactView view;
		view.addedBy = ContactView::Person::of(c.addedBy, names);
		view.contact = std::move(c);
		views.push_back(std::move(view));
	}
	return views;
}

} // namespace ExternalContacts
