#include "http/SiteOrigin.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace ExternalContacts
{

std::string SiteOrigin::of(const std::string& url)
{
	try
	{
		Poco::URI uri(Poco::trim(url));
		// POCO lower-cases scheme and host already; said again, as it is the point.
		std::string scheme = Poco::toLower(uri.getScheme());
		std::string host = Poco::toLower(uri.getHost());
		if (scheme.empty() || host.empty()) return "";
		// POCO drops an IPv6 literal's brackets; an Origin keeps them.
		if (host.find(':') != std::string::npos) host = "[" + host + "]";
		std::string origin = scheme + "://" + host;
		unsigned short port = uri.getPort();
		bool usual = port == 0 || (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
		return usual ? origin : origin + ":" + std::to_string(port);
	}
	catch (const Poco::Exception&)
	{
		return "";
	}
}

bool SiteOrigin::same(const std::string& a, const std::string& b)
{
	std::string origin = of(a);
	return !origin.empty() && origin == of(b);
}

} // namespace ExternalContacts
