#pragma once

#include <cppunit/extensions/HelperMacros.h>
#include <stdexcept>
#include <string>

template <typename E, typename F> E expectThrow(F&& f, const std::string& what)
/// Runs f, which must throw E; answers the exception so the test can look
/// at it. Fails the test (naming what) when f returns or throws otherwise.
{
	try
	{
		f();
	}
	catch (const E& e)
	{
		return e;
	}
	CPPUNIT_FAIL("expected an exception: " + what);
	throw std::logic_error("unreachable");
}
