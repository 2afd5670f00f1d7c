#include "service/WeChatAuthService.h"

#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "service/ContactWeChatService.h"
#include "service/SecretToken.h"
#include "wechat/WeChatErrors.h"

namespace ExternalContacts
{

const std::string WeChatAuthService::AUDIT_BIND_SELF("wechat.bind_self");
const std::string WeChatAuthService::AUDIT_UNBIND_SELF("wechat.unbind_self");

namespace
{

// The audit row of a user's own binding (personal settings): about no
// contact, in the org the user acts in.
AuditEntry selfEntry(const Actor& actor, const std::string& action, Poco::Int64 at, const std::string& remoteAddr)
{
	return AuditEntry::of(actor.orgId, std::nullopt, actor.userId, action, at, remoteAddr);
}

} // namespace

WeChatAuthService::WeChatAuthService(ServiceContext& context, InvitationService& invitations,
									 const WeChat::Client& client, WeChat::TicketCache& tickets) :
	_context(context),
	_invitations(invitations), _client(client), _tickets(tickets)
{
}

WeChatAuthService::Start WeChatAuthService::begin(Poco::Int64 invitationId, Poco::Int64 userId,
												  const std::string& callbackUrl)
{
	std::string state = SecretToken::generateHex(); // WeChat allows only letters and digits
	Start started;
	started.browserSecret = SecretToken::generate();
	Poco::Int64 now = _invitations.nowMs();
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			_invitations.store().pruneAuthorizations(s, now - 24 * 3600 * 1000LL);
			_invitations.store().insertAuthorization(s, invitationId, userId, SecretToken::hash(state),
													 SecretToken::hash(started.browserSecret), now, now + STATE_TTL_MS);
		});
	started.redirectUrl = _client.authorizeUrl(callbackUrl, state);
	return started;
}

InvitationStore::WeChatAuthorization WeChatAuthService::returned(const std::string& state, const std::string& code,
																 const std::string& browserSecret,
																 Poco::Int64 invitationId, Poco::Int64 userId)
{
	if (!SecretToken::wellFormedHex(state))
		throw ValidationError::failed("state", "the authorization state is unknown");
	if (code.empty() || code.size() > 256 ||
		code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") !=
			std::string::npos)
		throw ValidationError::failed("code", "WeChat sent no usable code");
	Poco::Int64 now = _invitations.nowMs();
	InvitationStore& store = _invitations.store();
	Database& database = _context.database;
	std::optional<InvitationStore::WeChatAuthorization> authorization;
	{
		Poco::Data::Session s = database.session();
		authorization = store.authorizationByState(s, SecretToken::hash(state));
	}
	bool sameBrowser = authorization && SecretToken::wellFormed(browserSecret) &&
					   SecretToken::hash(browserSecret) == authorization->browserHash;
	if (!authorization || authorization->invitationId != invitationId || authorization->userId != userId ||
		!sameBrowser)
		throw ValidationError::failed("state", "the authorization was started elsewhere");
	bool first = database.write([&](Poco::Data::Session& s) { return store.markReturned(s, authorization->id, now); });
	if (!first) throw ValidationError::failed("state", "the authorization expired or was already used");
	return *authorization;
}

WeChatIdentity WeChatAuthService::fetch(const std::string& code)
{
	WeChat::OAuthToken oauth = _client.exchangeCode(code);
	WeChat::UserInfo info = _client.userInfo(oauth);
	WeChatIdentity found;
	found.openid = info.openid.empty() ? oauth.openid : info.openid;
	found.unionid = info.unionid.empty() ? oauth.unionid : info.unionid;
	found.nickname = cutText(info.nickname, NICKNAME_LENGTH_MAX);
	const std::string& avatar = info.avatarUrl;
	bool web = avatar.size() <= 1000 && (avatar.rfind("https://", 0) == 0 || avatar.rfind("http://", 0) == 0) &&
			   avatar.find_first_of("\"'<> \\") == std::string::npos;
	found.avatarUrl = web ? avatar : std::string();
	if (found.openid.empty() || found.openid.size() > 128 || found.unionid.size() > 128)
		throw WeChat::UnavailableError("WeChat answered without a usable openid");
	found.boundAt = _invitations.nowMs();
	return found;
}

WeChatAuthService::Start WeChatAuthService::start(const std::string& token, const std::string& callbackUrl,
												  const std::string& remoteAddr)
{
	InvitationService::Landing landing = _invitations.open(token);
	_invitations.limitAuthorizations(remoteAddr);
	return begin(landing.invitation.id, 0, callbackUrl);
}

WeChatAuthService::Profile WeChatAuthService::finish(const std::string& token, const std::string& state,
													 const std::string& code, const std::string& browserSecret)
{
	InvitationService::Landing landing = _invitations.open(token);
	InvitationStore::WeChatAuthorization authorization = returned(state, code, browserSecret, landing.invitation.id, 0);
	WeChatIdentity found = fetch(code);
	InvitationStore::WeChatAuthorization kept;
	kept.openid = found.openid;
	kept.unionid = found.unionid;
	kept.nickname = found.nickname;
	kept.avatarUrl = found.avatarUrl;
	Profile profile;
	profile.reference = SecretToken::generate();
	profile.nickname = found.nickname;
	profile.avatarUrl = found.avatarUrl;
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			_invitations.store().storeProfile(s, authorization.id, SecretToken::hash(profile.reference), kept,
											  _invitations.nowMs() + PROFILE_TTL_MS);
		});
	return profile;
}

void WeChatAuthService::requireUser(const Actor& actor)
{
	if (actor.kind == Actor::Kind::Anonymous || actor.userId <= 0)
		throw AccessDeniedException("only logged-in users may bind WeChat");
}

WeChatAuthService::Start WeChatAuthService::startBinding(const Actor& actor, const std::string& callbackUrl,
														 const std::string& remoteAddr)
{
	requireUser(actor);
	_invitations.limitAuthorizations(remoteAddr);
	return begin(0, actor.userId, callbackUrl);
}

WeChatIdentity WeChatAuthService::finishBinding(const Actor& actor, const std::string& state, const std::string& code,
												const std::string& browserSecret, const std::string& remoteAddr)
{
	requireUser(actor);
	returned(state, code, browserSecret, 0, actor.userId);
	WeChatIdentity found = fetch(code);
	_context.database.write(
		[&](Poco::Data::Session& s)
		{
			std::optional<Poco::Int64> holder = _invitations.store().userOfOpenid(s, found.openid);
			if (holder && *holder != actor.userId)
				throw ValidationError::failed("wechat", "this WeChat is bound to another account");
			std::optional<WeChatIdentity> before = _invitations.store().wechatOfUser(s, actor.userId);
			_invitations.store().bindUser(s, actor.userId, found);
			AuditEntry entry = selfEntry(actor, AUDIT_BIND_SELF, found.boundAt, remoteAddr);
			if (before) entry.beforeJson = ContactWeChatService::auditJson(*before);
			entry.afterJson = ContactWeChatService::auditJson(found);
			_context.audit.append(s, entry);
		});
	return found;
}

std::optional<WeChatIdentity> WeChatAuthService::binding(const Actor& actor)
{
	requireUser(actor);
	Poco::Data::Session s = _context.database.session();
	return _invitations.store().wechatOfUser(s, actor.userId);
}

bool WeChatAuthService::unbind(const Actor& actor, const std::string& remoteAddr)
{
	requireUser(actor);
	Poco::Int64 now = _invitations.nowMs();
	return _context.database.write(
		[&](Poco::Data::Session& s)
		{
			std::optional<WeChatIdentity> before = _invitations.store().wechatOfUser(s, actor.userId);
			if (!before || !_invitations.store().unbindUser(s, actor.userId)) return false;
			AuditEntry entry = selfEntry(actor, AUDIT_UNBIND_SELF, now, remoteAddr);
			entry.beforeJson = ContactWeChatService::auditJson(*before);
			_context.audit.append(s, entry);
			return true;
		});
}

WeChat::JsSdkConfig WeChatAuthService::share(const std::string& pageUrl)
{
	return WeChat::signPage(_tickets, _client.config(), pageUrl, _invitations.nowMs() / 1000);
}

std::string WeChatAuthService::cutText(const std::string& text, std::size_t maxCharacters)
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
