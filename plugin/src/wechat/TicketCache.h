#pragma once

#include "wechat/WeChatClient.h"
#include <Poco/Types.h>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>

namespace ExternalContacts
{
namespace WeChat
{

class TicketCache
/// The JS-SDK ticket and the client access token behind it, shared by all
/// requests of the process: WeChat limits how often both may be fetched.
/// Each is kept until expiresIn - refreshMargin seconds after it was
/// fetched (half its lifetime when that is shorter than the margin).
///
/// A refresh that fails is remembered: for failureBackoffSeconds after it
/// WeChat is not asked again and ticket() throws BackingOffError at once,
/// so that pages viewed while WeChat is down or refusing (quota) neither
/// wait for it nor add to its count. The next refresh after the window
/// asks again; its success ends the back-off.
///
/// Threading: ticket() may be called from any number of threads. Only one
/// refresh runs at a time; callers arriving meanwhile wait for it and get
/// its outcome, the ticket or the same exception.
{
public:
	static constexpr int REFRESH_MARGIN_SECONDS_DEFAULT = 300;

	TicketCache(const Client& client, std::function<Poco::Int64()> nowMs,
				int refreshMarginSeconds = REFRESH_MARGIN_SECONDS_DEFAULT,
				int failureBackoffSeconds = FAILURE_BACKOFF_SECONDS_DEFAULT);
	/// nowMs is the clock (milliseconds, any epoch, not going backwards).
	/// The client must outlive the cache.

	std::string ticket();
	/// A valid ticket, fetched when none is cached or the cached one is
	/// due. When getticket answers 40001, 40014 or 42001 (the access token
	/// is invalid or expired) the token is fetched again and the ticket
	/// asked once more. Throws ApiError or UnavailableError, and
	/// BackingOffError (an UnavailableError) without asking WeChat during
	/// the back-off after a failed refresh.

	void invalidate();
	/// Forgets ticket and token, e.g. after the browser reported an invalid
	/// signature. A refresh already running still delivers its result; a
	/// back-off goes on.

	int tokenFetches() const noexcept
	/// How often cgi-bin/token was asked (for tests).
	{
		return _tokenFetches.load();
	}
	int ticketFetches() const noexcept
	/// How often cgi-bin/ticket/getticket was asked (for tests).
	{
		return _ticketFetches.load();
	}

private:
	struct Entry
	{
		std::string value;
		Poco::Int64 refreshAtMs = 0;
	};

	std::string refresh(Entry token);
	Entry entry(const Expiring& fetched) const;

	const Client& _client;
	std::function<Poco::Int64()> _nowMs;
	int _marginSeconds;
	int _backoffSeconds;

	std::mutex _mutex;
	std::condition_variable _refreshDone;
	bool _refreshing = false;
	Poco::UInt64 _round = 0;
	/// Counts finished refreshes, so a waiter knows its refresh is over.
	std::exception_ptr _roundError;
	std::string _roundTicket;
	/// The outcome of the last refresh, for those who waited for it.
	Entry _token;
	Entry _ticket;
	Poco::Int64 _quietUntilMs = 0;
	/// Until then (nowMs) WeChat is not asked: the last refresh failed.

	std::atomic<int> _tokenFetches{0};
	std::atomic<int> _ticketFetches{0};
};

} // namespace WeChat
} // namespace ExternalContacts
