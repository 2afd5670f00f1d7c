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

	struct Notice
	{
		Poco::Int64 orgId = 0;
		std::vector<Poco::Int64> userIds; /// the recipients, 1..10000
		std::string type;                 /// e.g. "external-contacts.handover"
		Text title;
		Text body;
		std::string groupKey; /// notices that are resolved together; may be empty
	};

	virtual ~Notifier() = default;

	virtual void notify(const Notice& notice) = 0;
};

} // namespace ExternalContacts
