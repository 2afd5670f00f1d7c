#include "PluginBackend.h"

#include "MigrationRunner.h"
#include <cppunit/TestAssert.h>

using namespace Poco::Data::Keywords;

PluginBackend::PluginBackend(const TestEnv::Backend& backend) : _name(backend.connector)
{
	_hostDatabase = std::make_unique<RefHost::Database>(backend.connector, backend.connectionString, 4);
	migrate();
	_database = std::make_unique<ExternalContacts::Database>(backend.connector, backend.connectionString, 8);
	_context = std::make_unique<ExternalContacts::ServiceContext>(*_database, _directory);
	_service = std::make_unique<ExternalContacts::ContactService>(*_context);
	_directory.addUser(1, "Alice");
	_directory.addUser(2, "Bob");
	_directory.addUser(3, "Carol");
	_directory.setOrgDefaultSecurityLevel(ORG, -5);
	for (Poco::Int64 id : {1, 2, 3})
		_directory.addMember(ORG, id);
}

PluginBackend::~PluginBackend() = default;

void PluginBackend::forEach(const std::function<void(PluginBackend&)>& test)
{
	for (const TestEnv::Backend& b : TestEnv::bothBackends("ec_plugin"))
	{
		try
		{
			PluginBackend backend(b);
			test(backend);
		}
		catch (const CppUnit::Exception& e)
		{
			CppUnit::Message m = e.message();
			m.addDetail("backend: " + b.connector);
			throw CppUnit::Exception(m, e.sourceLine());
		}
		catch (const Poco::Exception& e)
		{
			CPPUNIT_FAIL("[" + b.connector + "] " + e.displayText());
		}
	}
}

int PluginBackend::migrate()
{
	RefHost::MigrationRunner runner(*_hostDatabase, TestEnv::sqlRoot());
	return runner.migrate("external-contacts");
}

Poco::Int64 PluginBackend::count(const std::string& table)
{
	Poco::Data::Session s = _database->session();
	Poco::Int64 n = 0;
	s << "SELECT COUNT(*) FROM " + table, into(n), now;
	return n;
}

void PluginBackend::execute(const std::string& sql)
{
	Poco::Data::Session s = _database->session();
	s << sql, now;
}

void PluginBackend::share(Poco::Int64 contactId, Poco::Int64 memberId, Poco::Int64 orgId)
{
	Poco::Data::Session s = _database->session();
	Poco::Int64 sharedBy = 1;
	Poco::Int64 at = _directory.nowMs();
	s << "INSERT INTO ec_contact_shares (contact_id, member_id, org_id, shared_by, created_at) VALUES (?, ?, ?, ?, ?)",
		use(contactId), use(memberId), use(orgId), use(sharedBy), use(at), now;
}

ExternalContacts::ContactView PluginBackend::create(Poco::Int64 adder, const std::string& name,
													const std::string& company, Poco::Int64 orgId)
{
	return _service->create(member(adder, orgId), draft(name, company), "127.0.0.1");
}

ExternalContacts::Actor PluginBackend::member(Poco::Int64 userId, Poco::Int64 orgId, bool admin)
{
	ExternalContacts::Actor a;
	a.userId = userId;
	a.orgId = orgId;
	a.kind = ExternalContacts::Actor::Kind::Member;
	a.isAdmin = admin;
	return a;
}

ExternalContacts::Actor PluginBackend::external(Poco::Int64 userId, Poco::Int64 orgId)
{
	ExternalContacts::Actor a = member(userId, orgId);
	a.kind = ExternalContacts::Actor::Kind::External;
	a.securityLevel = -5;
	return a;
}

ExternalContacts::ContactFields PluginBackend::draft(const std::string& name, const std::string& company)
{
	ExternalContacts::ContactFields d;
	d.name = name;
	if (!company.empty()) d.company = company;
	return d;
}
