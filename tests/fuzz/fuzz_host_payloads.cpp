// The host's side of the C ABI: the JSON requests a plugin sends with
// cb_directory, cb_account, cb_notify, cb_notify_resolve and the menu and
// page registrations, read as the reference
// host reads them (hostsdk/support/JsonPayload.h, PluginHostTable.cpp).
// The first input byte picks the operation, the rest is the request as the
// C string the plugin passes (a NUL ends it). Checks:
//  - only HostSdk::Error(HOSTSDK_E_INVALID) escapes: a plugin's bad request
//    never becomes HOSTSDK_E_INTERNAL;
//  - every value read obeys its documented limit (ids > 0, page limits
//    1..100, afterUserId >= 0, find limits 1..20, id lists at most 1000,
//    permission names 1..64 bytes, security levels -999..0, TTLs).
#include "FuzzCheck.h"
#include "hostsdk/support/JsonPayload.h"
#include <cstdint>

using namespace HostSdk::JsonPayload;

namespace
{

constexpr int TTL_MAX_SECONDS = 30 * 24 * 3600; // RefHost::ExternalAccounts::TTL_MAX_SECONDS

Poco::Int64 id(const Poco::JSON::Object::Ptr& req, const char* key)
{
	Poco::Int64 v = requireId(req, key);
	FUZZ_CHECK(v > 0, std::string(key) + " not positive");
	return v;
}

void page(const Poco::JSON::Object::Ptr& req)
{
	Poco::Int64 after = afterUserId(req);
	FUZZ_CHECK(after >= 0, "afterUserId negative");
	int limit = pageLimit(req);
	FUZZ_CHECK(limit >= 1 && limit <= 100, "page limit out of range");
}

void ranged(const Poco::JSON::Object::Ptr& req, const char* key, int fallback, int min, int max)
{
	int v = optionalInt(req, key, fallback, min, max);
	FUZZ_CHECK(v == fallback || (v >= min && v <= max), std::string(key) + " out of range");
	if (!req->has(key)) FUZZ_CHECK(v == fallback, std::string(key) + " absent but not the fallback");
}

void run(unsigned op, const char* json)
{
	Poco::JSON::Object::Ptr req = parseObject(json);
	switch (op)
	{
	case 0: // user.get, org.get
		id(req, "id");
		break;
	case 1: // users.get
	{
		std::vector<Poco::Int64> ids = idList(req, "ids", 1000);
		FUZZ_CHECK(ids.size() <= 1000, "more than 1000 ids");
		break;
	}
	case 2: // memberships.of_user, account.get/disable/enable, account.reset
		id(req, "userId");
		ranged(req, "ttlSeconds", 0, 0, TTL_MAX_SECONDS);
		break;
	case 3: // member.is_member, membership.remove_external
		id(req, "orgId");
		id(req, "userId");
		break;
	case 4: // members.of_org
		id(req, "orgId");
		page(req);
		break;
	case 5: // members.with_permission
	{
		std::string permission = permissionName(req);
		FUZZ_CHECK(!permission.empty() && permission.size() <= 64, "permission name length");
		optionalFlag(req, "includeAdmins", true);
		id(req, "orgId");
		page(req);
		break;
	}
	case 6: // members.search
		requireText(req, "q");
		id(req, "orgId");
		page(req);
		break;
	case 7: // members.find
	{
		requireText(req, "orgName");
		requireText(req, "q");
		ranged(req, "limit", 10, 1, 20);
		break;
	}
	case 8: // membership.add_external
	{
		id(req, "orgId");
		id(req, "userId");
		int level = membershipLevel(req);
		FUZZ_CHECK(level >= -999 && level <= 0, "security level out of range");
		break;
	}
	case 9: // account.create_pending
	{
		requireText(req, "displayName");
		if (req->has("loginHint")) requireText(req, "loginHint");
		id(req, "orgId");
		ranged(req, "securityLevel", 0, -999, 0);
		ranged(req, "ttlSeconds", 0, 0, TTL_MAX_SECONDS);
		break;
	}
	case 10: // account.set_security_level
		id(req, "orgId");
		id(req, "userId");
		ranged(req, "securityLevel", 0, -999, 0);
		break;
	case 11: // notify
	{
		Notification n = readNotification(json);
		FUZZ_CHECK(!n.userIds.empty() && n.userIds.size() <= 10000, "recipient count out of range");
		for (Poco::Int64 user : n.userIds)
			FUZZ_CHECK(user > 0, "recipient id not positive");
		FUZZ_CHECK(!n.type.empty() && n.type.size() <= 64, "type length out of range");
		FUZZ_CHECK(n.groupKey.size() <= 128, "groupKey longer than 128");
		FUZZ_CHECK(n.orgId >= 0, "orgId negative");
		// What is stored is JSON the web shell can read back.
		for (const std::string* stored : {&n.titleJson, &n.bodyJson, &n.actionsJson})
			parseObject(("{\"v\":" + *stored + "}").c_str());
		break;
	}
	case 12: // register_menu
	{
		MenuItem m = readMenuItem(json, {"main.nav", "backoffice.nav"});
		FUZZ_CHECK(m.location == "main.nav" || m.location == "backoffice.nav", "unknown location accepted");
		FUZZ_CHECK(!m.id.empty() && m.id.size() <= 64, "menu id length out of range");
		FUZZ_CHECK(m.order >= -1000000 && m.order <= 1000000, "order out of range");
		break;
	}
	case 13: // register_page
		FUZZ_CHECK(readPage(json)->has("label"), "page without a label");
		break;
	default: // notify_resolve's outcome: an object, nothing more
		break;
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	if (size < 1) return 0;
	unsigned op = data[0] % 15;
	std::string request(reinterpret_cast<const char*>(data) + 1, size - 1);
	try
	{
		run(op, request.c_str());
	}
	catch (const HostSdk::Error& e)
	{
		FUZZ_CHECK(e.status() == HOSTSDK_E_INVALID, "status other than HOSTSDK_E_INVALID");
	}
	return 0;
}
