#pragma once

#include <Poco/Exception.h>
#include <Poco/Types.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ContactsException : public Poco::Exception
/// Base of every exception the plugin throws on purpose: carries its own
/// outcome (what kind of refusal it is, in the domain's words) and API
/// error code, and the field at fault when there is one. The HTTP layer
/// maps the outcome to a status (ErrorResponder); domain/ knows no HTTP.
{
public:
	enum class Outcome
	{
		Invalid,   /// input that breaks a rule (400)
		Forbidden, /// the caller may not use this function (403)
		NotFound,  /// missing, or not the caller's to see (404)
		Conflict,  /// the state does not allow it now (409)
		Gone,      /// exists, but can no longer be used (410)
		TooMany,   /// too many requests of one kind (429)
		Other      /// none of these: the thrower says more (HttpError's own status)
	};

	ContactsException(Outcome outcome, std::string code, const std::string& message, std::string field = "");

	Outcome outcome() const noexcept
	{
		return _outcome;
	}

	const std::string& code() const noexcept
	/// The API error code ("not_found", "duplicate", …).
	{
		return _code;
	}

	const std::string& field() const noexcept
	/// The field at fault, "" when no single field is.
	{
		return _field;
	}

	const char* name() const noexcept override;
	const char* className() const noexcept override;
	Poco::Exception* clone() const override;
	void rethrow() const override;

private:
	Outcome _outcome;
	std::string _code;
	std::string _field;
};

class AccessDeniedException : public ContactsException
/// The caller may not use this function at all (Forbidden, "forbidden").
/// A single contact the caller may not see is never reported this way: it
/// is "not found", exactly like a missing one.
{
public:
	explicit AccessDeniedException(const std::string& message) :
		ContactsException(Outcome::Forbidden, "forbidden", message)
	{
	}
};

class ContactNotFoundException : public ContactsException
/// The contact does not exist, was deleted, or the caller may not see it
/// (NotFound, "not_found": the same bytes in every case).
{
public:
	explicit ContactNotFoundException(const std::string& message) :
		ContactsException(Outcome::NotFound, "not_found", message)
	{
	}
};

class DuplicateContactException : public ContactsException
/// A contact with the same mobile or email exists in the org (R2.4) and
/// the caller did not confirm (Conflict, "duplicate", naming the field):
/// the answer lists the ones the caller may see and only the number of
/// the others.
{
public:
	struct Match
	{
		Poco::Int64 id = 0;
		std::string name;
	};

	DuplicateContactException(std::string field, std::vector<Match> visible, std::size_t hidden);

	const std::vector<Match>& visible() const noexcept
	{
		return _visible;
	}
	std::size_t hidden() const noexcept
	{
		return _hidden;
	}

	const char* name() const noexcept override;
	Poco::Exception* clone() const override;
	void rethrow() const override;

private:
	std::vector<Match> _visible;
	std::size_t _hidden;
};

} // namespace ExternalContacts
