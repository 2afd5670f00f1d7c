#include "service/ContactAccess.h"

#include "domain/Exceptions.h"

namespace ExternalContacts
{

ContactAccess::ContactAccess(Database& database, Directory& directory) : _contacts(database), _directory(directory) {}

bool ContactAccess::holdsMaintain(const Actor& actor)
{
	if (actor.isAdmin) return true;
	// Passed with the request (ABI 1.4): no call to the host.
	if (actor.permissions) return actor.holds(AccessPolicy::MAINTAIN_PERMISSION);
	return _directory.hasPermission(actor.userId, actor.orgId, AccessPolicy::MAINTAIN_PERMISSION);
}

AccessPolicy::Relation ContactAccess::relationOf(Poco::Data::Session& session, const Actor& actor,
												 const Contact& contact)
{
	AccessPolicy::Relation relation;
	if (AccessPolicy::isAdder(actor, contact)) return relation;
	relation.holdsMaintain = holdsMaintain(actor);
	if (relation.holdsMaintain) return relation;
	relation.maintainsGroup = _maintainers.maintains(session, actor.orgId, actor.userId, contact.sortKey().groupName);
	if (!relation.maintainsGroup) relation.sharedWithActor = _contacts.isSharedWith(session, contact.id, actor.userId);
	return relation;
}

AccessPolicy::Relation ContactAccess::fullRelationOf(Poco::Data::Session& session, const Actor& actor,
													 const Contact& contact)
{
	AccessPolicy::Relation relation;
	relation.holdsMaintain = holdsMaintain(actor);
	relation.maintainsGroup = _maintainers.maintains(session, actor.orgId, actor.userId, contact.sortKey().groupName);
	relation.sharedWithActor = _contacts.isSharedWith(session, contact.id, actor.userId);
	return relation;
}

std::optional<ContactAccess::Loaded> ContactAccess::findVisible(Poco::Data::Session& session, const Actor& actor,
																Poco::Int64 id)
{
	if (!AccessPolicy::mayUseContacts(actor)) return std::nullopt;
	std::optional<Contact> contact = _contacts.findById(session, actor.orgId, id);
	if (!contact) return std::nullopt;
	AccessPolicy::Relation relation = relationOf(session, actor, *contact);
	if (!AccessPolicy::maySee(actor, *contact, relation)) return std::nullopt;
	return Loaded{std::move(*contact), relation};
}

ContactAccess::Loaded ContactAccess::requireVisible(Poco::Data::Session& session, const Actor& actor, Poco::Int64 id)
{
	std::optional<Loaded> loaded = findVisible(session, actor, id);
	if (!loaded) throw ContactNotFoundException("no such contact");
	return std::move(*loaded);
}

ContactAccess::Loaded ContactAccess::requireEditable(Poco::Data::Session& session, const Actor& actor, Poco::Int64 id)
{
	Loaded loaded = requireVisible(session, actor, id);
	if (!AccessPolicy::mayEdit(actor, loaded.contact, loaded.relation))
		throw AccessDeniedException("only the adder, maintainers and maintain-holders may change this contact");
	return loaded;
}

} // namespace ExternalContacts
