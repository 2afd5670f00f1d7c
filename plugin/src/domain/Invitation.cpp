#include "domain/Invitation.h"

#include "domain/ContactValidator.h"
#include "domain/Utf8Text.h"

namespace ExternalContacts
{

Invitation::State Invitation::stateAt(Poco::Int64 nowMs) const
{
	if (revokedAt) return State::Revoked;
	if (maxUses && uses >= *maxUses) return State::UsedUp;
	if (nowMs >= expiresAt) return State::Expired;
	return State::Active;
}

const char* Invitation::stateName(State state)
{
	switch (state)
	{
	case State::Active:
		return "active";
	case State::Expired:
		return "expired";
	case State::Revoked:
		return "revoked";
	case State::UsedUp:
		return "used_up";
	}
	return "expired";
}

std::vector<InviteForm::Problem> InviteForm::problems() const
{
	std::vector<Problem> found;
	auto text = [&](const std::string& field, const std::string& value, std::size_t max, bool required)
	{
		if (!Utf8Text::isValid(value) || Utf8Text::hasControlCharacters(value))
			found.push_back({field, "invalid"});
		else if (required && value.empty())
			found.push_back({field, "required"});
		else if (Utf8Text::length(value) > max)
			found.push_back({field, "too_long"});
		else
			return true;
		return false;
	};
	text("name", name, NAME_LENGTH_MAX, true);
	if (text("mobile", mobile, 32, true) && !ContactValidator::isValidMobile(mobile))
		found.push_back({"mobile", "invalid"});
	text("company", company, COMPANY_LENGTH_MAX, false);
	text("title", title, TITLE_LENGTH_MAX, false);
	return found;
}

InvitationGoneException::InvitationGoneException(Reason reason) :
	ContactsException(Outcome::Gone, "invitation_gone", std::string("the invitation link is ") + reasonName(reason)),
	_reason(reason)
{
}

const char* InvitationGoneException::reasonName(Reason reason)
{
	switch (reason)
	{
	case Reason::Expired:
		return "expired";
	case Reason::Revoked:
		return "revoked";
	case Reason::UsedUp:
		return "used_up";
	case Reason::InviterLeft:
		return "inviter_left";
	}
	return "expired";
}

InvitationGoneException::Reason InvitationGoneException::reasonOf(Invitation::State state)
{
	switch (state)
	{
	case Invitation::State::Revoked:
		return Reason::Revoked;
	case Invitation::State::UsedUp:
		return Reason::UsedUp;
	default:
		return Reason::Expired;
	}
}

RateLimitedException::RateLimitedException(std::string code, const std::string& message, int retryAfterSeconds) :
	ContactsException(Outcome::TooMany, std::move(code), message),
	_retryAfterSeconds(retryAfterSeconds < 1 ? 1 : retryAfterSeconds)
{
}

} // namespace ExternalContacts
