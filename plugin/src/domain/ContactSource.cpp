#include "domain/ContactSource.h"

namespace ExternalContacts
{

namespace
{

const std::string CREATED("created");
const std::string WECHAT_INVITE("wechat_invite");
const std::string OTHER_ORG("other_org");

} // namespace

const std::string& toString(ContactSource source)
{
	switch (source)
	{
	case ContactSource::WechatInvite:
		return WECHAT_INVITE;
	case ContactSource::OtherOrg:
		return OTHER_ORG;
	case ContactSource::Created:
		break;
	}
	return CREATED;
}

std::optional<ContactSource> parseContactSource(const std::string& name)
{
	if (name == CREATED) return ContactSource::Created;
	if (name == WECHAT_INVITE) return ContactSource::WechatInvite;
	if (name == OTHER_ORG) return ContactSource::OtherOrg;
	return std::nullopt;
}

} // namespace ExternalContacts
