#pragma once

#include "domain/AccountApplication.h"
#include "domain/Contact.h"
#include "service/Notifier.h"
#include <string>
#include <vector>

namespace ExternalContacts
{

class ApplicationNotices
/// The notifications of account applications (R3.2, R3.5), in Chinese and
/// English: the approvers learn of an application, with approve / reject
/// as actions; once someone decided, those notices are resolved with the
/// outcome and the applicant is told. Only texts and payloads: the
/// ApplicationService sends them.
{
public:
	static const std::string NOTICE_APPLICATION; /// "external-contacts.application"
	static const std::string NOTICE_DECISION;    /// "external-contacts.application-decided"

	static std::string groupKeyOf(Poco::Int64 applicationId);
	/// "application:<id>": the approvers' notices of one application.

	static Notifier::Notice application(const AccountApplication& application, const Contact& contact,
										const std::string& applicant, const std::vector<Poco::Int64>& approvers);
	/// To the approvers: applicant (a display name) applies for an account
	/// for contact, with the remark; actions approve and reject.

	static std::string outcomeOf(const AccountApplication& decided);
	/// {"status", "decidedBy"}: what resolves the approvers' notices.

	static Notifier::Notice decision(const AccountApplication& decided, const Contact& contact,
									 const std::string& approver, const std::string& login);
	/// To the applicant: approver (a display name) approved, naming the new
	/// login (empty when none was made), or rejected with the reason.
};

} // namespace ExternalContacts
