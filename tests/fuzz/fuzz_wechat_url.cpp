// The WeChat base URL settings (wechat/WeChatConfig: secureOrLoopbackUrl and
// Config::fromJson for wechatApiBaseUrl, wechatOpenBaseUrl, wechatJsSdkUrl;
// issue 14, finding 10). The input is the setting's value. Checks:
//  - secureOrLoopbackUrl never throws;
//  - fromJson accepts the value for each key exactly when secureOrLoopbackUrl
//    does, else throws InvalidArgumentException naming the key; an
//    accepted value is kept without its trailing slashes;
//  - an accepted URL parses, has a host, no user info and no fragment, and
//    is https:// - or http:// to "localhost" or to a host that is an IP
//    literal (digits, hex, dots, colons; a %zone aside): never a name such
//    as 127.0.0.1.evil.com.
#include "FuzzCheck.h"
#include "wechat/WeChatConfig.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <cstdint>

using namespace ExternalContacts::WeChat;

namespace
{

bool ipLiteral(const std::string& host)
{
	const std::string address = host.substr(0, host.find('%'));
	return !address.empty() && address.find_first_not_of("0123456789abcdefABCDEFxX.:") == std::string::npos;
}

void checkAccepted(const std::string& url)
{
	Poco::URI uri(url); // must parse: it was accepted
	FUZZ_CHECK(!uri.getHost().empty(), url);
	FUZZ_CHECK(uri.getUserInfo().empty(), url);
	FUZZ_CHECK(uri.getFragment().empty(), url);
	if (uri.getScheme() == "https") return;
	FUZZ_CHECK(uri.getScheme() == "http", url);
	FUZZ_CHECK(Poco::icompare(uri.getHost(), "localhost") == 0 || ipLiteral(uri.getHost()), url);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	const std::string url(reinterpret_cast<const char*>(data), size);
	bool accepted = false;
	try
	{
		accepted = secureOrLoopbackUrl(url);
	}
	catch (...)
	{
		FUZZ_CHECK(false, "secureOrLoopbackUrl threw");
	}
	if (accepted) checkAccepted(url);

	for (const char* key : {"wechatApiBaseUrl", "wechatOpenBaseUrl", "wechatJsSdkUrl"})
	{
		Poco::JSON::Object json;
		json.set(key, url);
		try
		{
			Config config = Config::fromJson(json);
			FUZZ_CHECK(accepted, std::string(key) + " accepted what secureOrLoopbackUrl refuses");
			const std::string& kept = std::string(key) == "wechatApiBaseUrl"    ? config.apiBaseUrl
									  : std::string(key) == "wechatOpenBaseUrl" ? config.openBaseUrl
																				: config.jsSdkUrl;
			std::string trimmed = url;
			while (!trimmed.empty() && trimmed.back() == '/')
				trimmed.pop_back();
			FUZZ_CHECK(kept == trimmed, key);
		}
		catch (const Poco::InvalidArgumentException& e)
		{
			FUZZ_CHECK(!accepted, std::string(key) + " refused what secureOrLoopbackUrl accepts");
			FUZZ_CHECK(e.message().find(key) != std::string::npos, "the error names the setting");
		}
	}
	return 0;
}
