#include "http/HostMetrics.h"

namespace ExternalContacts
{

const char* const HostMetrics::INVITATION_JOINS = "invitation_joins";
const char* const HostMetrics::APPLICATION_DECISIONS = "application_decisions";

HostMetrics::HostMetrics(const HostSdk::HostApi& host, Logger logger) : _host(host), _logger(std::move(logger)) {}

void HostMetrics::invitationJoined() noexcept
{
	add(INVITATION_JOINS, "{}");
}

void HostMetrics::applicationDecided(bool approved) noexcept
{
	add(APPLICATION_DECISIONS, approved ? R"({"decision":"approved"})" : R"({"decision":"rejected"})");
}

void HostMetrics::add(const char* name, const std::string& labelsJson) noexcept
{
	try
	{
		_host.addMetric(name, labelsJson, 1);
	}
	catch (const std::exception& e)
	{
		try
		{
			if (_logger) _logger(HOSTSDK_LOG_WARNING, std::string("metric ") + name + " refused: " + e.what());
		}
		catch (...)
		{
		}
	}
}

} // namespace ExternalContacts
