#pragma once

#include "hostsdk/abi.h"
#include <Poco/Types.h>
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace RefHost
{

class Metrics
/// The reference host's counters and histograms, rendered in the
/// Prometheus text exposition format 0.0.4 at GET /metrics on the metrics
/// listener (never on the main port).
///
/// Labels are bounded by construction: requests carry route patterns
/// (never raw paths), plugin calls a plugin id and a fixed kind, and a
/// plugin's own counters (cb_metric_add) are validated and capped at
/// kMaxPluginSeries series per plugin. Gauges that live elsewhere (the
/// database pool, queue lengths) come from collectors called on scrape.
///
/// Thread-safe. The per-request cost is one mutex and two map lookups.
{
public:
	using Labels = std::vector<std::pair<std::string, std::string>>;

	struct Sample
	/// One gauge or counter value a collector reports at scrape time.
	{
		std::string name;
		std::string type; // "gauge" or "counter"
		std::string help;
		Labels labels;
		double value = 0;
	};
	using Collector = std::function<std::vector<Sample>()>;

	static constexpr std::size_t kMaxPluginSeries = 200;
	static constexpr std::size_t kMaxPluginLabels = 4;
	static constexpr std::size_t kMaxLabelValueBytes = 64;
	static const std::array<double, 12> kLatencyBuckets; // seconds, 1 ms .. 5 s

	void requestDone(const std::string& route, const std::string& method, int status, double seconds);
	/// One HTTP request of the main listener: route is a pattern
	/// (e.g. "/api/notifications/{id}/read", "static", "unmatched").

	void pluginCall(const std::string& pluginId, const char* kind, bool failed);
	/// A call into a plugin: kind "route", "hook" or "qr"; failed when it
	/// answered a status other than HOSTSDK_OK.

	hostsdk_status pluginCounter(const std::string& pluginId, const char* name, const char* labelsJson,
								 Poco::Int64 delta, std::string& err);
	/// hostsdk cb_metric_add: validates (HOSTSDK_E_INVALID), caps the
	/// plugin's series (HOSTSDK_E_DENIED) and adds delta.

	static hostsdk_status validatePluginCounter(const char* name, const char* labelsJson, Poco::Int64 delta,
												Labels& labels, std::string& err);
	/// The checks of pluginCounter alone; labels come back sorted by name.

	void addCollector(Collector collector);
	/// Called on every render(), outside the registry's lock; a collector
	/// that throws is skipped (its samples are missing from that scrape).

	std::string render() const;
	/// The text exposition format: # HELP and # TYPE per family, then its samples.

	static std::string normalizeMethod(const std::string& method);
	/// GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; anything else "other".

	static std::string escapeLabelValue(const std::string& value);
	/// Backslash, double quote and newline escaped as the format requires.

private:
	struct Histogram
	{
		std::array<Poco::UInt64, 12> buckets{}; // not cumulative; summed on render
		Poco::UInt64 count = 0;
		double sum = 0;
	};
	struct PluginCalls
	{
		Poco::UInt64 calls = 0;
		Poco::UInt64 errors = 0;
	};
	using Key = std::vector<std::string>;

	mutable std::mutex _mutex;               // guards everything below
	std::map<Key, Poco::UInt64> _requests;   // route, method, status
	std::map<Key, Histogram> _latency;       // route, method
	std::map<Key, PluginCalls> _pluginCalls; // plugin, kind
	std::map<std::string, std::map<std::pair<std::string, Labels>, Poco::UInt64>> _pluginCounters;
	// plugin id -> (name, labels) -> value
	std::map<std::string, Poco::UInt64> _pluginRejected; // plugin id -> refused cb_metric_add calls
	std::vector<Collector> _collectors;
};

} // namespace RefHost
