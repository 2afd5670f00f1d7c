#include "domain/AccessPolicy.h"

namespace ExternalContacts
{

const std::string AccessPolicy::MAINTAIN_PERMISSION("external_contacts.maintain");

bool AccessPolicy::mayUseContacts(const Actor& actor)
{
	return actor.kind == Actor::Kind::Member && actor.userId > 0 && actor.orgId > 0;
}

bool AccessPolicy::mayList(const Actor& actor, Scope scope, bool holdsMaintain, bool maintainsGroups)
{
	if (!mayUseContacts(actor)) return false;
	return scope == Scope::Mine || actor.isAdmin || holdsMaintain || maintainsGroups;
}

bool AccessPolicy::isAdder(const Actor& actor, const Contact& contact)
{
	return mayUseContacts(actor) && contact.orgId == actor.orgId && contact.addedBy == actor.userId;
}

bool AccessPolicy::maySee(const Actor& actor, const Contact& contact, const Relation& relation)
{
	if (!mayUseContacts(actor) || contact.orgId != actor.orgId) return false;
	return mayEdit(actor, contact, relation) || relation.sharedWithActor;
}

bool AccessPolicy::mayEdit(const Actor& actor, const Contact& contact, const Relation& relation)
{
	if (!mayUseContacts(actor) || contact.orgId != actor.orgId) return false;
	return contact.addedBy == actor.userId || actor.isAdmin || relation.holdsMaintain || relation.maintainsGroup;
}

bool AccessPolicy::mayApplyForAccount(const Actor& actor, const Contact& contact, const Relation& relation)
{
	return mayEdit(actor, contact, relation);
}

bool AccessPolicy::mayDecideApplication(const Actor& actor, const Contact& contact, const Relation& relation)
{
	if (!mayUseContacts(actor) || contact.orgId != actor.orgId) return false;
	return actor.isAdmin || relation.holdsMaintain || relation.maintainsGroup;
}

bool AccessPolicy::mayManageAccount(const Actor& actor, bool holdsMaintain)
{
	return mayUseContacts(actor) && (actor.isAdmin || holdsMaintain);
}

bool AccessPolicy::mayTransfer(const Actor& actor, bool holdsMaintain)
{
	return mayUseContacts(actor) && (actor.isAdmin || holdsMaintain);
}

bool AccessPolicy::mayCreate(const Actor& actor)
{
	return mayUseContacts(actor);
}

} // namespace ExternalContacts
