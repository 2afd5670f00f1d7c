#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/Nullable.h>
#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

class SqlValue
/// Conversions between the domain's std::optional and what POCO Data
/// binds and reads (Poco::Nullable in, Dynamic::Var out; NULL is an
/// empty Var).
{
public:
	template <typename T> static Poco::Nullable<T> nullable(const std::optional<T>& value)
	/// NULL for nothing, else the value.
	{
		return value ? Poco::Nullable<T>(*value) : Poco::Nullable<T>();
	}

	static std::optional<std::string> optionalString(const Poco::Dynamic::Var& value)
	/// Nothing for NULL, else the text.
	{
		if (value.isEmpty()) return std::nullopt;
		return value.convert<std::string>();
	}

	static std::optional<Poco::Int64> optionalInteger(const Poco::Dynamic::Var& value)
	/// Nothing for NULL, else the integer.
	{
		if (value.isEmpty()) return std::nullopt;
		return integer(value);
	}

	static Poco::Int64 integer(const Poco::Dynamic::Var& value)
	/// An integer column (SQLite and MySQL hand out different widths).
	{
		return value.convert<Poco::Int64>();
	}
};

} // namespace ExternalContacts
