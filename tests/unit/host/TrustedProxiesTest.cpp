// http.trustedProxies: which senders' X-Forwarded-For / -Proto the host
// believes, and which client address and scheme it takes from them.
#include "TrustedProxies.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace RefHost;
using Poco::Net::IPAddress;

class TrustedProxiesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(TrustedProxiesTest);
	CPPUNIT_TEST(testAddressesAndRanges);
	CPPUNIT_TEST(testBadEntriesAreRefusedByName);
	CPPUNIT_TEST(testUntrustedPeerIsTheClient);
	CPPUNIT_TEST(testTrustedPeerNamesTheClient);
	CPPUNIT_TEST(testSpoofedHopsLeftOfTheClientAreIgnored);
	CPPUNIT_TEST(testChainOfProxiesAndRepeatedHeaders);
	CPPUNIT_TEST(testGarbageHopStopsAtTheLastTrusted);
	CPPUNIT_TEST(testSchemeOnlyFromTrustedPeer);
	CPPUNIT_TEST(testEmptyTrustsNobody);
	CPPUNIT_TEST_SUITE_END();

	static IPAddress ip(const std::string& text)
	{
		return IPAddress(text);
	}

public:
	void testAddressesAndRanges()
	{
		TrustedProxies p("127.0.0.1, 10.0.0.0/8 192.168.1.0/24,::1,2001:db8::/32");
		CPPUNIT_ASSERT(p.trusts(ip("127.0.0.1")));
		CPPUNIT_ASSERT(!p.trusts(ip("127.0.0.2")));
		CPPUNIT_ASSERT(p.trusts(ip("10.255.1.2")));
		CPPUNIT_ASSERT(!p.trusts(ip("11.0.0.1")));
		CPPUNIT_ASSERT(p.trusts(ip("192.168.1.254")));
		CPPUNIT_ASSERT(!p.trusts(ip("192.168.2.1")));
		CPPUNIT_ASSERT(p.trusts(ip("::1")));
		CPPUNIT_ASSERT(p.trusts(ip("2001:db8:ffff::7")));
		CPPUNIT_ASSERT(!p.trusts(ip("2001:db9::1")));
		// An IPv4 peer on a dual-stack socket.
		CPPUNIT_ASSERT(p.trusts(ip("::ffff:10.1.2.3")));
		CPPUNIT_ASSERT(!p.trusts(ip("::ffff:11.1.2.3")));
		// A /0 range trusts its whole family only.
		TrustedProxies all4("0.0.0.0/0");
		CPPUNIT_ASSERT(all4.trusts(ip("203.0.113.9")));
		CPPUNIT_ASSERT(!all4.trusts(ip("2001:db8::1")));
	}

	void testBadEntriesAreRefusedByName()
	{
		for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "proxy.example.com", "10.0.0.1/8/8",
								"::1/129", "300.1.1.1", "10.0.0.0/0008"})
		{
			try
			{
				TrustedProxies p(std::string("127.0.0.1, ") + bad);
				CPPUNIT_FAIL(std::string("accepted ") + bad);
			}
			catch (const Poco::InvalidArgumentException& e)
			{
				CPPUNIT_ASSERT_MESSAGE(e.displayText(),
									   e.displayText().find("http.trustedProxies") != std::string::npos);
				CPPUNIT_ASSERT_MESSAGE(e.displayText(), e.displayText().find(bad) != std::string::npos);
			}
		}
	}

	void testUntrustedPeerIsTheClient()
	{
		TrustedProxies p("10.0.0.0/8");
		TrustedProxies::Resolved r = p.resolve(ip("203.0.113.7"), {"198.51.100.1"}, {"https"});
		CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7"), r.clientAddress);
		CPPUNIT_ASSERT(!r.https);
		CPPUNIT_ASSERT(!r.fromProxy);
	}

	void testTrustedPeerNamesTheClient()
	{
		TrustedProxies p("10.0.0.0/8");
		TrustedProxies::Resolved r = p.resolve(ip("10.0.0.5"), {"198.51.100.1"}, {});
		CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.1"), r.clientAddress);
		CPPUNIT_ASSERT(r.fromProxy);
		CPPUNIT_ASSERT(!r.https);
		// No header from a trusted proxy: the proxy itself is the client.
		CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.5"), p.resolve(ip("10.0.0.5"), {}, {}).clientAddress);
		// IPv6 hops, bracketed or not.
		CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::9"),
							 p.resolve(ip("10.0.0.5"), {"[2001:db8::9]"}, {}).clientAddress);
	}

	void testSpoofedHopsLeftOfTheClientAreIgnored()
	{
		// The client wrote "6.6.6.6, 10.0.0.1" itself; the proxy appended the real peer.
		TrustedProxies p("10.0.0.0/8");
		TrustedProxies::Resolved r = p.resolve(ip("10.0.0.5"), {"6.6.6.6, 10.0.0.1, 198.51.100.1"}, {});
		CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.1"), r.clientAddress);
	}

	void testChainOfProxiesAndRepeatedHeaders()
	{
		TrustedProxies p("10.0.0.0/8, 192.168.0.0/16");
		// client → 192.168.0.2 (edge) → 10.0.0.3 → peer 10.0.0.5, over two header lines.
		TrustedProxies::Resolved r = p.resolve(ip("10.0.0.5"), {"6.6.6.6, 198.51.100.1", "192.168.0.2, 10.0.0.3"}, {});
		CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.1"), r.clientAddress);
		// Every hop trusted: the left-most one.
		CPPUNIT_ASSERT_EQUAL(std::string("192.168.0.2"),
							 p.resolve(ip("10.0.0.5"), {"192.168.0.2, 10.0.0.3"}, {}).clientAddress);
	}

	void testGarbageHopStopsAtTheLastTrusted()
	{
		TrustedProxies p("10.0.0.0/8");
		CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.3"),
							 p.resolve(ip("10.0.0.5"), {"198.51.100.1, unknown, 10.0.0.3"}, {}).clientAddress);
		CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.5"), p.resolve(ip("10.0.0.5"), {"1.2.3.4:5678"}, {}).clientAddress);
		CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.5"),
							 p.resolve(ip("10.0.0.5"), {std::string(200, '1')}, {}).clientAddress);
	}

	void testSchemeOnlyFromTrustedPeer()
	{
		TrustedProxies p("127.0.0.1");
		CPPUNIT_ASSERT(p.resolve(ip("127.0.0.1"), {}, {"https"}).https);
		CPPUNIT_ASSERT(p.resolve(ip("127.0.0.1"), {}, {"HTTPS"}).https);
		// The proxy facing the client wrote the first value.
		CPPUNIT_ASSERT(p.resolve(ip("127.0.0.1"), {}, {"https, http"}).https);
		CPPUNIT_ASSERT(!p.resolve(ip("127.0.0.1"), {}, {"http, https"}).https);
		CPPUNIT_ASSERT(!p.resolve(ip("127.0.0.1"), {}, {"httpsx"}).https);
		CPPUNIT_ASSERT(!p.resolve(ip("127.0.0.2"), {}, {"https"}).https);
	}

	void testEmptyTrustsNobody()
	{
		TrustedProxies p("");
		CPPUNIT_ASSERT(p.empty());
		CPPUNIT_ASSERT(!p.trusts(ip("127.0.0.1")));
		TrustedProxies::Resolved r = p.resolve(ip("127.0.0.1"), {"198.51.100.1"}, {"https"});
		CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), r.clientAddress);
		CPPUNIT_ASSERT(!r.https);
		CPPUNIT_ASSERT(TrustedProxies(" , ").empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(TrustedProxiesTest);
