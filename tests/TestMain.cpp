#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <iostream>

int main(int argc, char** argv)
{
	CppUnit::TestResult controller;
	CppUnit::TestResultCollector result;
	controller.addListener(&result);
	CppUnit::BriefTestProgressListener progress;
	controller.addListener(&progress);
	CppUnit::TestRunner runner;
	CppUnit::Test* all = CppUnit::TestFactoryRegistry::getRegistry().makeTest();
	if (argc > 1)
	{
		// Run only the named test or suite, e.g. "ContactValidatorTest::testMissingName".
		runner.addTest(all->findTest(argv[1]));
	}
	else
	{
		runner.addTest(all);
	}
	runner.run(controller);
	CppUnit::CompilerOutputter out(&result, std::cerr);
	out.write();
	return result.wasSuccessful() ? 0 : 1;
}
