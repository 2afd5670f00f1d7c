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

private:
	HostSdk::HostApi _host;
};

} // namespace ExternalContacts
