#include "wechat/WeChatConfig.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace ExternalContacts
{
namespace WeChat
{

namespace
{

bool readString(const Poco::JSON::Object& json, const std::string& key, std::string& out)
{
	if (!json.has(key) || json.isNull(key)) return false;
	Poco::Dynamic::Var value = json.get(key);
	if (!value.isString()) throw Poco::InvalidArgumentException(key + " must be a string");
	out = value.extract<std::string>();
	return true;
}

bool loopbackHost(const std::string& host)
{
	if (Poco::icompare(host, "localhost") == 0) return true;
	// Only an address in its usual spelling: 127.0.0.1.evil.com is a name,
	// and the parser stops at a NUL ("127.0\0.evil" would read as 127.0.0.0).
	Poco::Net::IPAddress address;
	return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback() && address.toString() == host;
}

void readUrl(const Poco::JSON::Object& json, const std::string& key, std::string& out)
{
	std::string value;
	if (!readString(json, key, value)) return;
	if (!secureOrLoopbackUrl(value))
		throw Poco::InvalidArgumentException(
			key + " must be an https:// URL (http:// only to 127.0.0.0/8, [::1] or localhost): "
				  "plain http would carry the app secret, codes, tokens or the JS-SDK in clear");
	// Paths are appended to the base URLs; a trailing slash would double.
	while (!value.empty() && value.back() == '/')
		value.pop_back();
	out = value;
}

} // namespace

bool secureOrLoopbackUrl(const std::string& url)
{
	try
	{
		Poco::URI uri(url);
		// Poco lower-cases the scheme; the host is compared as parsed, the
		// same way PocoTransport will connect to it.
		if (uri.getHost().empty() || !uri.getUserInfo().empty() || !uri.getFragment().empty()) return false;
		if (uri.getScheme() == "https") return true;
		return uri.getScheme() == "http" && loopbackHost(uri.getHost());
	}
	catch (const Poco::Exception&)
	{
		return false;
	}
}

bool Config::configured() const
{
	return !appId.empty() && !appSecret.empty();
}

Config Config::fromJson(const Poco::JSON::Object& pluginConfig)
{
	Config config;
	readString(pluginConfig, "wechatAppId", config.appId);
	readString(pluginConfig, "wechatAppSecret", config.appSecret);
	readUrl(pluginConfig, "wechatOpenBaseUrl", config.openBaseUrl);
	readUrl(pluginConfig, "wechatApiBaseUrl", config.apiBaseUrl);
	readUrl(pluginConfig, "wechatJsSdkUrl", config.jsSdkUrl);
	if (readString(pluginConfig, "wechatCaFile", config.caFile) && !config.caFile.empty())
	{
		Poco::File file(config.caFile);
		if (!file.exists() || !file.isFile())
			throw Poco::InvalidArgumentException("wechatCaFile must name an existing PEM file");
	}
	std::string timeout;
	if (readString(pluginConfig, "wechatTimeoutMs", timeout))
	{
		int ms = 0;
		if (!Poco::NumberParser::tryParse(timeout, ms) || ms < 100 || ms > 60000)
			throw Poco::InvalidArgumentException(
				"wechatTimeoutMs must be a whole number of milliseconds in 100..60000");
		config.timeoutMs = ms;
	}
	std::string backoff;
	if (readString(pluginConfig, "wechatFailureBackoffSeconds", backoff))
	{
		int seconds = 0;
		if (!Poco::NumberParser::tryParse(backoff, seconds) || seconds < 1 || seconds > 600)
			throw Poco::InvalidArgumentException(
				"wechatFailureBackoffSeconds must be a whole number of seconds in 1..600");
		config.failureBackoffSeconds = seconds;
	}
	return config;
}

} // namespace WeChat
} // namespace ExternalContacts
