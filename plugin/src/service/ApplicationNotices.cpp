#include "service/ApplicationNotices.h"

#include "service/CompactJson.h"
#include <Poco/JSON/Object.h>

namespace ExternalContacts
{

const std::string ApplicationNotices::NOTICE_APPLICATION("external-contacts.application");
const std::string ApplicationNotices::NOTICE_DECISION("external-contacts.application-decided");

std::string ApplicationNotices::groupKeyOf(Poco::Int64 applicationId)
{
	return "application:" + std::to_string(applicationId);
}

Notifier::Notice ApplicationNotices::application(const AccountApplication& application, const Contact& contact,
												 const std::string& applicant,
												 const std::vector<Poco::Int64>& approvers)
{
	const std::string& text = application.remark;
	std::string id = std::to_string(application.id);
	Notifier::Notice notice;
	notice.orgId = application.orgId;
	notice.userIds = approvers;
	notice.type = NOTICE_APPLICATION;
	notice.title = {"外部联系人账号开通申请", "Account application for an external contact"};
	notice.body = {applicant + " 申请为外部联系人 " + contact.name + " 开通账号。" +
					   (text.empty() ? std::string() : "备注：" + text),
				   applicant + " applies for an account for the external contact " + contact.name + "." +
					   (text.empty() ? std::string() : " Remark: " + text)};
	notice.groupKey = groupKeyOf(application.id);
	notice.actions.push_back({"approve", {"同意", "Approve"}, "POST", "/applications/" + id + "/approve", "{}"});
	notice.actions.push_back(
		{"reject", {"驳回", "Reject"}, "POST", "/applications/" + id + "/reject", R"({"reason":""})"});
	return notice;
}

std::string ApplicationNotices::outcomeOf(const AccountApplication& decided)
{
	Poco::JSON::Object outcome;
	outcome.set("status", AccountApplication::statusName(decided.status));
	outcome.set("decidedBy", decided.decidedBy.value_or(0));
	return compactJson(outcome);
}

Notifier::Notice ApplicationNotices::decision(const AccountApplication& decided, const Contact& contact,
											  const std::string& approver, const std::string& login)
{
	Notifier::Notice notice;
	notice.orgId = decided.orgId;
	notice.userIds = {decided.applicantId};
	notice.type = NOTICE_DECISION;
	const std::string& name = contact.name;
	if (decided.status == AccountApplication::Status::Approved)
	{
		notice.title = {"账号开通申请已通过", "Account application approved"};
		notice.body = {approver + " 同意了为 " + name + " 开通账号的申请，登录名 " + login +
						   "。请在联系人的【账号信息】中获取激活链接发给对方。",
					   approver + " approved the account for " + name + "; the login name is " + login +
						   ". Get the activation link in the contact's Account tab and send it to them."};
	}
	else
	{
		std::string why = decided.comment.value_or(std::string());
		notice.title = {"账号开通申请被驳回", "Account application rejected"};
		notice.body = {approver + " 驳回了为 " + name + " 开通账号的申请。原因：" + (why.empty() ? "未填写" : why) +
						   "。你可以重新申请。",
					   approver + " rejected the account application for " + name +
						   ". Reason: " + (why.empty() ? "none given" : why) + ". You may apply again."};
	}
	return notice;
}

} // namespace ExternalContacts
