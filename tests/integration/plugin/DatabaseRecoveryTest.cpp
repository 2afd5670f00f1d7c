// The plugin's own pool on MariaDB survives the server dropping its
// connections (restart, wait_timeout): the next checkout works again.
#include "TestEnv.h"
#include "store/Database.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;

class DatabaseRecoveryTest: public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(DatabaseRecoveryTest);
	CPPUNIT_TEST(testPoolRecoversWhenTheServerDropsConnections);
	CPPUNIT_TEST_SUITE_END();

public:
	void testPoolRecoversWhenTheServerDropsConnections()
	{
		std::string cs = TestEnv::freshMysqlDatabase("plugin_dropped");
		ExternalContacts::Database db("mysql", cs, 4);
		std::vector<Poco::Int64> ids;
		{
			std::vector<Poco::Data::Session> held;
			for (int i = 0; i < 3; ++i)
			{
				held.push_back(db.session());
				Poco::Int64 id = 0;
				held.back() << "SELECT CONNECTION_ID()", into(id), now;
				ids.push_back(id);
			}
		}
		Poco::Data::Session admin("mysql", cs);
		for (Poco::Int64 id : ids) admin << "KILL " + std::to_string(id), now;
		for (int round = 0; round < 6; ++round)
		{
			int one = 0;
			Poco::Data::Session s = db.session();
			s << "SELECT 1", into(one), now;
			CPPUNIT_ASSERT_EQUAL(1, one);
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseRecoveryTest);
