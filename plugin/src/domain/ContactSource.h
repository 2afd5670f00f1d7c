#pragma once

#include <optional>
#include <string>

namespace ExternalContacts
{

enum class ContactSource
/// How a contact came into the org (R1.3 filter, R2/R4/R5).
{
	Created,      /// 新建: "created"
	WechatInvite, /// 微信邀请: "wechat_invite"
	OtherOrg      /// 其他组织: "other_org"
};

const std::string& toString(ContactSource source);
/// The API and database name of source.

std::optional<ContactSource> parseContactSource(const std::string& name);
/// The source named name, or nothing for an unknown name.

} // namespace ExternalContacts
