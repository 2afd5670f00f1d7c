#include "store/SearchText.h"

#include <algorithm>

namespace ExternalContacts
{

namespace
{

std::u32string decode(const std::string& text)
{
	// Text reaching the store is valid UTF-8 (the validator checks it); a
	// stray byte is kept as a character of its own.
	std::u32string out;
	out.reserve(text.size());
	for (std::size_t i = 0; i < text.size();)
	{
		unsigned char b = static_cast<unsigned char>(text[i]);
		std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
		if (i + n > text.size()) n = 1;
		char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
		for (std::size_t k = 1; k < n; ++k)
			cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
		out.push_back(cp);
		i += n;
	}
	return out;
}

void append(std::string& out, char32_t cp)
{
	if (cp < 0x80)
		out += static_cast<char>(cp);
	else if (cp < 0x800)
	{
		out += static_cast<char>(0xC0 | (cp >> 6));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
	else if (cp < 0x10000)
	{
		out += static_cast<char>(0xE0 | (cp >> 12));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
	else
	{
		out += static_cast<char>(0xF0 | (cp >> 18));
		out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
}

std::string encode(std::u32string::const_iterator begin, std::u32string::const_iterator end)
{
	std::string out;
	for (auto it = begin; it != end; ++it)
		append(out, *it);
	return out;
}

bool ideographic(char32_t cp)
{
	// Only meaningful on normalized text, where separators are spaces.
	return cp >= SearchText::IDEOGRAPHIC_MIN;
}

std::u32string normalized(const std::string& text)
{
	const std::vector<char32_t>& separators = SearchText::separators();
	std::u32string out = decode(text);
	for (char32_t& cp : out)
	{
		if (cp >= 'A' && cp <= 'Z')
			cp = cp - 'A' + 'a';
		else if (cp < 0x80)
		{
			if (!((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))) cp = ' ';
		}
		else if (std::binary_search(separators.begin(), separators.end(), cp))
			cp = ' ';
	}
	return out;
}

std::vector<std::u32string> chunksOf(const std::u32string& text)
{
	std::vector<std::u32string> chunks;
	std::u32string current;
	for (char32_t cp : text)
	{
		if (cp == ' ')
		{
			if (!current.empty()) chunks.push_back(current);
			current.clear();
		}
		else
			current.push_back(cp);
	}
	if (!current.empty()) chunks.push_back(current);
	return chunks;
}

bool storedPrefix(const std::u32string& prefix)
{
	// A prefix of 3 or more characters ending on an ideographic one adds
	// nothing the unigrams and bigrams do not find; it is not stored.
	return prefix.size() <= 2 || !ideographic(prefix.back());
}

bool startsWith(const std::string& text, const std::string& prefix)
{
	return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& text, const std::string& suffix)
{
	return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

const std::vector<char32_t>& SearchText::separators()
{
	// Spaces, dashes, quotes and the punctuation of Chinese text (full-width
	// and CJK forms). Migration 004 lists the same characters.
	static const std::vector<char32_t> list = []
	{
		std::vector<char32_t> l = {0x00A0, 0x00B7, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x202F, 0x205F,
								   0x3000, 0x3001, 0x3002, 0x3014, 0x3015, 0x30FB, 0xFEFF, 0xFF01, 0xFF08, 0xFF09,
								   0xFF0C, 0xFF0D, 0xFF0E, 0xFF0F, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF20, 0xFF3F, 0xFF5E};
		for (char32_t cp = 0x2000; cp <= 0x200B; ++cp)
			l.push_back(cp); // the typographic spaces
		for (char32_t cp = 0x2010; cp <= 0x2015; ++cp)
			l.push_back(cp); // hyphens and dashes
		for (char32_t cp = 0x3008; cp <= 0x3011; ++cp)
			l.push_back(cp); // 〈〉《》「」『』【】
		std::sort(l.begin(), l.end());
		return l;
	}();
	return list;
}

std::string SearchText::normalize(const std::string& text)
{
	std::u32string n = normalized(text);
	return encode(n.begin(), n.end());
}

std::string SearchText::mobileDigits(const std::optional<std::string>& mobile)
{
	std::string digits;
	if (!mobile) return digits;
	for (char c : *mobile)
		if (c >= '0' && c <= '9') digits += c;
	return digits;
}

std::set<std::string> SearchText::tokens(const std::string& name, const std::optional<std::string>& email,
										 const std::optional<std::string>& mobile)
{
	std::set<std::string> tokens;
	std::u32string text = normalized(name);
	text += U' ';
	text += normalized(email.value_or(std::string()));
	for (const std::u32string& chunk : chunksOf(text))
	{
		for (std::size_t k = 1; k <= std::min(PREFIX_MAX, chunk.size()); ++k)
		{
			std::u32string prefix = chunk.substr(0, k);
			if (storedPrefix(prefix)) tokens.insert(encode(prefix.begin(), prefix.end()));
		}
	}
	for (std::size_t i = 0; i < text.size(); ++i)
	{
		if (!ideographic(text[i])) continue;
		tokens.insert(encode(text.begin() + i, text.begin() + i + 1));
		if (i + 1 < text.size() && ideographic(text[i + 1]))
			tokens.insert(encode(text.begin() + i, text.begin() + i + 2));
	}
	std::string digits = mobileDigits(mobile);
	for (std::size_t k = 1; k <= std::min(PREFIX_MAX, digits.size()); ++k)
		tokens.insert(digits.substr(0, k));
	if (digits.size() >= SUFFIX_DIGITS) tokens.insert(suffixToken(digits));
	return tokens;
}

SearchQuery SearchText::parse(const std::string& q)
{
	SearchQuery query;
	for (const std::u32string& chunk : chunksOf(normalized(q)))
	{
		std::string term = encode(chunk.begin(), chunk.end());
		if (std::find(query.terms.begin(), query.terms.end(), term) == query.terms.end()) query.terms.push_back(term);
	}
	bool phone = q.find_first_not_of("0123456789 -+") == std::string::npos;
	if (phone) query.phoneDigits = mobileDigits(q);
	return query;
}

bool SearchText::matches(const SearchQuery& query, const std::string& name, const std::optional<std::string>& email,
						 const std::optional<std::string>& mobile, const std::optional<std::string>& company)
{
	std::string digits = mobileDigits(mobile);
	const std::string& wanted = query.phoneDigits;
	if (!wanted.empty() && !digits.empty())
	{
		if (startsWith(digits, wanted)) return true;
		if (wanted.size() >= SUFFIX_DIGITS && endsWith(digits, wanted)) return true;
	}
	if (query.terms.empty()) return false;
	std::u32string text = normalized(name);
	text += U' ';
	text += normalized(email.value_or(std::string()));
	std::string flat = encode(text.begin(), text.end());
	std::vector<std::string> chunks;
	for (const std::u32string& chunk : chunksOf(text))
		chunks.push_back(encode(chunk.begin(), chunk.end()));
	if (!digits.empty()) chunks.push_back(digits);
	std::string companyText = company ? normalize(*company) : std::string();
	for (const std::string& term : query.terms)
	{
		bool found =
			std::any_of(chunks.begin(), chunks.end(), [&](const std::string& c) { return startsWith(c, term); });
		if (!found && isIdeographic(term)) found = flat.find(term) != std::string::npos;
		if (!found) found = companyText.find(term) != std::string::npos;
		if (!found) return false;
	}
	return true;
}

bool SearchText::termMatchesCompany(const std::string& term, const std::string& company)
{
	return normalize(company).find(term) != std::string::npos;
}

bool SearchText::isIdeographic(const std::string& term)
{
	std::u32string t = decode(term);
	return !t.empty() && std::all_of(t.begin(), t.end(), ideographic);
}

std::string SearchText::lookupToken(const std::string& term, bool& exact)
{
	std::u32string t = decode(term);
	std::u32string prefix = t.substr(0, std::min(PREFIX_MAX, t.size()));
	while (!storedPrefix(prefix))
		prefix.pop_back();
	exact = prefix.size() == t.size();
	return encode(prefix.begin(), prefix.end());
}

std::vector<std::string> SearchText::bigrams(const std::string& term)
{
	std::u32string t = decode(term);
	std::vector<std::string> pairs;
	for (std::size_t i = 0; i + 1 < t.size(); ++i)
	{
		std::string pair = encode(t.begin() + i, t.begin() + i + 2);
		if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end()) pairs.push_back(pair);
	}
	return pairs;
}

std::string SearchText::suffixToken(const std::string& digits)
{
	return "#" + digits.substr(digits.size() - SUFFIX_DIGITS);
}

std::string SearchText::prefixToken(const std::string& digits)
{
	return digits.substr(0, PREFIX_MAX);
}

std::size_t SearchText::length(const std::string& text)
{
	return decode(text).size();
}

} // namespace ExternalContacts
