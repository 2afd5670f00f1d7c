#include "Metrics.h"
#include "PluginManager.h"
#include "PluginSlot.h"
#include "hostsdk/HostApi.h"
#include "http/HostRouter.h"
#include <cppunit/extensions/HelperMacros.h>
#include <cstddef>

using RefHost::HostRouter;
using RefHost::Metrics;
using RefHost::PluginManager;

namespace
{

// A slot whose host table is the reference host's, as a plugin sees it.
struct TableFixture
{
	explicit TableFixture(Metrics* metrics)
	{
		PluginManager::Services services;
		services.metrics = metrics;
		manager = std::make_unique<PluginManager>(services);
		slot.manager = manager.get();
		slot.id = "counting-plugin";
		slot.logger = &Poco::Logger::get("plugin.counting-plugin");
		RefHost::fillHostTable(slot);
	}

	hostsdk_status add(const char* name, const char* labels, int64_t delta = 1)
	{
		HostSdk::StringSink err;
		return slot.host.cb_metric_add(slot.host.ctx, name, labels, delta, err.sink());
	}

	std::unique_ptr<PluginManager> manager;
	RefHost::PluginSlot slot;
};

bool contains(const std::string& text, const std::string& part)
{
	return text.find(part) != std::string::npos;
}

} // namespace

class MetricsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(MetricsTest);
	CPPUNIT_TEST(testRequestsRenderCounterAndCumulativeHistogram);
	CPPUNIT_TEST(testLabelValuesAreEscaped);
	CPPUNIT_TEST(testUnknownMethodIsOther);
	CPPUNIT_TEST(testHostPathsBecomePatterns);
	CPPUNIT_TEST(testPluginCallsCountErrors);
	CPPUNIT_TEST(testMetricAddCountsWithPluginLabel);
	CPPUNIT_TEST(testMetricAddRejectsBadNames);
	CPPUNIT_TEST(testMetricAddRejectsBadLabels);
	CPPUNIT_TEST(testMetricAddCapsSeriesPerPlugin);
	CPPUNIT_TEST(testMetricAddWithoutRegistryStillValidates);
	CPPUNIT_TEST(testHostApiSkipsMetricsOnOlderHost);
	CPPUNIT_TEST(testCollectorFailureLeavesOtherSamples);
	CPPUNIT_TEST_SUITE_END();

public:
	void testRequestsRenderCounterAndCumulativeHistogram()
	{
		Metrics m;
		m.requestDone("/api/session", "POST", 200, 0.0004);
		m.requestDone("/api/session", "POST", 200, 0.03);
		m.requestDone("/api/session", "POST", 401, 9.0);
		std::string text = m.render();
		CPPUNIT_ASSERT(contains(text, "# TYPE reference_host_http_requests_total counter\n"));
		CPPUNIT_ASSERT(contains(
			text, "reference_host_http_requests_total{route=\"/api/session\",method=\"POST\",status=\"200\"} 2\n"));
		CPPUNIT_ASSERT(contains(
			text, "reference_host_http_requests_total{route=\"/api/session\",method=\"POST\",status=\"401\"} 1\n"));
		CPPUNIT_ASSERT(contains(text, "# TYPE reference_host_http_request_duration_seconds histogram\n"));
		const std::string b =
			"reference_host_http_request_duration_seconds_bucket{route=\"/api/session\",method=\"POST\",le=";
		CPPUNIT_ASSERT(contains(text, b + "\"0.001\"} 1\n"));
		CPPUNIT_ASSERT(contains(text, b + "\"0.025\"} 1\n"));
		CPPUNIT_ASSERT(contains(text, b + "\"0.05\"} 2\n"));
		CPPUNIT_ASSERT(contains(text, b + "\"5\"} 2\n"));
		CPPUNIT_ASSERT(contains(text, b + "\"+Inf\"} 3\n"));
		CPPUNIT_ASSERT(contains(
			text, "reference_host_http_request_duration_seconds_count{route=\"/api/session\",method=\"POST\"} 3\n"));
	}

	void testLabelValuesAreEscaped()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("a\\\\b\\\"c\\nd"), Metrics::escapeLabelValue("a\\b\"c\nd"));
		Metrics m;
		TableFixture t(&m);
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), t.add("quotes", R"({"kind":"say \"hi\" \\ now"})"));
		CPPUNIT_ASSERT(
			contains(m.render(),
					 "hostsdk_plugin_quotes_total{plugin=\"counting-plugin\",kind=\"say \\\"hi\\\" \\\\ now\"} 1\n"));
	}

	void testUnknownMethodIsOther()
	{
		CPPUNIT_ASSERT_EQUAL(std::string("PATCH"), Metrics::normalizeMethod("PATCH"));
		CPPUNIT_ASSERT_EQUAL(std::string("other"), Metrics::normalizeMethod("BREW"));
		CPPUNIT_ASSERT_EQUAL(std::string("other"), Metrics::normalizeMethod("get"));
	}

	void testHostPathsBecomePatterns()
	{
		auto of = [](const std::string& path) { return HostRouter::patternOf(PluginManager::splitPath(path)); };
		CPPUNIT_ASSERT_EQUAL(std::string("/api/notifications/{id}/read"), of("/api/notifications/17/read"));
		CPPUNIT_ASSERT_EQUAL(std::string("/api/notifications/unread-count"), of("/api/notifications/unread-count"));
		CPPUNIT_ASSERT_EQUAL(std::string("/api/notifications/{id}/actions/{action}"),
							 of("/api/notifications/3/actions/approve"));
		CPPUNIT_ASSERT_EQUAL(std::string("/api/admin/members/{userId}"), of("/api/admin/members/9"));
		CPPUNIT_ASSERT_EQUAL(std::string("/api/session"), of("/api/session"));
		CPPUNIT_ASSERT_EQUAL(std::string("unmatched"), of("/api/no-such-thing"));
		CPPUNIT_ASSERT_EQUAL(std::string("unmatched"), of("/api/admin/secret-token-abc"));
	}

	void testPluginCallsCountErrors()
	{
		Metrics m;
		m.pluginCall("p", "route", false);
		m.pluginCall("p", "route", true);
		m.pluginCall("p", "hook", false);
		std::string text = m.render();
		CPPUNIT_ASSERT(contains(text, "reference_host_plugin_calls_total{plugin=\"p\",kind=\"route\"} 2\n"));
		CPPUNIT_ASSERT(contains(text, "reference_host_plugin_call_errors_total{plugin=\"p\",kind=\"route\"} 1\n"));
		CPPUNIT_ASSERT(contains(text, "reference_host_plugin_calls_total{plugin=\"p\",kind=\"hook\"} 1\n"));
		CPPUNIT_ASSERT(contains(text, "reference_host_plugin_call_errors_total{plugin=\"p\",kind=\"hook\"} 0\n"));
	}

	void testMetricAddCountsWithPluginLabel()
	{
		Metrics m;
		TableFixture t(&m);
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), t.add("invitation_joins", "{}"));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), t.add("invitation_joins", nullptr, 2));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), t.add("decisions", R"({"z":"1","decision":"approved"})"));
		std::string text = m.render();
		CPPUNIT_ASSERT(contains(text, "# TYPE hostsdk_plugin_invitation_joins_total counter\n"));
		CPPUNIT_ASSERT(contains(text, "hostsdk_plugin_invitation_joins_total{plugin=\"counting-plugin\"} 3\n"));
		// Label names sorted, plugin first.
		CPPUNIT_ASSERT(contains(
			text, "hostsdk_plugin_decisions_total{plugin=\"counting-plugin\",decision=\"approved\",z=\"1\"} 1\n"));
	}

	void testMetricAddRejectsBadNames()
	{
		Metrics m;
		TableFixture t(&m);
		for (const char* bad : {"", "Upper", "9lives", "has-dash", "dots.in.it", "sp ace",
								"a2222222222222222222222222222222222222222222222222222222222222222"})
			CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, hostsdk_status(HOSTSDK_E_INVALID), t.add(bad, "{}"));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_E_INVALID), t.add(nullptr, "{}"));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_E_INVALID), t.add("ok", "{}", -1));
		CPPUNIT_ASSERT_EQUAL(
			hostsdk_status(HOSTSDK_OK),
			t.add("a222222222222222222222222222222222222222222222222222222222222222", "{}")); // 64 characters
		std::string text = m.render();
		CPPUNIT_ASSERT(!contains(text, "Upper"));
		CPPUNIT_ASSERT(contains(text, "reference_host_plugin_metric_rejections_total{plugin=\"counting-plugin\"} 9\n"));
	}

	void testMetricAddRejectsBadLabels()
	{
		Metrics m;
		TableFixture t(&m);
		const std::string longValue(65, 'x');
		const std::string badLabels[] = {"not json",
										 "[]",
										 "\"text\"",
										 R"({"n":1})",
										 R"({"n":null})",
										 R"({"Bad":"x"})",
										 R"({"plugin":"other"})",
										 R"({"__name__":"x"})",
										 R"({"a-b":"x"})",
										 R"({"a":"1","b":"2","c":"3","d":"4","e":"5"})",
										 "{\"v\":\"" + longValue + "\"}",
										 R"({"v":"line\nbreak"})",
										 "{\"v\":\"\xff\xfe\"}"};
		for (const std::string& labels : badLabels)
			CPPUNIT_ASSERT_EQUAL_MESSAGE(labels, hostsdk_status(HOSTSDK_E_INVALID), t.add("ok", labels.c_str()));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK),
							 t.add("ok", ("{\"v\":\"" + std::string(64, 'x') + "\",\"w\":\"中文\"}").c_str()));
		CPPUNIT_ASSERT(!contains(m.render(), "plugin=\"other\""));
	}

	void testMetricAddCapsSeriesPerPlugin()
	{
		Metrics m;
		TableFixture t(&m);
		for (std::size_t i = 0; i < Metrics::kMaxPluginSeries; ++i)
			CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK),
								 t.add("many", ("{\"n\":\"" + std::to_string(i) + "\"}").c_str()));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_E_DENIED), t.add("many", R"({"n":"one-too-many"})"));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_E_DENIED), t.add("other_name", "{}"));
		// Series it already has keep counting.
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), t.add("many", R"({"n":"7"})"));
		std::string text = m.render();
		CPPUNIT_ASSERT(contains(text, "hostsdk_plugin_many_total{plugin=\"counting-plugin\",n=\"7\"} 2\n"));
		CPPUNIT_ASSERT(!contains(text, "one-too-many"));
		CPPUNIT_ASSERT(!contains(text, "other_name"));
		// Another plugin has its own allowance.
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK),
							 [&]
							 {
								 std::string err;
								 return m.pluginCounter("second-plugin", "many", "{}", 1, err);
							 }());
	}

	void testMetricAddWithoutRegistryStillValidates()
	{
		TableFixture t(nullptr);
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), t.add("fine", "{}"));
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_E_INVALID), t.add("Not-Fine", "{}"));
	}

	void testHostApiSkipsMetricsOnOlderHost()
	{
		Metrics m;
		TableFixture t(&m);
		hostsdk_host_v1 old = t.slot.host;
		old.abi_minor = 1;
		old.struct_size = offsetof(hostsdk_host_v1, cb_metric_add); // a 1.1 host's table
		HostSdk::HostApi older(&old);
		CPPUNIT_ASSERT(!older.hasMetrics());
		older.addMetric("invitation_joins", "{}"); // nothing, no throw
		CPPUNIT_ASSERT(!contains(m.render(), "invitation_joins"));

		HostSdk::HostApi current(&t.slot.host);
		CPPUNIT_ASSERT(current.hasMetrics());
		current.addMetric("invitation_joins", "{}");
		CPPUNIT_ASSERT(contains(m.render(), "hostsdk_plugin_invitation_joins_total{plugin=\"counting-plugin\"} 1\n"));
		CPPUNIT_ASSERT_THROW(current.addMetric("Bad Name", "{}"), HostSdk::Error);
	}

	void testCollectorFailureLeavesOtherSamples()
	{
		Metrics m;
		m.addCollector([]() -> std::vector<Metrics::Sample> { throw std::runtime_error("database down"); });
		m.addCollector(
			[] {
				return std::vector<Metrics::Sample>{{"x_gauge", "gauge", "A gauge.", {{"state", "idle"}}, 3}};
			});
		std::string text = m.render();
		CPPUNIT_ASSERT(contains(text, "# TYPE x_gauge gauge\nx_gauge{state=\"idle\"} 3\n"));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsTest);
