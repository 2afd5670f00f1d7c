#pragma once

#include <Poco/Net/IPAddress.h>
#include <string>
#include <vector>

namespace RefHost
{

class TrustedProxies
/// The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers
/// the host believes (setting `http.trustedProxies`: addresses and CIDR
/// ranges, IPv4 or IPv6, separated by commas or spaces). From any other
/// sender the headers are ignored: the client is the socket's peer and the
/// scheme is plain http. Immutable after construction; shared by all
/// request threads.
{
public:
	TrustedProxies() = default;

	explicit TrustedProxies(const std::string& list);
	/// Throws Poco::InvalidArgumentException naming the entry that is not
	/// an address or a range ("10.0.0.0/8", "::1", "2001:db8::/32").

	bool empty() const
	{
		return _ranges.empty();
	}

	bool trusts(const Poco::Net::IPAddress& address) const;

	struct Resolved
	{
		std::string clientAddress; ///< the address limits and history see
		bool https = false;        ///< a trusted proxy received the request over https
		bool fromProxy = false;    ///< the peer is a trusted proxy
	};

	Resolved resolve(const Poco::Net::IPAddress& peer, const std::vector<std::string>& forwardedFor,
					 const std::vector<std::string>& forwardedProto) const;
	/// forwardedFor / forwardedProto: the header lines as received, in
	/// order (a header may repeat; each line may list several hops).
	/// The client is the right-most X-Forwarded-For hop that is not a
	/// trusted proxy, walking from the peer leftwards while each hop is
	/// trusted; hops left of it were written by the client and are never
	/// believed. A hop that is not an IP address stops the walk at the
	/// last trusted one. https when the peer is trusted and the first
	/// X-Forwarded-Proto value (the proxy facing the client) is "https".

private:
	struct Range
	{
		Poco::Net::IPAddress network;
		Poco::Net::IPAddress mask;
	};
	static Poco::Net::IPAddress normalized(const Poco::Net::IPAddress& address);
	std::vector<Range> _ranges;
};

} // namespace RefHost
