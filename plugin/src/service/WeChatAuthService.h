#pragma once

#include "service/InvitationService.h"
#include "service/ServiceContext.h"
#include "wechat/JsSdk.h"
#include "wechat/TicketCache.h"
#include "wechat/WeChatClient.h"
#include <string>

namespace ExternalContacts
{

class WeChatAuthService
/// WeChat web authorization (snsapi_userinfo) and the JS-SDK: on the
/// landing page (R4.3, R4.6) to prefill the form, bind the visitor's openid
/// / unionid to the contact and sign the share card; in personal settings
/// (R7.3) to bind a user's own WeChat. The state sent to WeChat is a 256-bit
/// secret kept as SHA-256 and tied to the browser by a second secret (a
/// cookie); it is good for one return within ten minutes. A landing page's
/// profile is kept for thirty minutes under a third secret the form sends
/// back. Thread-safe.
{
public:
	static constexpr Poco::Int64 STATE_TTL_MS = 10 * 60 * 1000LL;
	static constexpr Poco::Int64 PROFILE_TTL_MS = 30 * 60 * 1000LL;
	static constexpr std::size_t NICKNAME_LENGTH_MAX = 100;
	static const std::string AUDIT_BIND_SELF;   /// "wechat.bind_self"
	static const std::string AUDIT_UNBIND_SELF; /// "wechat.unbind_self"

	WeChatAuthService(ServiceContext& context, InvitationService& invitations, const WeChat::Client& client,
					  WeChat::TicketCache& tickets);

	struct Start
	{
		std::string redirectUrl;   /// WeChat's authorize page
		std::string browserSecret; /// for the cookie that ties the state to this browser
	};

	Start start(const std::string& token, const std::string& callbackUrl, const std::string& remoteAddr);
	/// Begins an authorization for the landing page of token. Throws as
	/// InvitationService::open() and RateLimitedException (per address).

	struct Profile
	{
		std::string reference; /// what the form sends back as "wx"
		std::string nickname;
		std::string avatarUrl;
	};

	Profile finish(const std::string& token, const std::string& state, const std::string& code,
				   const std::string& browserSecret);
	/// WeChat sent the visitor back: checks the state (this link, this
	/// browser, not used, not expired), exchanges the code and reads the
	/// profile. Throws as open(), ValidationError naming "state" or "code"
	/// when the return cannot be trusted, WeChat::ApiError when WeChat
	/// refuses and WeChat::UnavailableError when it cannot be reached.

	Start startBinding(const Actor& actor, const std::string& callbackUrl, const std::string& remoteAddr);
	/// Begins the authorization of a logged-in user (member or external)
	/// binding their WeChat. Throws AccessDeniedException (anonymous) and
	/// RateLimitedException (per address).

	WeChatIdentity finishBinding(const Actor& actor, const std::string& state, const std::string& code,
								 const std::string& browserSecret, const std::string& remoteAddr = std::string());
	/// WeChat sent the user back: checks the state (this user, this browser,
	/// once, in time), reads the identity and binds it to the user, with the
	/// audit row AUDIT_BIND_SELF (no contact; the actor's org; nickname and
	/// boundAt before and after) in the same transaction. Throws as finish(),
	/// and ValidationError naming "wechat" when that WeChat is bound to
	/// another user.

	std::optional<WeChatIdentity> binding(const Actor& actor);
	/// The WeChat the user bound, if any.

	bool unbind(const Actor& actor, const std::string& remoteAddr = std::string());
	/// Ends the user's binding with the audit row AUDIT_UNBIND_SELF in the
	/// same transaction; false (and no row) when there was none.

	WeChat::JsSdkConfig share(const std::string& pageUrl);
	/// The wx.config values for pageUrl (the JS-SDK signature). Throws
	/// WeChat::ApiError / WeChat::UnavailableError.

	const WeChat::Config& config() const
	{
		return _client.config();
	}

	static std::string cutText(const std::string& text, std::size_t maxCharacters);
	/// text, valid UTF-8 without control characters, cut to maxCharacters
	/// characters ("" when it is not valid UTF-8).

private:
	Start begin(Poco::Int64 invitationId, Poco::Int64 userId, const std::string& callbackUrl);
	InvitationStore::WeChatAuthorization returned(const std::string& state, const std::string& code,
												  const std::string& browserSecret, Poco::Int64 invitationId,
												  Poco::Int64 userId);
	WeChatIdentity fetch(const std::string& code);
	static void requireUser(const Actor& actor);

	ServiceContext& _context;
	InvitationService& _invitations;
	const WeChat::Client& _client;
	WeChat::TicketCache& _tickets;
};

} // namespace ExternalContacts
