#pragma once

#include "domain/Invitation.h"
#include <hostsdk/Response.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

namespace InvitePage
/// The HTML of the public landing page (R4.3-R4.5): mobile first, zh-CN,
/// no script needed to fill the form (WeChat's in-app browser included).
/// Every text from users or WeChat is HTML-escaped; nothing is inline
/// script or style, so the Content-Security-Policy needs no exception.
{

struct Form
{
	std::string token;
	std::string inviterName;
	std::string orgName;
	InviteForm values;
	std::vector<InviteForm::Problem> problems;
	bool wechatEnabled = false;
	std::string wechatReference; /// a profile from WeChat authorization, if any
	std::string wechatNickname;
	std::string wechatAvatarUrl;
	std::string wechatError;     /// a polite message when authorization failed
	std::string shareConfigJson; /// wx.config values and the card, or ""
	std::string jsSdkUrl;
};

std::string form(const Form& page);
/// The landing page with its form (also after a refused submission).

std::string done(const std::string& inviterName, const std::string& orgName);
/// After a submission.

std::string gone(InvitationGoneException::Reason reason);
/// A link that can no longer be used (sent with 410).

std::string notFound();
/// An unknown link (sent with 404).

std::string tooMany(int retryAfterSeconds);
/// Too many submissions (sent with 429).

std::string moved(const std::string& url);
/// The body of a redirect to url (sent with 302 and Location).

std::string bindingResult(bool bound, const std::string& text);
/// The page WeChat returns a user to after binding in personal settings,
/// with a link back to 个人设置.

std::string foreignForm();
/// A form POST that another site's page sent (sent with 403).

std::string unavailable();
/// Anything else that went wrong (sent with 500 / 503).

std::string problemText(const InviteForm::Problem& problem);
/// The Chinese message of a broken rule, e.g. 请填写姓名.

std::string contentSecurityPolicy(const std::string& jsSdkOrigin);
/// The page's policy; jsSdkOrigin ("" for none) may serve scripts.

std::string escape(const std::string& text);
/// text for HTML content and double-quoted attributes.

void send(const HostSdk::Response& response, int status, const std::string& html, const std::string& jsSdkOrigin = "");
/// Sends html with the page's headers: not cached, the origin as referrer
/// at most (the token is in the path), contentSecurityPolicy().

} // namespace InvitePage

} // namespace ExternalContacts
