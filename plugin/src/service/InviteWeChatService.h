#pragma once

#include "service/InvitationService.h"
#include "wechat/JsSdk.h"
#include "wechat/TicketCache.h"
#include "wechat/WeChatClient.h"
#include <string>

namespace ExternalContacts
{

class InviteWeChatService
/// WeChat on the landing page (R4.3, R4.6): web authorization
/// (snsapi_userinfo) to prefill the form and bind the visitor's openid /
/// unionid, and the JS-SDK signature of the page's share card. The state
/// sent to WeChat is a 256-bit secret kept as SHA-256 and tied to the
/// browser by a second secret (a cookie); it is good for one return within
/// ten minutes. The profile WeChat answers is kept for thirty minutes under
/// a third secret the form sends back. Thread-safe.
{
public:
	static constexpr Poco::Int64 STATE_TTL_MS = 10 * 60 * 1000LL;
	static constexpr Poco::Int64 PROFILE_TTL_MS = 30 * 60 * 1000LL;
	static constexpr std::size_t NICKNAME_LENGTH_MAX = 100;

	InviteWeChatService(InvitationService& invitations, const WeChat::Client& client, WeChat::TicketCache& tickets);

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
	InvitationService& _invitations;
	const WeChat::Client& _client;
	WeChat::TicketCache& _tickets;
};

} // namespace ExternalContacts
