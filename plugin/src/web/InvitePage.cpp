#include "web/InvitePage.h"

#include <sstream>

namespace ExternalContacts
{

namespace InvitePage
{

namespace
{

const char* const STYLESHEET = "/plugins/external-contacts/web/invite-landing.css";
const char* const SHARE_SCRIPT = "/plugins/external-contacts/web/invite-share.js";

std::string head(const std::string& title)
{
	std::ostringstream html;
	html << "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		 << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">\n"
		 << "<meta name=\"referrer\" content=\"strict-origin\">\n"
		 << "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
		 << "<title>" << escape(title) << "</title>\n"
		 << "<link rel=\"stylesheet\" href=\"" << STYLESHEET << "\">\n";
	return html.str();
}

std::string page(const std::string& title, const std::string& body, const std::string& extraHead = "")
{
	return head(title) + extraHead + "</head>\n<body>\n<main class=\"invite\">\n" + body +
		   "</main>\n</body>\n</html>\n";
}

struct FieldSpec
{
	const char* name;
	const char* label;
	const char* type;
	const char* autocomplete;
	const char* inputmode;
	bool required;
	std::size_t maxLength;
};

const FieldSpec FIELDS[] = {
	{"name", "姓名", "text", "name", nullptr, true, InviteForm::NAME_LENGTH_MAX},
	{"mobile", "手机", "tel", "tel", "tel", true, 32},
	{"company", "公司", "text", "organization", nullptr, false, InviteForm::COMPANY_LENGTH_MAX},
	{"title", "职务", "text", "organization-title", nullptr, false, InviteForm::TITLE_LENGTH_MAX}};

const std::string& valueOf(const InviteForm& values, const std::string& name)
{
	if (name == "name") return values.name;
	if (name == "mobile") return values.mobile;
	if (name == "company") return values.company;
	return values.title;
}

} // namespace

std::string escape(const std::string& text)
{
	std::string out;
	out.reserve(text.size());
	for (char c : text)
	{
		switch (c)
		{
		case '&':
			out += "&amp;";
			break;
		case '<':
			out += "&lt;";
			break;
		case '>':
			out += "&gt;";
			break;
		case '"':
			out += "&quot;";
			break;
		case '\'':
			out += "&#39;";
			break;
		default:
			out += c;
		}
	}
	return out;
}

std::string problemText(const InviteForm::Problem& problem)
{
	const std::string& f = problem.field;
	const char* label = f == "name" ? "姓名" : f == "mobile" ? "手机号码" : f == "company" ? "公司名称" : "职务";
	if (problem.kind == "required") return std::string("请填写") + label;
	if (problem.kind == "too_long")
	{
		std::size_t max = f == "name"      ? InviteForm::NAME_LENGTH_MAX
						  : f == "company" ? InviteForm::COMPANY_LENGTH_MAX
										   : InviteForm::TITLE_LENGTH_MAX;
		return std::string(label) + "不能超过 " + std::to_string(max) + " 个字";
	}
	if (f == "mobile") return "手机号码格式不正确，请输入 6–20 位数字，可带国际区号（如 +86）";
	return std::string(label) + "含有不支持的字符";
}

std::string contentSecurityPolicy(const std::string& jsSdkOrigin)
{
	std::string scripts = "'self'";
	if (!jsSdkOrigin.empty()) scripts += " " + jsSdkOrigin;
	return "default-src 'none'; script-src " + scripts +
		   "; style-src 'self'; img-src 'self' data: https: http:; connect-src 'self'; form-action 'self'; "
		   "base-uri 'none'; frame-ancestors 'none'";
}

std::string form(const Form& p)
{
	std::ostringstream body;
	std::string action = "/invite/" + escape(p.token);
	body << "<header class=\"invite-head\">\n<p class=\"invite-org\">" << escape(p.orgName) << "</p>\n"
		 << "<h1 id=\"invite-title\">" << escape(p.inviterName) << " 邀请你成为「" << escape(p.orgName)
		 << "」的外部联系人</h1>\n"
		 << "<p class=\"invite-lead\">填写以下信息后，" << escape(p.inviterName)
		 << " 会收到通知，并可以与你保持联系。</p>\n</header>\n";
	if (!p.wechatError.empty())
		body << "<p id=\"wechat-error\" class=\"invite-alert\" role=\"alert\">" << escape(p.wechatError) << "</p>\n";
	if (!p.problems.empty())
		body << "<p id=\"form-error\" class=\"invite-alert\" role=\"alert\">请检查标出的 " << p.problems.size()
			 << " 项后再提交。</p>\n";
	if (!p.wechatReference.empty())
	{
		body << "<section class=\"invite-wechat\" aria-label=\"微信资料\">\n";
		if (!p.wechatAvatarUrl.empty())
			body << "<img id=\"wechat-avatar\" src=\"" << escape(p.wechatAvatarUrl)
				 << "\" alt=\"微信头像\" width=\"48\" height=\"48\" referrerpolicy=\"no-referrer\">\n";
		body << "<p id=\"wechat-bound\">已通过微信授权";
		if (!p.wechatNickname.empty()) body << "：" << escape(p.wechatNickname);
		body << "</p>\n</section>\n";
	}
	else if (p.wechatEnabled)
	{
		body << "<p class=\"invite-wechat-auth\"><a id=\"wechat-auth\" class=\"invite-button invite-button-wechat\" "
				"href=\""
			 << action << "/wechat\">使用微信授权填写</a></p>\n";
	}
	body << "<form id=\"invite-form\" method=\"post\" action=\"" << action
		 << "\" novalidate accept-charset=\"utf-8\">\n";
	for (const FieldSpec& field : FIELDS)
	{
		const InviteForm::Problem* problem = nullptr;
		for (const InviteForm::Problem& candidate : p.problems)
			if (candidate.field == field.name && !problem) problem = &candidate;
		body << "<div class=\"invite-field" << (problem ? " invite-field-error" : "") << "\">\n"
			 << "<label for=\"f-" << field.name << "\">" << field.label
			 << (field.required ? "<span class=\"invite-required\" aria-hidden=\"true\"> *</span>"
								: "<span class=\"invite-optional\">（选填）</span>")
			 << "</label>\n"
			 << "<input id=\"f-" << field.name << "\" name=\"" << field.name << "\" type=\"" << field.type
			 << "\" autocomplete=\"" << field.autocomplete << "\" maxlength=\"" << field.maxLength << "\" value=\""
			 << escape(valueOf(p.values, field.name)) << "\"";
		if (field.inputmode) body << " inputmode=\"" << field.inputmode << "\"";
		if (field.required) body << " required aria-required=\"true\"";
		if (problem) body << " aria-invalid=\"true\" aria-describedby=\"err-" << field.name << "\"";
		body << ">\n";
		if (problem)
			body << "<p class=\"field-error\" id=\"err-" << field.name << "\" role=\"alert\">"
				 << escape(problemText(*problem)) << "</p>\n";
		body << "</div>\n";
	}
	if (!p.wechatReference.empty())
		body << "<input type=\"hidden\" name=\"wx\" value=\"" << escape(p.wechatReference) << "\">\n";
	body << "<button type=\"submit\" class=\"invite-button\">提交</button>\n</form>\n"
		 << "<p class=\"invite-privacy\">你填写的信息只提供给 " << escape(p.inviterName) << " 和「" << escape(p.orgName)
		 << "」中有权查看的成员。</p>\n";

	std::string extraHead;
	if (!p.shareConfigJson.empty())
	{
		// JSON inside a non-executed script element: only "</" could end it
		// early, and the JSON writer escapes '/'.
		extraHead = "<script type=\"application/json\" id=\"wx-config\">" + p.shareConfigJson + "</script>\n";
		if (!p.jsSdkUrl.empty()) extraHead += "<script src=\"" + escape(p.jsSdkUrl) + "\" defer></script>\n";
		extraHead += std::string("<script src=\"") + SHARE_SCRIPT + "\" defer></script>\n";
	}
	return page(p.inviterName + " 邀请你成为外部联系人", body.str(), extraHead);
}

std::string done(const std::string& inviterName, const std::string& orgName)
{
	std::ostringstream body;
	body << "<h1 id=\"invite-done\">提交成功</h1>\n<p class=\"invite-lead\">" << escape(inviterName)
		 << " 已收到你的信息，你已成为「" << escape(orgName) << "」的外部联系人。可以关闭此页面。</p>\n";
	return page("提交成功", body.str());
}

std::string gone(InvitationGoneException::Reason reason)
{
	const char* why = "链接已过期";
	switch (reason)
	{
	case InvitationGoneException::Reason::Expired:
		why = "链接已过期";
		break;
	case InvitationGoneException::Reason::Revoked:
		why = "链接已被撤销";
		break;
	case InvitationGoneException::Reason::UsedUp:
		why = "链接的使用次数已满";
		break;
	case InvitationGoneException::Reason::InviterLeft:
		why = "邀请人已离开该组织";
		break;
	}
	std::ostringstream body;
	body << "<h1 id=\"invite-gone\">邀请链接已失效</h1>\n<p id=\"invite-gone-reason\" class=\"invite-lead\">" << why
		 << "。</p>\n<p>如仍需加入，请联系邀请你的人重新发送邀请链接。</p>\n";
	return page("邀请链接已失效", body.str());
}

std::string notFound()
{
	return page("邀请链接不存在",
				"<h1 id=\"invite-gone\">邀请链接不存在</h1>\n<p class=\"invite-lead\">请检查链接是否完整，"
				"或联系邀请你的人重新发送。</p>\n");
}

std::string tooMany(int retryAfterSeconds)
{
	int minutes = (retryAfterSeconds + 59) / 60;
	return page("提交太频繁", "<h1 id=\"invite-error\">提交太频繁</h1>\n<p class=\"invite-lead\">请在 " +
								  std::to_string(minutes < 1 ? 1 : minutes) + " 分钟后再试。</p>\n");
}

std::string moved(const std::string& url)
{
	return page("正在前往微信授权",
				"<h1 id=\"invite-moved\">正在前往微信授权</h1>\n<p class=\"invite-lead\"><a href=\"" + escape(url) +
					"\">如果页面没有跳转，请点这里继续</a>。</p>\n");
}

std::string bindingResult(bool bound, const std::string& text)
{
	std::string title = bound ? "微信绑定成功" : "微信未绑定";
	return page(title, "<h1 id=\"wechat-binding-result\">" + title +
						   "</h1>\n<p id=\"wechat-binding-text\" class=\"invite-lead\">" + escape(text) +
						   "</p>\n<p><a class=\"invite-button\" href=\"/#/me\">返回个人设置</a></p>\n");
}

std::string foreignForm()
{
	return page("无法提交", "<h1 id=\"invite-error\">无法提交</h1>\n<p class=\"invite-lead\">这份表单不是从本站的"
							"邀请页面提交的，未被接受。请直接打开邀请链接，在页面上填写后提交。</p>\n");
}

std::string unavailable()
{
	return page("暂时无法处理", "<h1 id=\"invite-error\">暂时无法处理</h1>\n<p class=\"invite-lead\">服务暂时不可用，"
								"请稍后再试。</p>\n");
}

void send(const HostSdk::Response& response, int status, const std::string& html, const std::string& jsSdkOrigin)
{
	response.setHeader("Cache-Control", "no-store");
	// The token is in the path: other sites get the origin at most; and
	// unlike no-referrer it lets the form's POST carry a real Origin.
	response.setHeader("Referrer-Policy", "strict-origin");
	response.setHeader("Content-Security-Policy", contentSecurityPolicy(jsSdkOrigin));
	response.send(status, "text/html; charset=utf-8", html);
}

} // namespace InvitePage

} // namespace ExternalContacts
