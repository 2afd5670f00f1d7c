#include "domain/DuplicateKey.h"

#include <Poco/String.h>

namespace ExternalContacts
{

std::optional<std::string> DuplicateKey::mobile(const std::optional<std::string>& mobile)
{
	if (!mobile) return std::nullopt;
	std::string key;
	for (char c : *mobile)
		if (c != ' ' && c != '-') key += c;
	return key;
}

std::optional<std::string> DuplicateKey::email(const std::optional<std::string>& email)
{
	if (!email) return std::nullopt;
	return Poco::toLower(*email); // ASCII only, like SQL LOWER() on SQLite
}

} // namespace ExternalContacts
