#pragma once

#include "domain/ContactFields.h"
#include <Poco/Types.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct ContactEdit
/// A change of a contact's basic info (PATCH, R6.2) as ContactValidator
/// accepts it: only the fields the body named change; version is the one
/// the editor started from (optimistic concurrency).
{
	Poco::Int64 version = 0;
	ContactFields values;           /// the new values of the named fields
	std::vector<std::string> given; /// the names of the fields the body holds
	bool confirmDuplicate = false;  /// save even when the mobile or email is already known (R2.4)

	bool has(const std::string& field) const;
	/// True when the body named field.

	void applyTo(ContactFields& fields) const;
	/// Overwrites the named fields of fields with their new values.
};

} // namespace ExternalContacts
