#include "wechat/JsSdk.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/SHA1Engine.h>
#include <openssl/rand.h>

namespace ExternalContacts
{
namespace WeChat
{

std::string jsSdkSignature(const std::string& ticket, const std::string& nonceStr, Poco::Int64 timestamp,
						   const std::string& url)
{
	const std::string page = url.substr(0, url.find('#'));
	Poco::SHA1Engine sha1;
	sha1.update("jsapi_ticket=" + ticket + "&noncestr=" + nonceStr + "&timestamp=" + std::to_string(timestamp) +
				"&url=" + page);
	return Poco::DigestEngine::digestToHex(sha1.digest());
}

std::string randomNonce(std::size_t length)
{
	static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	constexpr unsigned ALPHABET_SIZE = sizeof ALPHABET - 1;
	// Bytes at or above the largest multiple of 62 are dropped: no bias.
	constexpr unsigned LIMIT = 256 - 256 % ALPHABET_SIZE;
	std::string nonce;
	unsigned char bytes[64];
	while (nonce.size() < length)
	{
		if (RAND_bytes(bytes, sizeof bytes) != 1) throw Poco::RuntimeException("the random number generator failed");
		for (unsigned char b : bytes)
		{
			if (b < LIMIT && nonce.size() < length) nonce += ALPHABET[b % ALPHABET_SIZE];
		}
	}
	return nonce;
}

JsSdkConfig signPage(TicketCache& tickets, const Config& config, const std::string& url, Poco::Int64 nowSeconds)
{
	if (url.empty()) throw Poco::InvalidArgumentException("the page url must not be empty");
	JsSdkConfig result;
	result.appId = config.appId;
	result.nonceStr = randomNonce();
	result.timestamp = nowSeconds;
	result.signature = jsSdkSignature(tickets.ticket(), result.nonceStr, nowSeconds, url);
	return result;
}

} // namespace WeChat
} // namespace ExternalContacts
