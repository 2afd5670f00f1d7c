#pragma once

#include <Poco/Exception.h>
#include <Poco/Types.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

POCO_DECLARE_EXCEPTION(, ContactsException, Poco::Exception)
/// Base of every exception the plugin throws on purpose.

POCO_DECLARE_EXCEPTION(, AccessDeniedException, ContactsException)
/// The caller may not use this function at all (answers 403). A single
/// contact the caller may not see is never reported this way: it is
/// "not found", exactly like a missing one.

POCO_DECLARE_EXCEPTION(, ContactNotFoundException, ContactsException)
/// The contact does not exist, was deleted, or the caller may not see it
/// (answers 404, the same bytes in every case).

class DuplicateContactException : public ContactsException
/// A contact with the same mobile or email exists in the org (R2.4) and
/// the caller did not confirm: answers 409 "duplicate" listing the ones
/// the caller may see and only the number of the others.
{
public:
	struct Match
	{
		Poco::Int64 id = 0;
		std::string name;
	};

	DuplicateContactException(std::string field, std::vector<Match> visible, std::size_t hidden);

	const std::string& field() const noexcept
	{
		return _field;
	}
	const std::vector<Match>& visible() const noexcept
	{
		return _visible;
	}
	std::size_t hidden() const noexcept
	{
		return _hidden;
	}

	const char* name() const noexcept override;
	const char* className() const noexcept override;
	Poco::Exception* clone() const override;
	void rethrow() const override;

private:
	std::string _field;
	std::vector<Match> _visible;
	std::size_t _hidden;
};

} // namespace ExternalContacts
