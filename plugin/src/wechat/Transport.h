#pragma once

#include "wechat/WeChatConfig.h"
#include <Poco/Net/Context.h>
#include <cstddef>
#include <string>

namespace ExternalContacts
{
namespace WeChat
{

class Transport
/// Fetches one URL for the WeChat Client. An interface so that tests can
/// count, fail or script requests without a network.
{
public:
	virtual ~Transport();

	virtual std::string get(const std::string& url) = 0;
	/// GETs url and returns the body of a 200 answer. Throws
	/// UnavailableError for anything else (network, TLS, timeout, other
	/// status, oversized body). Implementations must keep the query string,
	/// which carries secrets, out of every message. Must be safe to call
	/// from several threads at once.
};

class PocoTransport : public Transport
/// Transport over Poco::Net: http:// with HTTPClientSession, https:// with
/// HTTPSClientSession and a client Context in VERIFY_STRICT mode (the
/// certificate chain must lead to config.caFile or, when that is empty, to
/// the system CAs, and the certificate must name the host). Redirects are
/// not followed. One new connection per request.
{
public:
	static constexpr std::size_t MAX_BODY_BYTES = 1024 * 1024;
	/// Larger answers are refused: WeChat's are a few hundred bytes.

	explicit PocoTransport(const Config& config);
	/// Initializes OpenSSL once per process and builds the TLS context.
	/// Throws UnavailableError when the CA file cannot be loaded.

	std::string get(const std::string& url) override;

private:
	Poco::Net::Context::Ptr _context;
	int _timeoutMs;
};

} // namespace WeChat
} // namespace ExternalContacts
