#pragma once

#include <Poco/Types.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class Notifier
/// Puts notices in members' notification centre (the host's bell).
/// Implementations are thread-safe; failures throw.
{
public:
	struct Text
	/// One text in the languages the UI speaks.
	{
		std::string zhCN;
		std::string en;
	};

	struct Action
	/// A button on the notice: the host calls the plugin route `method path`
	/// with body as the recipient.
	{
		std::string id;
		Text label;
		std::string method = "POST";
		std::string path; /// the plugin route, e.g. "/applications/7/approve"
		std::string bodyJson = "{}";
	};

	struct Notice
	{
		Poco::Int64 orgId = 0;
		std::vector<Poco::Int64> userIds; /// the recipients, 1..10000
		std::string type;                 /// e.g. "external-contacts.handover"
		Text title;
		Text body;
		std::string groupKey; /// notices that are resolved together; may be empty
		std::vector<Action> actions;
	};

	virtual ~Notifier() = default;

	virtual void notify(const Notice& notice) = 0;

	virtual void resolve(const std::string& groupKey, const std::string& outcomeJson) = 0;
	/// Marks every notice of groupKey handled (e.g. once someone decided).

	virtual void notifyWithResolve(const std::string& groupKey, const std::string& outcomeJson, const Notice& notice)
	/// resolve(groupKey, outcomeJson), then notify(notice): where the
	/// implementation can, in one transaction (both or neither, one commit).
	{
		resolve(groupKey, outcomeJson);
		notify(notice);
	}
};

} // namespace ExternalContacts
