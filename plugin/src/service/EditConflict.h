#pragma once

#include "domain/Exceptions.h"
#include "service/ContactView.h"

namespace ExternalContacts
{

class EditConflict : public ContactsException
/// A change that started from a version of the contact that is no longer
/// current (Conflict, "conflict"): carries the current contact so the
/// editor can compare and retry. Nothing was written.
{
public:
	explicit EditConflict(ContactView current);

	const ContactView& current() const noexcept
	{
		return _current;
	}

	const char* name() const noexcept override;
	const char* className() const noexcept override;
	Poco::Exception* clone() const override;
	void rethrow() const override;

private:
	ContactView _current;
};

} // namespace ExternalContacts
