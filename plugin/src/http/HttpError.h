#pragma once

#include "domain/Exceptions.h"
#include <string>

namespace ExternalContacts
{

class HttpError : public ContactsException
/// An answer other than success, as docs/API.md defines it: an HTTP
/// status, an error code, a message and, when one field is at fault, its
/// name. Handlers throw it; ErrorResponder answers it with its own status
/// (its outcome is Other: the status says it all).
{
public:
	HttpError(int status, const std::string& code, const std::string& message, const std::string& field = "");

	int status() const noexcept
	{
		return _status;
	}

	static HttpError unauthenticated();
	/// 401: no session.

	static HttpError forbidden(const std::string& message);
	/// 403: the caller may not use this function.

	static HttpError notFound();
	/// 404: also for what the caller may not see.

	static HttpError payloadTooLarge(std::size_t limit);
	/// 413: a body above limit bytes.

	static HttpError unsupportedMediaType();
	/// 415: a body that is not application/json.

	const char* name() const noexcept override;
	Poco::Exception* clone() const override;
	void rethrow() const override;

private:
	int _status;
};

} // namespace ExternalContacts
