#include "DemoData.h"

namespace RefHost
{

namespace
{

struct DemoUser
{
	const char* login;
	const char* name;
	const char* password;
	int org; // 1 or 2
	bool admin;
	bool maintain;
	const char* role;
};

const DemoUser kUsers[] = {
	{"admin", "管理员", "Demo-Admin-2026!", 1, true, false, "admin of 星河科技"},
	{"zhangwei", "张伟", "Demo-Member-2026!", 1, false, false, "member of 星河科技"},
	{"lina", "李娜", "Demo-Member-2026!", 1, false, false, "member of 星河科技"},
	{"wangfang", "王芳", "Demo-Maintain-2026!", 1, false, true,
	 "member of 星河科技 holding external_contacts.maintain"},
	{"chenjie", "陈杰", "Demo-Member-2026!", 2, false, false, "member of 远山贸易"},
};

const char* const kOrg1 = "星河科技";
const char* const kOrg2 = "远山贸易";

} // namespace

const char* const DemoData::EXTERNAL_LOGIN = "emily.chen";
const char* const DemoData::EXTERNAL_PASSWORD = "Demo-External-2026!";

bool DemoData::seed(Directory& directory)
{
	if (directory.orgByName(kOrg1)) return false;
	Poco::Int64 org1 = directory.createOrg(kOrg1);
	Poco::Int64 org2 = directory.orgByName(kOrg2) ? directory.orgByName(kOrg2)->id : directory.createOrg(kOrg2);
	for (const DemoUser& u : kUsers)
	{
		Poco::Int64 orgId = u.org == 1 ? org1 : org2;
		Poco::Int64 id = directory.createUser(u.login, u.name, u.password);
		directory.addMembership(orgId, id, "member", u.admin, 0);
		if (u.maintain) directory.grantPermission(orgId, id, "external_contacts.maintain");
	}
	return true;
}

bool DemoData::activateExternal(Directory& directory, ExternalAccounts& accounts)
{
	std::optional<Org> org = directory.orgByName(kOrg1);
	std::optional<User> user = directory.userByLogin(EXTERNAL_LOGIN);
	if (!org || !user || user->status != "pending" || user->displayName != "Emily Chen") return false;
	std::optional<Membership> membership = directory.membership(org->id, user->id);
	if (!membership || membership->kind != "external") return false;
	ExternalAccounts::Link link = accounts.reset(user->id, 0); // only external users: refused otherwise
	accounts.activate(link.token, EXTERNAL_PASSWORD);
	return true;
}

void DemoData::printLogins(std::ostream& out)
{
	out << "Demo logins (login / password):\n";
	for (const DemoUser& u : kUsers)
		out << "  " << u.login << " / " << u.password << "   (" << u.role << ")\n";
	out << "  " << EXTERNAL_LOGIN << " / " << EXTERNAL_PASSWORD
		<< "   (external contact Emily Chen of 星河科技; with the demo contacts of make run)\n";
}

} // namespace RefHost
