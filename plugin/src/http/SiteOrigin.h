#pragma once

#include <string>

namespace ExternalContacts
{

struct SiteOrigin
/// The origin of a URL as a browser writes it in an Origin header
/// (RFC 6454): scheme://host[:port], scheme and host in lower case, the
/// scheme's default port (http 80, https 443) left out, no path, no
/// trailing slash, an IPv6 host in brackets. Pure: no I/O.
/// Used to compare the Origin (or Referer) a browser sends with the
/// site's own address (publicBaseUrl, or Host and X-Forwarded-Proto):
/// both sides go through of(), so "HTTPS://X.example:443/" and
/// "https://x.example" are one origin.
{
	static std::string of(const std::string& url);
	/// The origin of url, or "" when it has none (no scheme or no host,
	/// "null", not a URL).

	static bool same(const std::string& a, const std::string& b);
	/// Whether a and b have one origin; never when either has none.
};

} // namespace ExternalContacts
