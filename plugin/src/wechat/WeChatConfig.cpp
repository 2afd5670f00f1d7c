#include "wechat/WeChatConfig.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/NumberParser.h>
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

void readUrl(const Poco::JSON::Object& json, const std::string& key, std::string& out)
{
	std::string value;
	if (!readString(json, key, value)) return;
	bool valid = false;
	try
	{
		Poco::URI uri(value);
		valid = (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty() &&
				uri.getUserInfo().empty() && uri.getFragment().empty();
	}
	catch (const Poco::SyntaxException&)
	{
	}
	if (!valid) throw Poco::InvalidArgumentException(key + " must be an http:// or https:// URL");
	// Paths are appended to the base URLs; a trailing slash would double.
	while (!value.empty() && value.back() == '/')
		value.pop_back();
	out = value;
}

} // namespace

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
	return config;
}

} // namespace WeChat
} // namespace ExternalContacts
