#pragma once

#include <functional>
#include <hostsdk/HostApi.h>
#include <string>

namespace ExternalContacts
{

class HostMetrics
/// Counters of what happens inside the plugin, reported to the host with
/// cb_metric_add (ABI 1.2); the host shows them as
/// hostsdk_plugin_<name>_total{plugin="external-contacts",...}. On an older
/// host every call does nothing. A refusal is logged, never thrown: counting
/// never fails the request that is counted. Labels hold fixed words only.
{
public:
	using Logger = std::function<void(int level, const std::string& message)>;

	static const char* const INVITATION_JOINS;      /// "invitation_joins"
	static const char* const APPLICATION_DECISIONS; /// "application_decisions", label decision

	HostMetrics(const HostSdk::HostApi& host, Logger logger);

	void invitationJoined() noexcept;
	/// A visitor's answer on the landing page created or bound a contact.

	void applicationDecided(bool approved) noexcept;
	/// An account application was approved or rejected.

private:
	void add(const char* name, const std::string& labelsJson) noexcept;

	HostSdk::HostApi _host;
	Logger _logger;
};

} // namespace ExternalContacts
