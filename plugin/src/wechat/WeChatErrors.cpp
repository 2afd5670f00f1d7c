#include "wechat/WeChatErrors.h"

#include <typeinfo>

namespace ExternalContacts
{
namespace WeChat
{

POCO_IMPLEMENT_EXCEPTION(UnavailableError, Poco::Exception, "WeChat unavailable")
POCO_IMPLEMENT_EXCEPTION(BackingOffError, UnavailableError, "WeChat backing off")

ApiError::ApiError(const std::string& path, int errcode, std::string errmsg) :
	Poco::Exception("WeChat " + path + " answered errcode " + std::to_string(errcode)), _errcode(errcode),
	_errmsg(std::move(errmsg))
{
}

const char* ApiError::name() const noexcept
{
	return "WeChat API error";
}

const char* ApiError::className() const noexcept
{
	return typeid(*this).name();
}

Poco::Exception* ApiError::clone() const
{
	return new ApiError(*this);
}

void ApiError::rethrow() const
{
	throw *this;
}

} // namespace WeChat
} // namespace ExternalContacts
