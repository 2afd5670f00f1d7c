#include "Metrics.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/RegularExpression.h>
#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace RefHost
{

const std::array<double, 12> Metrics::kLatencyBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
													  0.1,   0.25,   0.5,   1,    2.5,   5};

namespace
{

std::string number(double value)
{
	if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
	if (std::isnan(value)) return "NaN";
	char buf[40];
	if (value == std::floor(value) && std::fabs(value) < 9.007199254740992e15)
	{
		std::snprintf(buf, sizeof buf, "%.0f", value);
		return buf;
	}
	// The shortest text that reads back as the same double.
	auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
	return std::string(buf, end);
}

std::string number(Poco::UInt64 value)
{
	return std::to_string(value);
}

bool legalText(const std::string& text)
{
	Poco::UTF8Encoding utf8;
	Poco::TextIterator it(text, utf8);
	Poco::TextIterator end(text);
	for (; it != end; ++it)
		if (*it < 0x20 || *it == 0x7F) return false; // also -1: not UTF-8
	return true;
}

class Writer
/// Writes families in the text format, each # HELP / # TYPE once.
{
public:
	explicit Writer(std::ostringstream& out) : _out(out) {}

	void family(const std::string& name, const std::string& type, const std::string& help)
	{
		if (!_seen.insert(name).second) return;
		_out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
	}

	void sample(const std::string& name, const Metrics::Labels& labels, const std::string& value)
	{
		_out << name;
		if (!labels.empty())
		{
			_out << '{';
			for (std::size_t i = 0; i < labels.size(); ++i)
				_out << (i ? "," : "") << labels[i].first << "=\"" << Metrics::escapeLabelValue(labels[i].second)
					 << '"';
			_out << '}';
		}
		_out << ' ' << value << '\n';
	}

private:
	std::ostringstream& _out;
	std::set<std::string> _seen;
};

} // namespace

std::string Metrics::normalizeMethod(const std::string& method)
{
	static const char* const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
	for (const char* m : known)
		if (method == m) return method;
	return "other";
}

std::string Metrics::escapeLabelValue(const std::string& value)
{
	std::string out;
	out.reserve(value.size());
	for (char c : value)
	{
		if (c == '\\')
			out += "\\\\";
		else if (c == '"')
			out += "\\\"";
		else if (c == '\n')
			out += "\\n";
		else
			out += c;
	}
	return out;
}

void Metrics::requestDone(const std::string& route, const std::string& method, int status, double seconds)
{
	std::string m = normalizeMethod(method);
	std::size_t bucket =
		std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) - kLatencyBuckets.begin();
	std::lock_guard<std::mutex> lock(_mutex);
	++_requests[Key{route, m, std::to_string(status)}];
	Histogram& h = _latency[Key{route, m}];
	if (bucket < h.buckets.size()) ++h.buckets[bucket];
	++h.count;
	h.sum += seconds;
}

void Metrics::pluginCall(const std::string& pluginId, const char* kind, bool failed)
{
	std::lock_guard<std::mutex> lock(_mutex);
	PluginCalls& c = _pluginCalls[Key{pluginId, kind}];
	++c.calls;
	if (failed) ++c.errors;
}

hostsdk_status Metrics::validatePluginCounter(const char* name, const char* labelsJson, Poco::Int64 delta,
											  Labels& labels, std::string& err)
{
	static const Poco::RegularExpression metricName("^[a-z_][a-z0-9_]{0,63}$");
	static const Poco::RegularExpression labelName("^[a-z_][a-z0-9_]{0,31}$");
	labels.clear();
	if (!name || !metricName.match(name))
	{
		err = "metric name must match [a-z_][a-z0-9_]{0,63}";
		return HOSTSDK_E_INVALID;
	}
	if (delta < 0)
	{
		err = "delta must not be negative (counters only grow)";
		return HOSTSDK_E_INVALID;
	}
	std::string json = labelsJson && *labelsJson ? labelsJson : "{}";
	if (json.size() > 4096)
	{
		err = "labels too long";
		return HOSTSDK_E_INVALID;
	}
	Poco::JSON::Object::Ptr object;
	try
	{
		Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(json);
		if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) object = parsed.extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
	}
	if (!object)
	{
		err = "labels must be a JSON object of strings";
		return HOSTSDK_E_INVALID;
	}
	if (object->size() > kMaxPluginLabels)
	{
		err = "at most 4 labels";
		return HOSTSDK_E_INVALID;
	}
	for (const auto& kv : *object)
	{
		if (!labelName.match(kv.first) || kv.first == "plugin" || kv.first.compare(0, 2, "__") == 0)
		{
			err = "label names must match [a-z_][a-z0-9_]{0,31} and be neither plugin nor __*";
			return HOSTSDK_E_INVALID;
		}
		if (!kv.second.isString())
		{
			err = "label " + kv.first + " must be a string";
			return HOSTSDK_E_INVALID;
		}
		std::string value = kv.second.extract<std::string>();
		if (value.size() > kMaxLabelValueBytes || !legalText(value))
		{
			err = "label " + kv.first + " must be UTF-8 text of at most 64 bytes without control characters";
			return HOSTSDK_E_INVALID;
		}
		labels.emplace_back(kv.first, value);
	}
	std::sort(labels.begin(), labels.end());
	return HOSTSDK_OK;
}

hostsdk_status Metrics::pluginCounter(const std::string& pluginId, const char* name, const char* labelsJson,
									  Poco::Int64 delta, std::string& err)
{
	Labels labels;
	hostsdk_status st = validatePluginCounter(name, labelsJson, delta, labels, err);
	std::lock_guard<std::mutex> lock(_mutex);
	if (st != HOSTSDK_OK)
	{
		++_pluginRejected[pluginId];
		return st;
	}
	auto& series = _pluginCounters[pluginId];
	auto key = std::make_pair(std::string(name), std::move(labels));
	auto it = series.find(key);
	if (it == series.end())
	{
		if (series.size() >= kMaxPluginSeries)
		{
			++_pluginRejected[pluginId];
			err = "this plugin already has 200 metric series";
			return HOSTSDK_E_DENIED;
		}
		it = series.emplace(std::move(key), 0).first;
	}
	it->second += static_cast<Poco::UInt64>(delta);
	return HOSTSDK_OK;
}

void Metrics::addCollector(Collector collector)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_collectors.push_back(std::move(collector));
}

std::string Metrics::render() const
{
	std::vector<Collector> collectors;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		collectors = _collectors;
	}
	// Collectors may query the database: outside the lock, so requests
	// never wait for a scrape.
	std::vector<Sample> gathered;
	for (const Collector& c : collectors)
	{
		try
		{
			std::vector<Sample> samples = c();
			gathered.insert(gathered.end(), samples.begin(), samples.end());
		}
		catch (...)
		{
		}
	}

	std::ostringstream out;
	Writer w(out);
	{
		std::lock_guard<std::mutex> lock(_mutex);
		const std::string requests = "reference_host_http_requests_total";
		w.family(requests, "counter", "HTTP requests of the main listener by route pattern, method and status.");
		for (const auto& kv : _requests)
			w.sample(requests, {{"route", kv.first[0]}, {"method", kv.first[1]}, {"status", kv.first[2]}},
					 number(kv.second));

		const std::string latency = "reference_host_http_request_duration_seconds";
		w.family(latency, "histogram",
				 "Time from reading the request to sending the answer, by route pattern and method.");
		for (const auto& kv : _latency)
		{
			Labels base{{"route", kv.first[0]}, {"method", kv.first[1]}};
			Poco::UInt64 cumulative = 0;
			for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
			{
				cumulative += kv.second.buckets[i];
				char le[16];
				std::snprintf(le, sizeof le, "%g", kLatencyBuckets[i]);
				Labels labels = base;
				labels.emplace_back("le", le);
				w.sample(latency + "_bucket", labels, number(cumulative));
			}
			Labels inf = base;
			inf.emplace_back("le", "+Inf");
			w.sample(latency + "_bucket", inf, number(kv.second.count));
			w.sample(latency + "_sum", base, number(kv.second.sum));
			w.sample(latency + "_count", base, number(kv.second.count));
		}

		const std::string calls = "reference_host_plugin_calls_total";
		w.family(calls, "counter", "Calls into plugins by plugin id and kind (route, hook, qr).");
		for (const auto& kv : _pluginCalls)
			w.sample(calls, {{"plugin", kv.first[0]}, {"kind", kv.first[1]}}, number(kv.second.calls));
		const std::string errors = "reference_host_plugin_call_errors_total";
		w.family(errors, "counter", "Calls into plugins that answered a status other than HOSTSDK_OK.");
		for (const auto& kv : _pluginCalls)
			w.sample(errors, {{"plugin", kv.first[0]}, {"kind", kv.first[1]}}, number(kv.second.errors));

		const std::string rejected = "reference_host_plugin_metric_rejections_total";
		w.family(rejected, "counter", "cb_metric_add calls refused (bad name or labels, series limit) by plugin.");
		for (const auto& kv : _pluginRejected)
			w.sample(rejected, {{"plugin", kv.first}}, number(kv.second));

		// Plugin counters: one family per name, every plugin's series in it.
		std::map<std::string, std::vector<std::pair<Labels, Poco::UInt64>>> families;
		for (const auto& plugin : _pluginCounters)
			for (const auto& series : plugin.second)
			{
				Labels labels{{"plugin", plugin.first}};
				labels.insert(labels.end(), series.first.second.begin(), series.first.second.end());
				families["hostsdk_plugin_" + series.first.first + "_total"].emplace_back(labels, series.second);
			}
		for (const auto& family : families)
		{
			w.family(family.first, "counter", "A counter a plugin reports through cb_metric_add.");
			for (const auto& s : family.second)
				w.sample(family.first, s.first, number(s.second));
		}
	}
	// Gauges are grouped by family so # TYPE comes once, before its samples.
	std::stable_sort(gathered.begin(), gathered.end(),
					 [](const Sample& a, const Sample& b) { return a.name < b.name; });
	for (const Sample& s : gathered)
	{
		w.family(s.name, s.type, s.help);
		w.sample(s.name, s.labels, number(s.value));
	}
	return out.str();
}

} // namespace RefHost
