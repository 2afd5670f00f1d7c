#include "wechat/WeChatClient.h"

#include "wechat/WeChatErrors.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace ExternalContacts
{
namespace WeChat
{

namespace
{

std::string trimSlash(std::string url)
{
	while (!url.empty() && url.back() == '/')
		url.pop_back();
	return url;
}

std::string required(const Poco::JSON::Object& json, const std::string& path, const std::string& field)
{
	if (!json.has(field) || json.isNull(field)) throw UnavailableError("WeChat " + path + " answer lacks " + field);
	try
	{
		return json.get(field).convert<std::string>();
	}
	catch (const Poco::Exception&)
	{
		throw UnavailableError("WeChat " + path + " answer has an unusable " + field);
	}
}

std::string optional(const Poco::JSON::Object& json, const std::string& path, const std::string& field)
{
	if (!json.has(field) || json.isNull(field)) return {};
	return required(json, path, field);
}

int seconds(const Poco::JSON::Object& json, const std::string& path)
{
	if (!json.has("expires_in") || json.isNull("expires_in"))
		throw UnavailableError("WeChat " + path + " answer lacks expires_in");
	try
	{
		int value = json.get("expires_in").convert<int>();
		if (value > 0) return value;
	}
	catch (const Poco::Exception&)
	{
	}
	throw UnavailableError("WeChat " + path + " answer has an unusable expires_in");
}

} // namespace

std::string percentEncode(const std::string& text)
{
	static const char HEX[] = "0123456789ABCDEF";
	std::string out;
	out.reserve(text.size() * 3);
	for (unsigned char c : text)
	{
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
			c == '_' || c == '~')
		{
			out += static_cast<char>(c);
		}
		else
		{
			out += '%';
			out += HEX[c >> 4];
			out += HEX[c & 0x0F];
		}
	}
	return out;
}

Client::Client(Config config, Transport& transport) : _config(std::move(config)), _transport(transport)
{
	_config.openBaseUrl = trimSlash(_config.openBaseUrl);
	_config.apiBaseUrl = trimSlash(_config.apiBaseUrl);
}

std::string Client::authorizeUrl(const std::string& redirectUri, const std::string& state,
								 const std::string& scope) const
{
	if (state.size() > 128) throw Poco::InvalidArgumentException("state must be at most 128 characters");
	for (char c : state)
	{
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			throw Poco::InvalidArgumentException("state may hold only a-z, A-Z and 0-9");
	}
	if (redirectUri.empty()) throw Poco::InvalidArgumentException("redirectUri must not be empty");
	return _config.openBaseUrl + "/connect/oauth2/authorize?appid=" + percentEncode(_config.appId) +
		   "&redirect_uri=" + percentEncode(redirectUri) + "&response_type=code&scope=" + percentEncode(scope) +
		   "&state=" + percentEncode(state) + "#wechat_redirect";
}

OAuthToken Client::exchangeCode(const std::string& code) const
{
	const std::string path = "/sns/oauth2/access_token";
	Poco::JSON::Object::Ptr json = call(path, {{"appid", _config.appId},
											   {"secret", _config.appSecret},
											   {"code", code},
											   {"grant_type", "authorization_code"}});
	OAuthToken token;
	token.accessToken = required(*json, path, "access_token");
	token.expiresIn = seconds(*json, path);
	token.openid = required(*json, path, "openid");
	token.refreshToken = optional(*json, path, "refresh_token");
	token.scope = optional(*json, path, "scope");
	token.unionid = optional(*json, path, "unionid");
	return token;
}

UserInfo Client::userInfo(const OAuthToken& token) const
{
	const std::string path = "/sns/userinfo";
	Poco::JSON::Object::Ptr json =
		call(path, {{"access_token", token.accessToken}, {"openid", token.openid}, {"lang", "zh_CN"}});
	UserInfo info;
	info.openid = required(*json, path, "openid");
	info.nickname = required(*json, path, "nickname");
	info.avatarUrl = optional(*json, path, "headimgurl");
	info.unionid = optional(*json, path, "unionid");
	return info;
}

Expiring Client::clientAccessToken() const
{
	const std::string path = "/cgi-bin/token";
	Poco::JSON::Object::Ptr json =
		call(path, {{"grant_type", "client_credential"}, {"appid", _config.appId}, {"secret", _config.appSecret}});
	Expiring token;
	token.value = required(*json, path, "access_token");
	token.expiresIn = seconds(*json, path);
	return token;
}

Expiring Client::jsapiTicket(const std::string& accessToken) const
{
	const std::string path = "/cgi-bin/ticket/getticket";
	Poco::JSON::Object::Ptr json = call(path, {{"access_token", accessToken}, {"type", "jsapi"}});
	Expiring ticket;
	ticket.value = required(*json, path, "ticket");
	ticket.expiresIn = seconds(*json, path);
	return ticket;
}

Poco::JSON::Object::Ptr Client::call(const std::string& path, const Params& params) const
{
	std::string url = _config.apiBaseUrl + path;
	char separator = '?';
	for (const auto& param : params)
	{
		url += separator;
		url += param.first + "=" + percentEncode(param.second);
		separator = '&';
	}
	const std::string body = _transport.get(url);

	Poco::JSON::Object::Ptr json;
	try
	{
		Poco::JSON::Parser parser;
		json = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
		// Poco's message could quote the body; WeChat bodies carry tokens.
		throw UnavailableError("WeChat " + path + " answer is not a JSON object");
	}
	if (!json) throw UnavailableError("WeChat " + path + " answer is not a JSON object");

	if (json->has("errcode") && !json->isNull("errcode"))
	{
		int errcode = 0;
		try
		{
			errcode = json->get("errcode").convert<int>();
		}
		catch (const Poco::Exception&)
		{
			throw UnavailableError("WeChat " + path + " answer has an unusable errcode");
		}
		if (errcode != 0)
		{
			std::string errmsg;
			if (json->has("errmsg") && json->get("errmsg").isString())
				errmsg = json->get("errmsg").extract<std::string>();
			throw ApiError(path, errcode, std::move(errmsg));
		}
	}
	return json;
}

} // namespace WeChat
} // namespace ExternalContacts
