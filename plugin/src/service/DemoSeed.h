#pragma once

#include "service/ApplicationService.h"
#include "service/ContactService.h"
#include "service/InvitationService.h"
#include "service/OrgRequestService.h"
#include <Poco/Types.h>
#include <cstddef>
#include <string>

namespace ExternalContacts
{

class DemoSeed
/// The demo contacts of `make run` (setting demoContacts): about sixty
/// external contacts of the host's demo org 星河科技 over eight companies and
/// 未分组, added by its demo members, some shared, with varied permission
/// settings, accounts in every state (an application waiting in the log, one
/// rejected, one approved and waiting for activation, one the host activates
/// as the demo login emily.chen, one disabled), invitation links (one used),
/// a pending 从其他组织添加 request from 远山贸易 and an accepted one, and
/// maintainers of two groups.
///
/// Everything goes through the services, as a person would do it in the
/// pages, so search tokens, group counts, the history, notifications and
/// host accounts agree. The demo org and people are found through the host
/// directory by the names and logins the reference host's --seed-demo
/// gives them; without them nothing happens. Nothing happens either when
/// the org already has a contact (a database in use, or a restart). Nodes
/// sharing a database take a named lock first (SqlDatabase::serialized):
/// one seeds, the others wait and then find contacts.
{
public:
	struct Services
	{
		ServiceContext& context;
		ContactService& contacts;
		AccountService& accounts;
		ApplicationService& applications;
		InvitationService& invitations;
		OrgRequestService& orgRequests;
	};

	struct Outcome
	{
		bool seeded = false;
		std::string reason;        /// why nothing was seeded
		std::size_t contacts = 0;  /// contacts made
		Poco::Int64 elapsedMs = 0; /// lock wait included
	};

	static const char* const ORG;       /// 星河科技
	static const char* const OTHER_ORG; /// 远山贸易

	explicit DemoSeed(Services services);

	Outcome run();
	/// Seeds when the demo org is there and has no contact yet. Throws what
	/// the services throw (a half-made seed stays: delete the data to retry).

private:
	Services _services;
};

} // namespace ExternalContacts
