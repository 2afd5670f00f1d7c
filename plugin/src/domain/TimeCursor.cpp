#include "domain/TimeCursor.h"

#include "domain/ValidationError.h"

namespace ExternalContacts
{

std::string TimeCursor::encode() const
{
	return std::to_string(at) + "." + std::to_string(id);
}

TimeCursor TimeCursor::decode(const std::string& cursor, const std::string& message)
{
	auto bad = [&] { return ValidationError::failed("cursor", message); };
	std::size_t dot = cursor.find('.');
	if (dot == std::string::npos || dot == 0 || dot + 1 == cursor.size() || dot > 18 || cursor.size() - dot - 1 > 18)
		throw bad();
	std::string at = cursor.substr(0, dot), id = cursor.substr(dot + 1);
	if (at.find_first_not_of("0123456789") != std::string::npos ||
		id.find_first_not_of("0123456789") != std::string::npos)
		throw bad();
	TimeCursor position{std::stoll(at), std::stoll(id)};
	if (position.id <= 0 || position.encode() != cursor) throw bad();
	return position;
}

} // namespace ExternalContacts
