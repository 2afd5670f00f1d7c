#pragma once

#include "HttpError.h"
#include "TrustedProxies.h"
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>
#include <optional>
#include <string>

namespace RefHost
{

class Exchange
/// One HTTP request and its response, with the helpers every handler
/// needs: bounded body reading, JSON in and out, the error shape,
/// cookies, the client address and the caller's locale.
{
public:
	static constexpr std::size_t kMaxBody = 1024 * 1024;
	static constexpr std::size_t kMaxDrain = 8 * 1024 * 1024;

	Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
			 const TrustedProxies* proxies = nullptr);
	/// proxies: whose X-Forwarded-For / -Proto to believe (none when null).

	Poco::Net::HTTPServerRequest& request()
	{
		return _request;
	}
	Poco::Net::HTTPServerResponse& response()
	{
		return _response;
	}

	const std::string& path() const
	{
		return _path;
	}
	const std::string& query() const
	{
		return _query;
	}
	const std::string& method() const
	{
		return _request.getMethod();
	}
	std::string queryParam(const std::string& name) const;

	const std::string& body();
	/// Reads the body once, at most kMaxBody bytes; 413 beyond (after
	/// draining up to kMaxDrain so the client receives the answer).

	Poco::JSON::Object::Ptr jsonBody();
	/// 415 unless the content type is JSON, 400 invalid_json unless the body is an object.

	std::string cookie(const std::string& name) const;
	std::string clientAddress() const;
	/// The socket's peer, or the client a trusted proxy names in
	/// X-Forwarded-For (TrustedProxies::resolve).
	bool https() const;
	/// A trusted proxy received the request over https (X-Forwarded-Proto).
	bool fromTrustedProxy() const;
	std::string locale() const;
	/// "en" when ?lang=en or Accept-Language prefers English, else "zh-CN".

	void sendJson(int status, const Poco::Dynamic::Var& json);
	void sendError(const HttpError& e);
	void sendEmpty(int status);
	void send(int status, const std::string& contentType, const std::string& data);

	bool sent() const
	{
		return _sent;
	}

private:
	void drainBody() noexcept;
	/// Reads what is left of the request body before answering, so the
	/// next request on a kept-alive connection starts at its request line;
	/// closes the connection instead when the body is too large.

	Poco::Net::HTTPServerRequest& _request;
	Poco::Net::HTTPServerResponse& _response;
	const TrustedProxies* _proxies;
	mutable std::optional<TrustedProxies::Resolved> _origin;
	const TrustedProxies::Resolved& origin() const;
	std::string _path;
	std::string _query;
	Poco::URI::QueryParameters _params;
	std::string _body;
	bool _bodyRead = false;
	bool _sent = false;
};

} // namespace RefHost
