#pragma once

#include <Poco/JSON/Object.h>
#include <string>

namespace ExternalContacts
{
namespace WeChat
{

constexpr int FAILURE_BACKOFF_SECONDS_DEFAULT = 30;

bool secureOrLoopbackUrl(const std::string& url);
/// True iff url is an absolute https:// URL with a host, or an http:// one
/// whose host is a loopback address in its usual spelling (127.0.0.0/8 as
/// a.b.c.d, [::1]) or "localhost" (any case) - where the tests' stand-ins
/// listen; never with user info or a
/// fragment. Over anything else plain http would carry the app secret,
/// codes, tokens or the JS-SDK script in clear. Pure; never throws.

struct Config
/// Where and as whom the plugin talks to WeChat (R4.3 web authorization,
/// R4.6 JS-SDK share card). The base URLs are configuration so that the
/// tests can point the real client at local servers.
{
	std::string appId;
	std::string appSecret;
	/// Secret: never put it in a message, a log line or an answer.
	std::string openBaseUrl = "https://open.weixin.qq.com";
	/// Where the browser is sent to consent (connect/oauth2/authorize).
	std::string apiBaseUrl = "https://api.weixin.qq.com";
	/// The server-to-server API (sns/..., cgi-bin/...).
	std::string jsSdkUrl = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js";
	/// The script the share page loads.
	std::string caFile;
	/// A PEM file of trusted CAs for https://; empty means the system CA store.
	int timeoutMs = 5000;
	/// Connect, send and receive timeout of one request.
	int failureBackoffSeconds = FAILURE_BACKOFF_SECONDS_DEFAULT;
	/// After a failed access token or JS-SDK ticket fetch WeChat is not
	/// asked again for this long (TicketCache).

	bool configured() const;
	/// True iff appId and appSecret are both set: without them the WeChat
	/// functions are off.

	static Config fromJson(const Poco::JSON::Object& pluginConfig);
	/// Reads the flat string keys wechatAppId, wechatAppSecret,
	/// wechatOpenBaseUrl, wechatApiBaseUrl, wechatJsSdkUrl, wechatCaFile,
	/// wechatTimeoutMs and wechatFailureBackoffSeconds; an absent key keeps
	/// the default above. Throws Poco::InvalidArgumentException naming the
	/// key when a value is not a string, a URL fails secureOrLoopbackUrl,
	/// the CA file does not exist, the timeout is not a whole number in
	/// 100..60000 or the back-off not one in 1..600. The secret's value
	/// never appears in a message.
};

} // namespace WeChat
} // namespace ExternalContacts
