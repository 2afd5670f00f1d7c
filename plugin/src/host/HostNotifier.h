#pragma once

#include "service/Notifier.h"
#include <hostsdk/HostApi.h>

namespace ExternalContacts
{

class HostNotifier : public Notifier
/// Notifier answered by the host's notification centre (cb_notify).
{
public:
	explicit HostNotifier(const HostSdk::HostApi& host);

	void notify(const Notice& notice) override;
	void resolve(const std::string& groupKey, const std::string& outcomeJson) override;
	void notifyWithResolve(const std::string& groupKey, const std::string& outcomeJson, const Notice& notice) override;
	/// One cb_notify_with_resolve (ABI 1.5); two calls on an older host.

private:
	HostSdk::HostApi _host;
};

} // namespace ExternalContacts
