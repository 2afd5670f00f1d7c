#pragma once

#include <Poco/Exception.h>
#include <string>

namespace ExternalContacts
{
namespace WeChat
{

class ApiError : public Poco::Exception
/// WeChat answered with an errcode other than 0 (40029 invalid code,
/// 40163 code been used, 40001 invalid credential, 42001 access_token
/// expired, 48001 api unauthorized, ...). The message names the API path
/// and the errcode only: no query string, hence no secret, code or token.
{
public:
	ApiError(const std::string& path, int errcode, std::string errmsg);

	int errcode() const noexcept
	{
		return _errcode;
	}
	const std::string& errmsg() const noexcept
	/// WeChat's own text, as received; not part of message() because it is
	/// not ours to vouch for.
	{
		return _errmsg;
	}

	const char* name() const noexcept override;
	const char* className() const noexcept override;
	Poco::Exception* clone() const override;
	void rethrow() const override;

private:
	int _errcode;
	std::string _errmsg;
};

POCO_DECLARE_EXCEPTION(, UnavailableError, Poco::Exception)
/// WeChat could not be asked or its answer not be used: network or TLS
/// failure, timeout, HTTP status other than 200, an oversized body, a body
/// that is not a JSON object, or a 200 answer that lacks a field.

POCO_DECLARE_EXCEPTION(, BackingOffError, UnavailableError)
/// WeChat was not asked: a fetch failed moments ago and the back-off after
/// it has not ended (TicketCache). Answered as UnavailableError would be.

} // namespace WeChat
} // namespace ExternalContacts
