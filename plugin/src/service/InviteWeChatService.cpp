#include "service/InviteWeChatService.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "service/SecretToken.h"
#include "wechat/WeChatErrors.h"

namespace ExternalContacts
{

InviteWeChatService::InviteWeChatService(InvitationService& invitations, const WeChat::Client& client,
										 WeChat::TicketCache& tickets) :
	_invitations(invitations), _client(client), _tickets(tickets)
{
}

InviteWeChatService::Start InviteWeChatService::start(const std::string& token, const std::string& callbackUrl,
													  const std::string& remoteAddr)
{
	InvitationService::Landing landing = _invitations.open(token);
	_invitations.limitAuthorizations(remoteAddr);
	std::string state = SecretToken::generate();
	Start started;
	started.browserSecret = SecretToken::generate();
	Poco::Int64 now = _invitations.nowMs();
	_invitations.contacts().database().write(
		[&](Poco::Data::Session& s)
		{
			_invitations.store().insertAuthorization(s, landing.invitation.id, SecretToken::hash(state),
													 SecretToken::hash(started.browserSecret), now,
													 now + STATE_TTL_MS);
		});
	started.redirectUrl = _client.authorizeUrl(callbackUrl, state);
	return started;
}

InviteWeChatService::Profile InviteWeChatService::finish(const std::string& token, const std::string& state,
														 const std::string& code, const std::string& browserSecret)
{
	InvitationService::Landing landing = _invitations.open(token);
	if (!SecretToken::wellFormed(state)) throw ValidationError::failed("state", "the authorization state is unknown");
	if (code.empty() || code.size() > 256 ||
		code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos)
		throw ValidationError::failed("code", "WeChat sent no usable code");
	Poco::Int64 now = _invitations.nowMs();
	InvitationStore& store = _invitations.store();
	Database& database = _invitations.contacts().database();
	std::optional<InvitationStore::WeChatAuthorization> authorization;
	{
		Poco::Data::Session s = database.session();
		authorization = store.authorizationByState(s, SecretToken::hash(state));
	}
	bool sameBrowser = authorization && SecretToken::wellFormed(browserSecret) &&
					   SecretToken::hash(browserSecret) == authorization->browserHash;
	if (!authorization || authorization->invitationId != landing.invitation.id || !sameBrowser)
		throw ValidationError::failed("state", "the authorization was started elsewhere");
	bool first = database.write([&](Poco::Data::Session& s) { return store.markReturned(s, authorization->id, now); });
	if (!first) throw ValidationError::failed("state", "the authorization expired or was already used");

	WeChat::OAuthToken oauth = _client.exchangeCode(code);
	WeChat::UserInfo info = _client.userInfo(oauth);
	InvitationStore::WeChatAuthorization found;
	found.openid = info.openid.empty() ? oauth.openid : info.openid;
	found.unionid = info.unionid.empty() ? oauth.unionid : info.unionid;
	found.nickname = cutText(info.nickname, NICKNAME_LENGTH_MAX);
	std::string avatar = info.avatarUrl;
	bool web = avatar.size() <= 1000 && (avatar.rfind("https://", 0) == 0 || avatar.rfind("http://", 0) == 0) &&
			   avatar.find_first_of("\"'<> \\") == std::string::npos;
	found.avatarUrl = web ? avatar : std::string();
	if (found.openid.empty() || found.openid.size() > 128 || found.unionid.size() > 128)
		throw WeChat::UnavailableError("WeChat answered without a usable openid");

	Profile profile;
	profile.reference = SecretToken::generate();
	profile.nickname = found.nickname;
	profile.avatarUrl = found.avatarUrl;
	database.write(
		[&](Poco::Data::Session& s)
		{
			store.storeProfile(s, authorization->id, SecretToken::hash(profile.reference), found,
							   _invitations.nowMs() + PROFILE_TTL_MS);
		});
	return profile;
}

WeChat::JsSdkConfig InviteWeChatService::share(const std::string& pageUrl)
{
	return WeChat::signPage(_tickets, _client.config(), pageUrl, _invitations.nowMs() / 1000);
}

std::string InviteWeChatService::cutText(const std::string& text, std::size_t maxCharacters)
{
	if (!Utf8Text::isValid(text) || Utf8Text::hasControlCharacters(text)) return std::string();
	std::size_t characters = 0;
	for (std::size_t i = 0; i < text.size(); ++i)
	{
		bool lead = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
		if (lead && characters++ == maxCharacters) return Utf8Text::trim(text.substr(0, i));
	}
	return Utf8Text::trim(text);
}

} // namespace ExternalContacts
