#pragma once

#include "store/Database.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

class NamedLock
/// A database-wide lock by name, held from construction to destruction, so
/// that host nodes sharing one database do a piece of start-up work one at
/// a time (the demo seed). On MySQL / MariaDB it is GET_LOCK on a session
/// kept out of the pool meanwhile (named after the purpose and the current
/// database, so databases on one server do not block each other; the server
/// releases it if the node dies). On SQLite there is nothing to take: a
/// SQLite file belongs to one host process (as for the host's own
/// MigrationRunner::serialized). Not copyable; one thread.
{
public:
	NamedLock(Database& database, const std::string& purpose, int timeoutSeconds);
	/// Waits up to timeoutSeconds; throws Poco::TimeoutException when the
	/// lock stays taken, or what the database throws.

	~NamedLock();
	/// Releases the lock (errors are swallowed: the session closing releases it too).

	NamedLock(const NamedLock&) = delete;
	NamedLock& operator=(const NamedLock&) = delete;

	const std::string& name() const
	{
		return _name;
	}

	static std::string lockName(const std::string& purpose, const std::string& databaseName);
	/// "ec-plugin:<purpose>:<database>", at most 64 bytes (MySQL's limit): a
	/// long database name is replaced by its SHA-1.

private:
	std::optional<Poco::Data::Session> _session;
	std::string _name;
};

} // namespace ExternalContacts
