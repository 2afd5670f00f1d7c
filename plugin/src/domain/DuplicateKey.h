#pragma once

#include <optional>
#include <string>

namespace ExternalContacts
{

class DuplicateKey
/// What makes two contacts "the same person" for the duplicate warning
/// (R2.4): the mobile without spaces and dashes, the email with ASCII
/// letters lower-cased. The store keeps both next to the contact.
{
public:
	static std::optional<std::string> mobile(const std::optional<std::string>& mobile);
	static std::optional<std::string> email(const std::optional<std::string>& email);
};

} // namespace ExternalContacts
