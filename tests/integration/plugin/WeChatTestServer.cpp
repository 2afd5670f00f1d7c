#include "WeChatTestServer.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Thread.h>
#include <Poco/URI.h>
#include <sstream>

namespace ExternalContacts
{
namespace WeChat
{

namespace
{

std::string toJson(const Poco::JSON::Object& json)
{
	std::ostringstream out;
	json.stringify(out);
	return out.str();
}

} // namespace

class WeChatTestServer::Handler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit Handler(WeChatTestServer& server) : _server(server) {}

	void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
	{
		int status = 200;
		std::string body = _server.answer(request.getURI(), status);
		response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
		// WeChat answers its JSON as text/plain.
		response.setContentType("text/plain; charset=utf-8");
		response.setContentLength(static_cast<std::streamsize>(body.size()));
		response.send() << body;
	}

private:
	WeChatTestServer& _server;
};

class WeChatTestServer::Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit Factory(WeChatTestServer& server) : _server(server) {}

	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
	{
		return new Handler(_server);
	}

private:
	WeChatTestServer& _server;
};

WeChatTestServer::WeChatTestServer(std::string appId, std::string appSecret, Poco::Net::Context::Ptr tls) :
	_appId(std::move(appId)), _appSecret(std::move(appSecret)), _https(!tls.isNull())
{
	Poco::Net::SocketAddress address("127.0.0.1", 0);
	Poco::Net::ServerSocket socket =
		_https ? Poco::Net::SecureServerSocket(address, 64, tls) : Poco::Net::ServerSocket(address, 64);
	Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
	params->setMaxThreads(64);
	params->setMaxQueued(256);
	params->setKeepAlive(false);
	_server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
	_server->start();
}

WeChatTestServer::~WeChatTestServer()
{
	stop();
}

void WeChatTestServer::stop()
{
	if (_server) _server->stopAll(true);
}

std::string WeChatTestServer::baseUrl() const
{
	return std::string(_https ? "https" : "http") + "://127.0.0.1:" + std::to_string(_server->port());
}

std::string WeChatTestServer::addCode(const User& user)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::string code = "code" + std::to_string(++_serial) + "x0716AVll20uHk94";
	_codes[code] = user;
	return code;
}

void WeChatTestServer::setExpiresIn(int tokenSeconds, int ticketSeconds)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_tokenSeconds = tokenSeconds;
	_ticketSeconds = ticketSeconds;
}

void WeChatTestServer::setDelayMs(int ms)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_delayMs = ms;
}

void WeChatTestServer::expireTokens()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_expiredTokens.insert(_clientTokens.begin(), _clientTokens.end());
}

void WeChatTestServer::failNext(int status, const std::string& body)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_failStatus = status;
	_failBody = body;
}

std::string WeChatTestServer::lastTicket() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _lastTicket;
}

std::string WeChatTestServer::error(int errcode, const std::string& errmsg) const
{
	Poco::JSON::Object json;
	json.set("errcode", errcode);
	json.set("errmsg", errmsg + ", rid: 6756b2a0-1d2a4f5b-2c8e1f3a");
	return toJson(json);
}

std::string WeChatTestServer::answer(const std::string& uri, int& status)
{
	++_requests;
	int delayMs = 0;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		delayMs = _delayMs;
	}
	if (delayMs > 0) Poco::Thread::sleep(delayMs);

	Poco::URI parsed(uri);
	std::map<std::string, std::string> q;
	for (const auto& param : parsed.getQueryParameters())
		q[param.first] = param.second;
	const std::string path = parsed.getPath();

	std::lock_guard<std::mutex> lock(_mutex);
	if (_failStatus != 0)
	{
		status = _failStatus;
		_failStatus = 0;
		return _failBody;
	}

	Poco::JSON::Object json;
	if (path == "/sns/oauth2/access_token")
	{
		++_oauthCalls;
		if (q["appid"] != _appId) return error(40013, "invalid appid");
		if (q["secret"] != _appSecret) return error(40125, "invalid appsecret");
		if (q["grant_type"] != "authorization_code") return error(40002, "invalid grant_type");
		if (_usedCodes.count(q["code"])) return error(40163, "code been used");
		auto found = _codes.find(q["code"]);
		if (found == _codes.end()) return error(40029, "invalid code");
		const User user = found->second;
		_codes.erase(found);
		_usedCodes.insert(q["code"]);
		const std::string token = "oauth-token-" + std::to_string(++_serial);
		_userTokens[token] = user.openid;
		_users[user.openid] = user;
		json.set("access_token", token);
		json.set("expires_in", 7200);
		json.set("refresh_token", "refresh-" + std::to_string(_serial));
		json.set("openid", user.openid);
		json.set("scope", "snsapi_userinfo");
		if (!user.unionid.empty()) json.set("unionid", user.unionid);
		return toJson(json);
	}
	if (path == "/sns/userinfo")
	{
		++_userinfoCalls;
		auto found = _userTokens.find(q["access_token"]);
		if (found == _userTokens.end())
			return error(40001, "invalid credential, access_token is invalid or not latest");
		if (found->second != q["openid"]) return error(40003, "invalid openid");
		const User& user = _users[found->second];
		json.set("openid", user.openid);
		json.set("nickname", user.nickname);
		json.set("sex", 0);
		json.set("province", "");
		json.set("city", "");
		json.set("country", "");
		json.set("headimgurl", user.headimgurl);
		json.set("privilege", Poco::JSON::Array());
		if (!user.unionid.empty()) json.set("unionid", user.unionid);
		return toJson(json);
	}
	if (path == "/cgi-bin/token")
	{
		++_tokenCalls;
		if (q["grant_type"] != "client_credential") return error(40002, "invalid grant_type");
		if (q["appid"] != _appId) return error(40013, "invalid appid");
		if (q["secret"] != _appSecret) return error(40001, "invalid credential, access_token is invalid or not latest");
		const std::string token = "client-token-" + std::to_string(++_serial);
		_clientTokens.insert(token);
		json.set("access_token", token);
		json.set("expires_in", _tokenSeconds);
		return toJson(json);
	}
	if (path == "/cgi-bin/ticket/getticket")
	{
		++_ticketCalls;
		if (_expiredTokens.count(q["access_token"])) return error(42001, "access_token expired");
		if (!_clientTokens.count(q["access_token"]))
			return error(40001, "invalid credential, access_token is invalid or not latest");
		if (q["type"] != "jsapi") return error(40097, "invalid args");
		_lastTicket = "jsapi-ticket-" + std::to_string(++_serial) + "-bxLdikRXVbTPdHSM05e5u5sUoXNKd8";
		json.set("errcode", 0);
		json.set("errmsg", "ok");
		json.set("ticket", _lastTicket);
		json.set("expires_in", _ticketSeconds);
		return toJson(json);
	}
	status = 404;
	return "<html><body>404 Not Found</body></html>";
}

} // namespace WeChat
} // namespace ExternalContacts
