#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct SearchQuery
/// A contact search (the list's `q`) taken apart: its terms and, for a
/// query that looks like a phone number, its digits.
{
	std::vector<std::string> terms; /// the chunks of normalize(q), each once, in order
	std::string phoneDigits;        /// the digits of q when q holds only digits, spaces, '-' and '+'; else ""

	bool matchesNothing() const
	{
		return terms.empty() && phoneDigits.empty();
	}
};

class SearchText
/// What a contact search matches and the index tokens that find it
/// (docs/API.md "Search", docs/PERFORMANCE.md). Pure functions: the store
/// writes tokens() of every live contact into ec_contact_search, looks a
/// query up by lookupToken() / bigrams() / suffixToken() and re-checks
/// every candidate with matches(). Migration 004 computes the same tokens
/// in SQL for the rows that existed before it (kept identical by
/// SearchBackfillTest).
///
/// normalize(text): ASCII letters lower-cased; separators (every ASCII
/// character other than a letter or digit, and the Unicode spaces and
/// punctuation of SEPARATORS) become a space. A chunk is a maximal run of
/// non-space characters. An ideographic character is one at or above
/// U+2E80 (CJK, kana, hangul, …) that is not a separator.
///
/// A contact matches q when
///   - q looks like a phone number and the digits of its mobile begin with
///     q's digits, or end with them (4 or more digits); or
///   - every term t of q matches: t begins a chunk of the name, of the
///     email or of the mobile's digits; or t consists of ideographic
///     characters only and occurs anywhere in the name or email; or t
///     occurs anywhere in the company.
{
public:
	static constexpr std::size_t PREFIX_MAX = 6;    /// longest chunk prefix stored as a token
	static constexpr std::size_t SUFFIX_DIGITS = 4; /// mobile digits stored as a suffix token
	static constexpr char32_t IDEOGRAPHIC_MIN = 0x2E80;

	static const std::vector<char32_t>& separators();
	/// The non-ASCII characters normalize() turns into a space (ascending).

	static std::string normalize(const std::string& text);

	static std::string mobileDigits(const std::optional<std::string>& mobile);
	/// The digits of a mobile ("" for none).

	static std::set<std::string> tokens(const std::string& name, const std::optional<std::string>& email,
										const std::optional<std::string>& mobile);
	/// The index tokens of a contact: of the chunks of normalize(name) and
	/// normalize(email), their prefixes of 1..PREFIX_MAX characters (except
	/// those of 3 or more characters that end with an ideographic one),
	/// every ideographic character and every pair of adjacent ones; of the
	/// mobile's digits, their prefixes of 1..PREFIX_MAX digits and "#" plus
	/// the last SUFFIX_DIGITS digits.

	static SearchQuery parse(const std::string& q);

	static bool matches(const SearchQuery& query, const std::string& name, const std::optional<std::string>& email,
						const std::optional<std::string>& mobile, const std::optional<std::string>& company);
	/// The exact rule (see the class comment).

	static bool termMatchesCompany(const std::string& term, const std::string& company);
	/// The term occurs in normalize(company).

	static bool isIdeographic(const std::string& term);
	/// Every character of the (non-empty) term is ideographic.

	static std::string lookupToken(const std::string& term, bool& exact);
	/// The token to look a term up by when it is not ideographic-only with
	/// 3 or more characters: its longest prefix that tokens() stores.
	/// exact: every row of the token matches the term (the token is the
	/// term itself).

	static std::vector<std::string> bigrams(const std::string& term);
	/// The pairs of adjacent characters of an ideographic-only term, each
	/// once (every one is a token of a contact whose text holds the term).

	static std::string suffixToken(const std::string& digits);
	/// "#" and the last SUFFIX_DIGITS digits (digits must have that many).

	static std::string prefixToken(const std::string& digits);
	/// The first PREFIX_MAX digits.

	static std::size_t length(const std::string& text);
	/// Characters (code points) of UTF-8 text.
};

} // namespace ExternalContacts
