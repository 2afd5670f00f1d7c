#pragma once

#include <optional>
#include <string>
#include <unordered_set>

namespace RefHost
{

class PasswordPolicy
/// What a new password must be (ASVS 2.1): 12 to 128 characters, at
/// least 5 different characters, not the login or display name nor
/// containing the login, and not a common password: neither the whole
/// (lower-cased) nor its core once leading and trailing digits and
/// symbols are taken off ("password2026!" is "password") may be on the
/// list (resources/security/common-passwords.txt), nor may a listed
/// password make up more than half of it from the start. Thread-safe after
/// construction.
{
public:
	static constexpr std::size_t MIN_CHARS = 12;
	static constexpr std::size_t MAX_CHARS = 128;

	struct Problem
	{
		std::string code;    // too_short | too_long | too_simple | contains_login | too_common | invalid
		std::string message; // English; the UI localizes by code
	};

	explicit PasswordPolicy(const std::string& commonPasswordsFile);
	/// Loads the list (one password per line). Throws Poco::FileNotFoundException
	/// when the file is missing: a host must not run without it.

	PasswordPolicy();
	/// An empty list: only for tests of the other rules.

	std::optional<Problem> check(const std::string& password, const std::string& login,
								 const std::string& displayName) const;
	/// The first rule password breaks, or nothing.

	std::size_t listSize() const;

private:
	std::unordered_set<std::string> _common;
};

} // namespace RefHost
