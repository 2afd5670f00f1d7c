#include "wechat/TicketCache.h"

#include "wechat/WeChatErrors.h"

namespace ExternalContacts
{
namespace WeChat
{

namespace
{

bool tokenRejected(int errcode)
{
	// 40001 invalid credential, 40014 invalid access_token, 42001 expired.
	return errcode == 40001 || errcode == 40014 || errcode == 42001;
}

} // namespace

TicketCache::TicketCache(const Client& client, std::function<Poco::Int64()> nowMs, int refreshMarginSeconds,
						 int failureBackoffSeconds) :
	_client(client),
	_nowMs(std::move(nowMs)), _marginSeconds(refreshMarginSeconds < 0 ? 0 : refreshMarginSeconds),
	_backoffSeconds(failureBackoffSeconds < 0 ? 0 : failureBackoffSeconds)
{
}

std::string TicketCache::ticket()
{
	std::unique_lock<std::mutex> lock(_mutex);
	const Poco::Int64 now = _nowMs();
	if (!_ticket.value.empty() && now < _ticket.refreshAtMs) return _ticket.value;
	if (now < _quietUntilMs)
	{
		const Poco::Int64 seconds = (_quietUntilMs - now + 999) / 1000;
		throw BackingOffError("WeChat not asked for a JS-SDK ticket for " + std::to_string(seconds) +
							  " s after a failed fetch");
	}

	if (_refreshing)
	{
		const Poco::UInt64 round = _round;
		_refreshDone.wait(lock, [&] { return _round != round; });
		if (_roundError) std::rethrow_exception(_roundError);
		return _roundTicket;
	}

	_refreshing = true;
	Entry token = _token;
	if (token.value.empty() || _nowMs() >= token.refreshAtMs) token = Entry();
	lock.unlock();

	std::string result;
	std::exception_ptr error;
	try
	{
		result = refresh(token);
	}
	catch (...)
	{
		error = std::current_exception();
	}

	lock.lock();
	_quietUntilMs = error ? _nowMs() + Poco::Int64(_backoffSeconds) * 1000 : 0;
	_refreshing = false;
	_roundError = error;
	_roundTicket = result;
	++_round;
	lock.unlock();
	_refreshDone.notify_all();
	if (error) std::rethrow_exception(error);
	return result;
}

std::string TicketCache::refresh(Entry token)
{
	// Runs unlocked, in one thread at a time; publishes what it fetched.
	bool retried = false;
	for (;;)
	{
		if (token.value.empty())
		{
			++_tokenFetches;
			token = entry(_client.clientAccessToken());
			std::lock_guard<std::mutex> lock(_mutex);
			_token = token;
		}
		try
		{
			++_ticketFetches;
			Entry ticket = entry(_client.jsapiTicket(token.value));
			std::lock_guard<std::mutex> lock(_mutex);
			_ticket = ticket;
			return ticket.value;
		}
		catch (const ApiError& e)
		{
			if (retried || !tokenRejected(e.errcode())) throw;
			retried = true;
			token = Entry();
			std::lock_guard<std::mutex> lock(_mutex);
			_token = Entry();
		}
	}
}

TicketCache::Entry TicketCache::entry(const Expiring& fetched) const
{
	Poco::Int64 keepSeconds =
		fetched.expiresIn > _marginSeconds ? fetched.expiresIn - _marginSeconds : fetched.expiresIn / 2;
	Entry result;
	result.value = fetched.value;
	result.refreshAtMs = _nowMs() + keepSeconds * 1000;
	return result;
}

void TicketCache::invalidate()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_ticket = Entry();
	_token = Entry();
}

} // namespace WeChat
} // namespace ExternalContacts
