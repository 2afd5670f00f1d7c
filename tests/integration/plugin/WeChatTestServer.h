#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace ExternalContacts
{
namespace WeChat
{

class WeChatTestServer
/// A stand-in for api.weixin.qq.com on 127.0.0.1 (ephemeral port), speaking
/// WeChat's documented JSON for sns/oauth2/access_token, sns/userinfo,
/// cgi-bin/token and cgi-bin/ticket/getticket, with WeChat's errcodes for
/// a wrong appid (40013) or secret (40125 / 40001), an unknown code
/// (40029), a used code (40163), a bad grant_type (40002), an unknown
/// (40001) or expired (42001) token. Over TLS when given a server Context.
/// All methods are thread-safe.
{
public:
	struct User
	{
		std::string openid;
		std::string unionid;
		/// Empty: the answers carry no unionid.
		std::string nickname;
		std::string headimgurl;
	};

	WeChatTestServer(std::string appId, std::string appSecret, Poco::Net::Context::Ptr tls = nullptr);
	~WeChatTestServer();
	/// Stops the server.

	std::string baseUrl() const;
	/// "http://127.0.0.1:<port>" (https:// with a Context).

	void stop();

	std::string addCode(const User& user);
	/// A fresh single-use code that maps to user.

	void setExpiresIn(int tokenSeconds, int ticketSeconds);
	void setDelayMs(int ms);
	/// Every answer waits this long first.
	void expireTokens();
	/// Every client access token issued so far answers 42001 from now on.
	void failNext(int status, const std::string& body);
	/// The next request, whatever it asks, is answered with status and body.

	int requests() const
	/// Every request answered, failNext's included.
	{
		return _requests.load();
	}
	int tokenCalls() const
	{
		return _tokenCalls.load();
	}
	int ticketCalls() const
	{
		return _ticketCalls.load();
	}
	int oauthCalls() const
	{
		return _oauthCalls.load();
	}
	int userinfoCalls() const
	{
		return _userinfoCalls.load();
	}
	std::string lastTicket() const;

private:
	class Handler;
	class Factory;
	friend class Handler;

	std::string answer(const std::string& uri, int& status);
	std::string error(int errcode, const std::string& errmsg) const;

	const std::string _appId;
	const std::string _appSecret;
	const bool _https;
	std::unique_ptr<Poco::Net::HTTPServer> _server;

	mutable std::mutex _mutex;
	std::map<std::string, User> _codes;
	std::set<std::string> _usedCodes;
	std::map<std::string, std::string> _userTokens;
	/// OAuth access token -> openid.
	std::map<std::string, User> _users;
	std::set<std::string> _clientTokens;
	std::set<std::string> _expiredTokens;
	int _tokenSeconds = 7200;
	int _ticketSeconds = 7200;
	int _delayMs = 0;
	int _serial = 0;
	std::string _lastTicket;
	int _failStatus = 0;
	std::string _failBody;

	std::atomic<int> _requests{0};
	std::atomic<int> _tokenCalls{0};
	std::atomic<int> _ticketCalls{0};
	std::atomic<int> _oauthCalls{0};
	std::atomic<int> _userinfoCalls{0};
};

} // namespace WeChat
} // namespace ExternalContacts
