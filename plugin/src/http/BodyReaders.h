#pragma once

// The small request readers of the routes that are not a validator of
// their own (the account routes' one-field bodies, the invitation and
// org-request bodies, the landing page's form, cookies), as free inline
// functions so that tests and fuzz harnesses (tests/fuzz/) call exactly
// what the routes call without linking the routes' services.

#include "domain/Invitation.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"
#include "http/QueryString.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>
#include <hostsdk/support/JsonPayload.h>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace ExternalContacts
{

namespace BodyReaders
{

inline std::string onlyText(const Poco::JSON::Object& body, const std::string& field)
/// The body's only allowed field, optional and a string: its text, "" when
/// absent. Throws ValidationError "unknown_field" for any other member and
/// "validation_failed" naming field when it is not a string (null counts
/// as absent). field "" allows no member at all.
{
	for (const std::string& key : body.getNames())
		if (key != field) throw ValidationError(ValidationError::UNKNOWN_FIELD, key, "unknown field " + key);
	Poco::Dynamic::Var value = body.get(field);
	if (value.isEmpty()) return std::string();
	if (!value.isString()) throw ValidationError::failed(field, field + " must be a string");
	return value.toString();
}

/// A JSON integer as a signed 64-bit number; false above 2^63 - 1.
using HostSdk::JsonPayload::toInt64;

inline std::optional<int> intField(const Poco::JSON::Object& body, const std::string& name, bool& isNull, int min,
								   int max, const std::string& message)
/// An integer member of body (not a boolean, not text) within min..max, or
/// nothing when it is absent; null is reported through isNull. Throws
/// ValidationError naming it otherwise.
{
	isNull = false;
	if (!body.has(name)) return std::nullopt;
	Poco::Dynamic::Var value = body.get(name);
	if (value.isEmpty())
	{
		isNull = true;
		return std::nullopt;
	}
	if (value.isBoolean() || !value.isInteger()) throw ValidationError::failed(name, message);
	// Above 2^63 - 1 the JSON number is an unsigned integer that does not
	// convert (Poco::RangeException, a 500 before tests/fuzz found it).
	Poco::Int64 number = 0;
	if (!toInt64(value, number) || number < min || number > max) throw ValidationError::failed(name, message);
	return static_cast<int>(number);
}

inline InvitationSettings invitationSettings(const Poco::JSON::Object& body)
/// The body of POST /invitations: {"ttlHours"?: 1..720, "maxUses"?: null |
/// 1..1000}, nothing else.
{
	for (const auto& member : body)
	{
		if (member.first != "ttlHours" && member.first != "maxUses")
			throw ValidationError(ValidationError::UNKNOWN_FIELD, member.first, "unknown field " + member.first);
	}
	InvitationSettings settings;
	bool isNull = false;
	std::optional<int> ttl = intField(body, "ttlHours", isNull, Invitation::TTL_HOURS_MIN, Invitation::TTL_HOURS_MAX,
									  "ttlHours must be an integer from 1 to 720 (30 days)");
	if (isNull) throw ValidationError::failed("ttlHours", "ttlHours must be an integer from 1 to 720 (30 days)");
	if (ttl) settings.ttlHours = *ttl;
	settings.maxUses = intField(body, "maxUses", isNull, 1, Invitation::MAX_USES_MAX,
								"maxUses must be null (no limit) or an integer from 1 to 1000");
	return settings;
}

inline Poco::Int64 positiveIdField(const Poco::JSON::Object& body, const std::string& name)
/// A positive integer member of body (not a boolean, not text), or 0.
{
	Poco::Dynamic::Var value = body.get(name);
	if (value.isEmpty() || value.isBoolean() || !value.isInteger()) return 0;
	Poco::Int64 id = 0;
	if (!toInt64(value, id)) return 0;
	return id > 0 ? id : 0;
}

struct OrgRequestTarget
{
	Poco::Int64 orgId = 0;
	Poco::Int64 userId = 0;
};

inline OrgRequestTarget orgRequestTarget(const Poco::JSON::Object& body)
/// The body of POST /org-requests: {"orgId", "userId"}, both positive
/// integers, nothing else.
{
	for (const auto& member : body)
		if (member.first != "orgId" && member.first != "userId")
			throw ValidationError(ValidationError::UNKNOWN_FIELD, member.first, "unknown field " + member.first);
	OrgRequestTarget target;
	target.orgId = positiveIdField(body, "orgId");
	target.userId = positiveIdField(body, "userId");
	if (!target.orgId) throw ValidationError::failed("orgId", "orgId must be a positive integer");
	if (!target.userId) throw ValidationError::failed("userId", "userId must be a positive integer");
	return target;
}

struct InviteSubmission
/// The landing page's form as POST /invite/{token} reads it.
{
	InviteForm values;                         /// trimmed
	std::string reference;                     /// "wx": the WeChat profile reference, trimmed
	std::vector<InviteForm::Problem> problems; /// empty when the form may be saved
};

inline InviteSubmission inviteSubmission(const std::string& formBody)
/// An application/x-www-form-urlencoded body (name, mobile, company,
/// title, wx). A body that is not well-formed (bad escape, not UTF-8, a
/// field given twice) is one "invalid" problem naming the field.
{
	InviteSubmission out;
	auto value = [](const QueryString& form, const std::string& name) { return Utf8Text::trim(form.get(name, "")); };
	try
	{
		QueryString form(formBody);
		out.values.name = value(form, "name");
		out.values.mobile = value(form, "mobile");
		out.values.company = value(form, "company");
		out.values.title = value(form, "title");
		out.reference = value(form, "wx");
		out.problems = out.values.problems();
	}
	catch (const ValidationError& e)
	{
		out.problems.push_back({e.field(), "invalid"});
	}
	return out;
}

inline std::string cookieValue(const std::string& header, const std::string& name)
/// The value of cookie name in a Cookie header (trimmed), or "".
{
	std::istringstream pairs(header);
	std::string pair;
	while (std::getline(pairs, pair, ';'))
	{
		std::size_t eq = pair.find('=');
		if (eq == std::string::npos) continue;
		if (Poco::trim(pair.substr(0, eq)) == name) return Poco::trim(pair.substr(eq + 1));
	}
	return "";
}

} // namespace BodyReaders

} // namespace ExternalContacts
