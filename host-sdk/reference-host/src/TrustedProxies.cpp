#include "TrustedProxies.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace RefHost
{

namespace
{

// The comma-separated items of header lines, trimmed, empty ones dropped.
std::vector<std::string> items(const std::vector<std::string>& lines)
{
	std::vector<std::string> out;
	for (const std::string& line : lines)
	{
		Poco::StringTokenizer t(line, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		out.insert(out.end(), t.begin(), t.end());
	}
	return out;
}

bool parseAddress(std::string text, Poco::Net::IPAddress& out)
{
	// "[2001:db8::1]" as some proxies write IPv6 hops; ports are not part of X-Forwarded-For.
	if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
	return text.size() <= 64 && Poco::Net::IPAddress::tryParse(text, out);
}

} // namespace

TrustedProxies::TrustedProxies(const std::string& list)
{
	Poco::StringTokenizer entries(list, ", \t",
								  Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const std::string& entry : entries)
	{
		std::string::size_type slash = entry.find('/');
		Poco::Net::IPAddress address;
		if (!parseAddress(entry.substr(0, slash), address))
			throw Poco::InvalidArgumentException("http.trustedProxies: not an IP address or CIDR range", entry);
		address = normalized(address);
		unsigned bits = address.length() * 8;
		unsigned prefix = bits;
		if (slash != std::string::npos &&
			(!Poco::NumberParser::tryParseUnsigned(entry.substr(slash + 1), prefix) || prefix > bits ||
			 entry.substr(slash + 1).empty() || entry.substr(slash + 1).size() > 3))
			throw Poco::InvalidArgumentException("http.trustedProxies: bad prefix length", entry);
		Poco::Net::IPAddress mask(prefix, address.family());
		_ranges.push_back(Range{address & mask, mask});
	}
}

Poco::Net::IPAddress TrustedProxies::normalized(const Poco::Net::IPAddress& address)
{
	// ::ffff:10.1.2.3 (an IPv4 client on a dual-stack socket) is 10.1.2.3.
	if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped())
	{
		const auto* bytes = static_cast<const unsigned char*>(address.addr());
		return Poco::Net::IPAddress(bytes + 12, 4);
	}
	return address;
}

bool TrustedProxies::trusts(const Poco::Net::IPAddress& address) const
{
	Poco::Net::IPAddress a = normalized(address);
	for (const Range& r : _ranges)
		if (r.network.family() == a.family() && (a & r.mask) == r.network) return true;
	return false;
}

TrustedProxies::Resolved TrustedProxies::resolve(const Poco::Net::IPAddress& peer,
												 const std::vector<std::string>& forwardedFor,
												 const std::vector<std::string>& forwardedProto) const
{
	Resolved r;
	Poco::Net::IPAddress current = normalized(peer);
	r.clientAddress = current.toString();
	if (!trusts(current)) return r;
	r.fromProxy = true;
	std::vector<std::string> hops = items(forwardedFor);
	for (auto it = hops.rbegin(); it != hops.rend(); ++it)
	{
		Poco::Net::IPAddress hop;
		if (!parseAddress(*it, hop)) break;
		current = normalized(hop);
		r.clientAddress = current.toString();
		if (!trusts(current)) break;
	}
	std::vector<std::string> protos = items(forwardedProto);
	r.https = !protos.empty() && Poco::icompare(protos.front(), "https") == 0;
	return r;
}

} // namespace RefHost
