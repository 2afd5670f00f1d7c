#pragma once

#include "Database.h"
#include "FakeDirectory.h"
#include "TestEnv.h"
#include "domain/Actor.h"
#include "domain/ContactFields.h"
#include "service/ContactService.h"
#include "service/ContactView.h"
#include "service/ServiceContext.h"
#include "store/Database.h"
#include <functional>
#include <memory>
#include <string>

class PluginBackend
/// One fresh database (SQLite file or MariaDB database) with the
/// plugin's migrations applied by the host's runner, and the plugin's
/// own pool, a FakeDirectory and a ServiceContext and ContactService over it.
{
public:
	static constexpr Poco::Int64 ORG = 1;
	static constexpr Poco::Int64 OTHER_ORG = 2;

	explicit PluginBackend(const TestEnv::Backend& backend);
	~PluginBackend();

	static void forEach(const std::function<void(PluginBackend&)>& test);
	/// Runs test once on SQLite and once on MariaDB; a failure names the backend.

	const std::string& name() const
	{
		return _name;
	}

	int migrate();
	/// Applies the plugin's migrations again; returns how many ran.

	ExternalContacts::Database& database()
	{
		return *_database;
	}

	RefHost::Database& hostDatabase()
	{
		return *_hostDatabase;
	}

	FakeDirectory& directory()
	{
		return _directory;
	}

	ExternalContacts::ServiceContext& context()
	{
		return *_context;
	}

	ExternalContacts::ContactService& service()
	{
		return *_service;
	}

	Poco::Int64 count(const std::string& table);
	/// SELECT COUNT(*) FROM table.

	void execute(const std::string& sql);

	void share(Poco::Int64 contactId, Poco::Int64 memberId, Poco::Int64 orgId = ORG);
	/// Puts memberId on the contact's share list (no route for it yet).

	ExternalContacts::ContactView create(Poco::Int64 adder, const std::string& name,
										 const std::string& company = std::string(), Poco::Int64 orgId = ORG);
	/// A contact created through the service by member adder.

	static ExternalContacts::Actor member(Poco::Int64 userId, Poco::Int64 orgId = ORG, bool admin = false);
	static ExternalContacts::Actor external(Poco::Int64 userId, Poco::Int64 orgId = ORG);
	static ExternalContacts::ContactFields draft(const std::string& name, const std::string& company = std::string());

private:
	std::string _name;
	std::unique_ptr<RefHost::Database> _hostDatabase;
	std::unique_ptr<ExternalContacts::Database> _database;
	FakeDirectory _directory;
	std::unique_ptr<ExternalContacts::ServiceContext> _context;
	std::unique_ptr<ExternalContacts::ContactService> _service;
};
