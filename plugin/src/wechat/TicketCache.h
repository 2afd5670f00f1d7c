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
/// Threading: ticket() may be called from any number of threads. Only one
/// refresh runs at a time; callers arriving meanwhile wait for it and get
/// its outcome, the ticket or the same exception.
{
public:
	TicketCache(const Client& client, std::function<Poco::Int64()> nowMs, int refreshMarginSeconds = 300);
	/// nowMs is the clock (milliseconds, any epoch, not going backwards).
	/// The client must outlive the cache.

	std::string ticket();
	/// A valid ticket, fetched when none is cached or the cached one is
	/// due. When getticket answers 40001, 40014 or 42001 (the access token
	/// is invalid or expired) the token is fetched again and the ticket
	/// asked once more. Throws ApiError or UnavailableError.

	void invalidate();
	/// Forgets ticket and token, e.g. after the browser reported an invalid
	/// signature. A refresh already running still delivers its result.

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

	std::atomic<int> _tokenFetches{0};
	std::atomic<int> _ticketFetches{0};
};

} // namespace WeChat
} // namespace ExternalContacts
