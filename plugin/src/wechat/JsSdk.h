#pragma once

#include "wechat/TicketCache.h"
#include "wechat/WeChatConfig.h"
#include <Poco/Types.h>
#include <string>

namespace ExternalContacts
{
namespace WeChat
{

std::string jsSdkSignature(const std::string& ticket, const std::string& nonceStr, Poco::Int64 timestamp,
						   const std::string& url);
/// WeChat's JS-SDK signature (附录1): the lower-case SHA-1 hex of
/// "jsapi_ticket=T&noncestr=N&timestamp=S&url=U", the values as they are
/// (not URL-encoded), the url cut at its first '#'.

struct JsSdkConfig
/// What the page passes to wx.config (with jsApiList of its own).
{
	std::string appId;
	std::string nonceStr;
	std::string signature;
	Poco::Int64 timestamp = 0;
	/// Seconds since the Unix epoch.
};

std::string randomNonce(std::size_t length = 24);
/// length characters of A-Z a-z 0-9 from OpenSSL's CSPRNG, without
/// modulo bias. Throws Poco::RuntimeException when the CSPRNG fails.

JsSdkConfig signPage(TicketCache& tickets, const Config& config, const std::string& url, Poco::Int64 nowSeconds);
/// Signs url (the page's full address; the fragment is dropped) with the
/// cached ticket and a fresh nonce. Throws what TicketCache::ticket()
/// throws, and Poco::InvalidArgumentException for an empty url.

} // namespace WeChat
} // namespace ExternalContacts
