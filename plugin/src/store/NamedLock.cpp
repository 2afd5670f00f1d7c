#include "store/NamedLock.h"
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/SHA1Engine.h>

using namespace Poco::Data::Keywords;

namespace ExternalContacts
{

NamedLock::NamedLock(Database& database, const std::string& purpose, int timeoutSeconds)
{
	if (database.dialect() == Database::Dialect::SQLite) return;
	Poco::Data::Session s = database.session();
	std::string current;
	s << "SELECT COALESCE(DATABASE(), '')", into(current), now;
	_name = lockName(purpose, current);
	int locked = 0;
	s << "SELECT COALESCE(GET_LOCK(?, ?), 0)", useRef(_name), bind(timeoutSeconds), into(locked), now;
	if (locked != 1)
		throw Poco::TimeoutException("could not take the lock " + _name + " within " +
									 std::to_string(timeoutSeconds) + " s");
	_session = s;
}

NamedLock::~NamedLock()
{
	if (!_session) return;
	try
	{
		int released = 0;
		*_session << "SELECT COALESCE(RELEASE_LOCK(?), 0)", useRef(_name), into(released), now;
	}
	catch (...)
	{
	}
}

std::string NamedLock::lockName(const std::string& purpose, const std::string& databaseName)
{
	std::string name = "ec-plugin:" + purpose + ":" + databaseName;
	if (name.size() <= 64) return name;
	Poco::SHA1Engine sha1;
	sha1.update(databaseName);
	return ("ec-plugin:" + purpose + ":" + Poco::DigestEngine::digestToHex(sha1.digest())).substr(0, 64);
}

} // namespace ExternalContacts
