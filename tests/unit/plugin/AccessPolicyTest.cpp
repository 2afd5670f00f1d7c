#include "domain/AccessPolicy.h"

#include <cppunit/extensions/HelperMacros.h>

using ExternalContacts::AccessPolicy;
using ExternalContacts::Actor;
using ExternalContacts::Contact;

namespace
{

constexpr Poco::Int64 ORG = 10;
constexpr Poco::Int64 OTHER_ORG = 11;
constexpr Poco::Int64 ADDER = 1;
constexpr Poco::Int64 OTHER = 2;

Actor member(Poco::Int64 userId, Poco::Int64 orgId = ORG, bool admin = false)
{
	Actor a;
	a.userId = userId;
	a.orgId = orgId;
	a.kind = Actor::Kind::Member;
	a.isAdmin = admin;
	return a;
}

Actor external(Poco::Int64 userId)
{
	Actor a = member(userId);
	a.kind = Actor::Kind::External;
	a.securityLevel = -5;
	return a;
}

Actor anonymous()
{
	return Actor();
}

Contact contactOf(Poco::Int64 adder, Poco::Int64 orgId = ORG)
{
	Contact c;
	c.id = 100;
	c.orgId = orgId;
	c.name = "Zhang San";
	c.addedBy = adder;
	return c;
}

AccessPolicy::Relation relation(bool holdsMaintain, bool shared)
{
	AccessPolicy::Relation r;
	r.holdsMaintain = holdsMaintain;
	r.sharedWithActor = shared;
	return r;
}

} // namespace

class AccessPolicyTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(AccessPolicyTest);
	CPPUNIT_TEST(testAdderSeesOwnContact);
	CPPUNIT_TEST(testOtherMemberDoesNotSeeIt);
	CPPUNIT_TEST(testSharedWithMemberSeesIt);
	CPPUNIT_TEST(testMaintainHolderAndAdminSeeEveryContactOfTheOrg);
	CPPUNIT_TEST(testNobodySeesAnotherOrgsContact);
	CPPUNIT_TEST(testExternalUsersAndAnonymousSeeNothing);
	CPPUNIT_TEST(testMemberMayListMineButNotAll);
	CPPUNIT_TEST(testMaintainHolderAndAdminMayListAll);
	CPPUNIT_TEST(testExternalUsersAndAnonymousMayNotList);
	CPPUNIT_TEST(testOnlyMembersMayCreate);
	CPPUNIT_TEST(testAdderIsOnlyTheAdderInTheSameOrg);
	CPPUNIT_TEST(testAdderAdminMaintainHolderAndGroupMaintainerMayEdit);
	CPPUNIT_TEST(testSharedWithMemberMaySeeButNotEdit);
	CPPUNIT_TEST(testNobodyElseMayEdit);
	CPPUNIT_TEST_SUITE_END();

public:
	void testAdderSeesOwnContact()
	{
		CPPUNIT_ASSERT(AccessPolicy::maySee(member(ADDER), contactOf(ADDER), relation(false, false)));
	}

	void testOtherMemberDoesNotSeeIt()
	{
		CPPUNIT_ASSERT(!AccessPolicy::maySee(member(OTHER), contactOf(ADDER), relation(false, false)));
	}

	void testSharedWithMemberSeesIt()
	{
		CPPUNIT_ASSERT(AccessPolicy::maySee(member(OTHER), contactOf(ADDER), relation(false, true)));
	}

	void testMaintainHolderAndAdminSeeEveryContactOfTheOrg()
	{
		CPPUNIT_ASSERT(AccessPolicy::maySee(member(OTHER), contactOf(ADDER), relation(true, false)));
		CPPUNIT_ASSERT(AccessPolicy::maySee(member(OTHER, ORG, true), contactOf(ADDER), relation(false, false)));
	}

	void testNobodySeesAnotherOrgsContact()
	{
		Contact foreign = contactOf(ADDER, OTHER_ORG);
		CPPUNIT_ASSERT(!AccessPolicy::maySee(member(ADDER), foreign, relation(true, true)));
		CPPUNIT_ASSERT(!AccessPolicy::maySee(member(OTHER, ORG, true), foreign, relation(true, true)));
	}

	void testExternalUsersAndAnonymousSeeNothing()
	{
		CPPUNIT_ASSERT(!AccessPolicy::maySee(external(ADDER), contactOf(ADDER), relation(true, true)));
		CPPUNIT_ASSERT(!AccessPolicy::maySee(anonymous(), contactOf(0, 0), relation(true, true)));
	}

	void testMemberMayListMineButNotAll()
	{
		CPPUNIT_ASSERT(AccessPolicy::mayList(member(OTHER), AccessPolicy::Scope::Mine, false));
		CPPUNIT_ASSERT(!AccessPolicy::mayList(member(OTHER), AccessPolicy::Scope::All, false));
	}

	void testMaintainHolderAndAdminMayListAll()
	{
		CPPUNIT_ASSERT(AccessPolicy::mayList(member(OTHER), AccessPolicy::Scope::All, true));
		CPPUNIT_ASSERT(AccessPolicy::mayList(member(OTHER, ORG, true), AccessPolicy::Scope::All, false));
		// A group maintainer may list "all" (then limited to their groups).
		CPPUNIT_ASSERT(AccessPolicy::mayList(member(OTHER), AccessPolicy::Scope::All, false, true));
		CPPUNIT_ASSERT(!AccessPolicy::mayList(external(OTHER), AccessPolicy::Scope::All, false, true));
	}

	void testExternalUsersAndAnonymousMayNotList()
	{
		CPPUNIT_ASSERT(!AccessPolicy::mayList(external(OTHER), AccessPolicy::Scope::Mine, true));
		CPPUNIT_ASSERT(!AccessPolicy::mayList(anonymous(), AccessPolicy::Scope::Mine, true));
	}

	void testOnlyMembersMayCreate()
	{
		CPPUNIT_ASSERT(AccessPolicy::mayCreate(member(OTHER)));
		CPPUNIT_ASSERT(!AccessPolicy::mayCreate(external(OTHER)));
		CPPUNIT_ASSERT(!AccessPolicy::mayCreate(anonymous()));
		CPPUNIT_ASSERT(!AccessPolicy::mayCreate(member(OTHER, 0)));
	}

	void testAdderIsOnlyTheAdderInTheSameOrg()
	{
		CPPUNIT_ASSERT(AccessPolicy::isAdder(member(ADDER), contactOf(ADDER)));
		CPPUNIT_ASSERT(!AccessPolicy::isAdder(member(ADDER, OTHER_ORG), contactOf(ADDER)));
		CPPUNIT_ASSERT(!AccessPolicy::isAdder(external(ADDER), contactOf(ADDER)));
	}

	void testAdderAdminMaintainHolderAndGroupMaintainerMayEdit()
	{
		CPPUNIT_ASSERT(AccessPolicy::mayEdit(member(ADDER), contactOf(ADDER), relation(false, false)));
		CPPUNIT_ASSERT(AccessPolicy::mayEdit(member(OTHER, ORG, true), contactOf(ADDER), relation(false, false)));
		CPPUNIT_ASSERT(AccessPolicy::mayEdit(member(OTHER), contactOf(ADDER), relation(true, false)));
		AccessPolicy::Relation groupMaintainer;
		groupMaintainer.maintainsGroup = true;
		CPPUNIT_ASSERT(AccessPolicy::mayEdit(member(OTHER), contactOf(ADDER), groupMaintainer));
		CPPUNIT_ASSERT(AccessPolicy::maySee(member(OTHER), contactOf(ADDER), groupMaintainer));
	}

	void testSharedWithMemberMaySeeButNotEdit()
	{
		CPPUNIT_ASSERT(AccessPolicy::maySee(member(OTHER), contactOf(ADDER), relation(false, true)));
		CPPUNIT_ASSERT(!AccessPolicy::mayEdit(member(OTHER), contactOf(ADDER), relation(false, true)));
	}

	void testNobodyElseMayEdit()
	{
		CPPUNIT_ASSERT(!AccessPolicy::mayEdit(member(OTHER), contactOf(ADDER), relation(false, false)));
		CPPUNIT_ASSERT(!AccessPolicy::mayEdit(external(ADDER), contactOf(ADDER), relation(true, true)));
		CPPUNIT_ASSERT(!AccessPolicy::mayEdit(anonymous(), contactOf(ADDER), relation(true, true)));
		CPPUNIT_ASSERT(!AccessPolicy::mayEdit(member(ADDER, OTHER_ORG, true), contactOf(ADDER), relation(true, false)));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccessPolicyTest);
