#pragma once

#include "RouteRequest.h"
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace RefHost
{

class RouteSupport
/// What several host routes share: ids in the path, ?limit= and ?cursor=,
/// localized labels, hook payloads and the answers to a wrong method.
{
public:
	static Poco::Int64 pathId(const RouteRequest& request, const std::string& param, const std::string& what);
	/// The positive integer captured as {param}; 404 "no such <what>" otherwise.

	static int limit(const Exchange& ex);
	/// ?limit=: 50 when absent, 400 validation_failed unless 1..100.

	static Poco::Int64 cursor(const Exchange& ex);
	/// ?cursor=: 0 when absent, 400 validation_failed unless a positive integer.

	static Poco::Dynamic::Var nextCursor(Poco::Int64 id);
	/// The id as a string, or null when 0 (no further page).

	static std::string localized(const Poco::Dynamic::Var& labels, const std::string& locale);
	/// A plugin's label: a string, or {"zh-CN": …, "en": …} read in locale (zh-CN as fallback).

	static std::string stringify(const Poco::JSON::Object& payload);
	/// A hook's payload as JSON text.

	static std::string utf8Prefix(const std::string& text, std::size_t max);
	/// At most max bytes of UTF-8 text, never ending inside a character.

	static void notAllowed(RouteRequest& request);
	/// The handler of a known path with a method it does not take: 405.
};

} // namespace RefHost
