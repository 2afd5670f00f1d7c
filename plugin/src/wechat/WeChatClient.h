#pragma once

#include "wechat/Transport.h"
#include "wechat/WeChatConfig.h"
#include <Poco/JSON/Object.h>
#include <string>
#include <utility>
#include <vector>

namespace ExternalContacts
{
namespace WeChat
{

struct OAuthToken
/// The answer of sns/oauth2/access_token: a token for one user's data,
/// not the application's client access token.
{
	std::string accessToken;
	std::string refreshToken;
	std::string openid;
	std::string unionid;
	/// Empty when WeChat sent none (no open platform binding, snsapi_base).
	std::string scope;
	int expiresIn = 0;
	/// Seconds.
};

struct UserInfo
/// The answer of sns/userinfo.
{
	std::string openid;
	std::string unionid;
	/// Empty when WeChat sent none.
	std::string nickname;
	std::string avatarUrl;
	/// headimgurl; empty when the user has no avatar.
};

struct Expiring
/// A client access token or a JS-SDK ticket and its lifetime.
{
	std::string value;
	int expiresIn = 0;
	/// Seconds from the moment WeChat answered.
};

class Client
/// WeChat's web authorization (网页授权) and JS-SDK calls, one request each,
/// no caching (see TicketCache). Every call throws ApiError when WeChat
/// answers an errcode other than 0 and UnavailableError when the answer
/// cannot be had or used (a required field missing included). No message
/// carries a secret, code, token or ticket. Thread-safe if the Transport
/// is.
{
public:
	Client(Config config, Transport& transport);
	/// The transport must outlive the client.

	std::string authorizeUrl(const std::string& redirectUri, const std::string& state,
							 const std::string& scope = "snsapi_userinfo") const;
	/// Where to send the browser to ask for consent:
	/// openBaseUrl/connect/oauth2/authorize?appid=..&redirect_uri=..&response_type=code
	/// &scope=..&state=..#wechat_redirect, the values percent-encoded.
	/// WeChat allows only a-zA-Z0-9 in state, at most 128 of them:
	/// anything else is a Poco::InvalidArgumentException.

	OAuthToken exchangeCode(const std::string& code) const;
	/// Trades the code from the redirect for a user token (5 minutes,
	/// single use: 40029 invalid code, 40163 code been used).

	UserInfo userInfo(const OAuthToken& token) const;
	/// The user's profile (scope snsapi_userinfo), lang=zh_CN.

	Expiring clientAccessToken() const;
	/// The application's access token (cgi-bin/token, client_credential).

	Expiring jsapiTicket(const std::string& accessToken) const;
	/// The JS-SDK ticket (cgi-bin/ticket/getticket, type=jsapi).

	const Config& config() const noexcept
	{
		return _config;
	}

private:
	using Params = std::vector<std::pair<std::string, std::string>>;

	Poco::JSON::Object::Ptr call(const std::string& path, const Params& params) const;

	Config _config;
	Transport& _transport;
};

std::string percentEncode(const std::string& text);
/// RFC 3986: every byte but A-Z a-z 0-9 - . _ ~ as %XX (upper case).

} // namespace WeChat
} // namespace ExternalContacts
