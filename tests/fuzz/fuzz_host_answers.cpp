// The plugin's side of the C ABI: the JSON answers of the host to
// cb_directory and cb_account (host/HostDirectory, host/HostAccounts, called
// through a host table whose callbacks answer the fuzz input) and the JSON
// payloads of the host's hooks (host/HookPayloads, as MemberHooks reads
// them). The first input byte picks the call, the rest is the host's text.
// Checks:
//  - a malformed answer is an exception (HostSdk::Error or Poco's), never a
//    crash, a hang or a leak; hook payloads fail only with
//    HostSdk::Error(HOSTSDK_E_INVALID);
//  - what is read obeys what the plugin relies on: membersAmong() only
//    returns ids it asked about, holdersOf() at most HOLDERS_MAX ids,
//    createPending() a positive user id and a login, reissueLink() a path;
//    hook ids are positive; keepVisible() answers a JSON object whose items
//    are a subset of the payload's items, all of them visible.
#include "FuzzCheck.h"
#include "host/HookPayloads.h"
#include "host/HostAccounts.h"
#include "host/HostDirectory.h"
#include <Poco/Exception.h>
#include <cstdint>

using namespace ExternalContacts;

namespace
{

std::string g_answer;
hostsdk_status g_status = HOSTSDK_OK;

hostsdk_status answer(void*, const char*, const char*, hostsdk_sink out, hostsdk_sink err)
{
	if (g_status != HOSTSDK_OK)
	{
		HostSdk::writeTo(err, g_answer);
		return g_status;
	}
	HostSdk::writeTo(out, g_answer);
	return HOSTSDK_OK;
}

hostsdk_status permission(void*, int64_t, int64_t, const char*, int32_t* allowed, hostsdk_sink)
{
	*allowed = 1;
	return HOSTSDK_OK;
}

int64_t clockNow(void*)
{
	return 1764400000000;
}

hostsdk_host_v1 makeTable()
{
	hostsdk_host_v1 h{};
	h.struct_size = sizeof(h);
	h.abi_major = HOSTSDK_ABI_MAJOR;
	h.abi_minor = HOSTSDK_ABI_MINOR;
	h.cb_directory = answer;
	h.cb_account = answer;
	h.cb_permission_check = permission;
	h.cb_clock_now_ms = clockNow;
	return h;
}

const std::set<Poco::Int64> VISIBLE = {1, 2, 3, 42};

void hook(unsigned which, const std::string& payload)
{
	try
	{
		if (which == 0)
		{
			HookPayloads::MemberLeft left = HookPayloads::memberLeft(payload);
			FUZZ_CHECK(left.orgId > 0 && left.userId > 0 && left.byUserId >= 0, "member.has_left_org ids");
		}
		else if (which == 1)
		{
			FUZZ_CHECK(HookPayloads::profileChanged(payload).userId > 0, "user.profile_has_changed userId");
		}
		else
		{
			std::string out = HookPayloads::keepVisible(payload, [](Poco::Int64, Poco::Int64) { return VISIBLE; });
			Poco::JSON::Parser parser;
			Poco::Dynamic::Var parsed = parser.parse(out);
			FUZZ_CHECK(parsed.type() == typeid(Poco::JSON::Object::Ptr), "keepVisible answer is not an object");
			Poco::JSON::Array::Ptr items = parsed.extract<Poco::JSON::Object::Ptr>()->getArray("items");
			FUZZ_CHECK(items, "keepVisible answer without items");
			Poco::JSON::Array::Ptr before = HookPayloads::parse(payload, "test")->getArray("items");
			FUZZ_CHECK(before && items->size() <= before->size(), "keepVisible added items");
			for (std::size_t i = 0; i < items->size(); ++i)
			{
				Poco::JSON::Object::Ptr item = items->getObject(static_cast<unsigned>(i));
				FUZZ_CHECK(item, "kept item is not an object");
				FUZZ_CHECK(VISIBLE.count(item->getValue<Poco::Int64>("id")), "kept an item that is not visible");
			}
		}
	}
	catch (const HostSdk::Error& e)
	{
		FUZZ_CHECK(e.status() == HOSTSDK_E_INVALID, "hook payload error other than HOSTSDK_E_INVALID");
	}
}

void call(unsigned which, const HostSdk::HostApi& host)
{
	HostDirectory directory(host);
	HostAccounts accounts(host);
	switch (which)
	{
	case 0:
	{
		// users.names on this host (ABI 1.4), users.get on a 1.3 host: the
		// same text read both ways.
		try
		{
			directory.displayNames({1, 2, 3});
		}
		catch (const HostSdk::Error&)
		{
		}
		catch (const Poco::Exception&)
		{
		}
		hostsdk_host_v1 older = *host.table();
		older.abi_minor = 3;
		HostDirectory(HostSdk::HostApi(&older)).displayNames({1, 2, 3});
		break;
	}
	case 1:
		directory.orgDefaultSecurityLevel(1);
		directory.orgName(1);
		break;
	case 2:
	{
		std::set<Poco::Int64> m = directory.membersAmong(1, {5, 7});
		for (Poco::Int64 id : m)
			FUZZ_CHECK(id == 5 || id == 7, "membersAmong returned an id not asked about");
		break;
	}
	case 3:
		directory.firstHolderOf(1, "external_contacts.maintain", true);
		break;
	case 4:
		FUZZ_CHECK(directory.holdersOf(1, "external_contacts.maintain").size() <= Directory::HOLDERS_MAX,
				   "holdersOf above HOLDERS_MAX");
		break;
	case 5:
		directory.searchMembers(1, "li", 20);
		break;
	case 6:
		directory.findMembers("星河科技", "li", 10);
		break;
	case 7:
		directory.profileOf(1);
		break;
	case 8:
	{
		AccountGateway::Created c = accounts.createPending(1, "林外部", "lin", 0);
		FUZZ_CHECK(c.userId > 0 && !c.login.empty(), "createPending without a user");
		break;
	}
	case 9:
		FUZZ_CHECK(!accounts.reissueLink(1).path.empty(), "reissueLink without a path");
		break;
	case 10:
		accounts.status(1);
		break;
	default:
		accounts.addExternalMembership(1, 2, 0);
		accounts.removeExternalMembership(1, 2);
		break;
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	if (size < 1) return 0;
	unsigned which = data[0] % 16;
	std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
	if (which >= 13)
	{
		hook(which - 13, std::string(text.c_str())); // a C string across the ABI
		return 0;
	}
	// which 12: the host fails the call (status 1..7, the text is its
	// message); the calls that handle some statuses themselves must pass
	// on the others.
	g_status =
		which == 12 ? static_cast<hostsdk_status>(HOSTSDK_E_INVALID + (text.empty() ? 0 : text[0] % 7)) : HOSTSDK_OK;
	g_answer = text.c_str();
	hostsdk_host_v1 table = makeTable();
	HostSdk::HostApi host(&table);
	for (unsigned c : which == 12 ? std::vector<unsigned>{1, 7, 11} : std::vector<unsigned>{which})
	{
		try
		{
			call(c, host);
		}
		catch (const HostSdk::Error&)
		{
		}
		catch (const Poco::Exception&)
		{
		}
	}
	return 0;
}
