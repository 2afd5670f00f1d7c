// The reference host: a POCO ServerApplication that serves the web shell,
// the host API and the plugins' routes, plus the operator CLI
// (migrate, org create, user create).
#include "DemoData.h"
#include "ExternalAccounts.h"
#include "HostRequestHandler.h"
#include "Housekeeping.h"
#include "JsonLogFormatter.h"
#include "MetricsRequestHandler.h"
#include "MigrationRunner.h"
#include "RequestReadDeadline.h"
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Thread.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <iostream>

using Poco::Util::Option;
using Poco::Util::OptionSet;

namespace RefHost
{

const char* const kHostVersion = "0.1.0";

class ReferenceHostApp : public Poco::Util::ServerApplication
{
protected:
	void defineOptions(OptionSet& options) override
	{
		ServerApplication::defineOptions(options);
		options.addOption(Option("help", "h", "show this help")
							  .callback(Poco::Util::OptionCallback<ReferenceHostApp>(this, &ReferenceHostApp::onHelp)));
		options.addOption(
			Option("config", "c", "configuration file (properties)").argument("FILE").binding("app.configFile"));
		options.addOption(Option("set", "s", "override a configuration key")
							  .argument("KEY=VALUE")
							  .repeatable(true)
							  .callback(Poco::Util::OptionCallback<ReferenceHostApp>(this, &ReferenceHostApp::onSet)));
		options.addOption(
			Option("seed-demo", "", "create the demo organizations and logins on first start").binding("app.seedDemo"));
		options.addOption(
			Option("name", "", "org create / user create: display name").argument("NAME").binding("cli.name"));
		options.addOption(Option("login", "", "user create: login name; account create-pending: a login to try first")
							  .argument("LOGIN")
							  .binding("cli.login"));
		options.addOption(Option("org", "", "user create / account create-pending: organization id or name")
							  .argument("ORG")
							  .binding("cli.org"));
		options.addOption(Option("password-stdin", "", "user create: read the password from standard input")
							  .binding("cli.passwordStdin"));
		options.addOption(Option("admin", "", "user create: administrator of the org").binding("cli.admin"));
		options.addOption(Option("external", "", "user create: external membership").binding("cli.external"));
		options.addOption(
			Option("permission", "", "user create: grant a named permission")
				.argument("PERMISSION")
				.repeatable(true)
				.callback(Poco::Util::OptionCallback<ReferenceHostApp>(this, &ReferenceHostApp::onPermission)));
	}

	void onHelp(const std::string&, const std::string&)
	{
		Poco::Util::HelpFormatter help(options());
		help.setCommand(commandName());
		help.setUsage("[OPTIONS] [migrate | org create --name=N | user create --login=L --name=N --org=O "
					  "--password-stdin [--admin] [--external] [--permission=P] | account create-pending --org=O "
					  "--name=N [--login=L]]");
		help.setHeader("Reference host of the External Contacts plugin. Without a command it serves HTTP.");
		help.format(std::cout);
		_helpShown = true;
		stopOptionsProcessing();
	}

	void onSet(const std::string&, const std::string& value)
	{
		std::string::size_type eq = value.find('=');
		if (eq == std::string::npos || eq == 0) throw Poco::InvalidArgumentException("--set needs KEY=VALUE", value);
		config().setString(value.substr(0, eq), value.substr(eq + 1));
	}

	void onPermission(const std::string&, const std::string& value)
	{
		_permissions.push_back(value);
	}

	void initialize(Application& self) override
	{
		if (_helpShown) return;
		std::string file = config().getString("app.configFile", "");
		if (!file.empty()) loadConfiguration(file, PRIO_DEFAULT);
		std::string format = config().getString("logging.format", "text");
		if (format != "text" && format != "json")
			throw Poco::InvalidArgumentException("logging.format must be text or json", format);
		Poco::AutoPtr<Poco::Formatter> fmt;
		if (format == "json")
			fmt = new JsonLogFormatter;
		else
			fmt = new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i [%p] %s: %t");
		Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(fmt, new Poco::ConsoleChannel));
		Poco::Logger::root().setChannel(channel);
		Poco::Logger::root().setLevel(config().getString("logging.level", "information"));
		ServerApplication::initialize(self);
	}

	std::string dataDir()
	{
		return config().getString("data.dir", "./var");
	}

	std::unique_ptr<Database> openDatabase()
	{
		std::string connector = config().getString("db.connector", "sqlite");
		std::string cs = config().getString("db.connectionString", "");
		if (cs.empty())
		{
			if (Database::normalizeConnector(connector) != "sqlite")
				throw Poco::InvalidArgumentException("db.connectionString is required for " + connector);
			Poco::File(dataDir()).createDirectories();
			cs = dataDir() + "/reference-host.db";
		}
		return std::make_unique<Database>(connector, cs, config().getUInt("db.poolSize", 32));
	}

	std::string root()
	{
		return config().getString("paths.root", ".");
	}

	int migrateHost(Database& db)
	{
		MigrationRunner runner(db, root() + "/sql");
		return runner.migrate("host");
	}

	int runCli(const ArgVec& args, Database& db, Directory& directory)
	{
		const std::string cmd = args[0];
		if (cmd == "migrate" && args.size() == 1)
		{
			std::cout << "host: applied " << migrateHost(db) << " migration(s)\n";
			return EXIT_OK;
		}
		migrateHost(db);
		if (cmd == "org" && args.size() == 2 && args[1] == "create")
		{
			std::string name = config().getString("cli.name", "");
			if (name.empty() || name.size() > 100) throw Poco::InvalidArgumentException("--name is required (1..100)");
			std::cout << "org " << directory.createOrg(name) << " created: " << name << "\n";
			return EXIT_OK;
		}
		if (cmd == "account" && args.size() == 2 && args[1] == "create-pending")
		{
			// An external account that its owner activates with the printed link.
			Org org = cliOrg(directory);
			SessionManager sessions(db, directory, SessionManager::Settings());
			PasswordPolicy policy(commonPasswordsFile());
			ExternalAccounts accounts(db, directory, sessions, policy, accountSettings());
			ExternalAccounts::Created created =
				accounts.createPending(org.id, config().getString("cli.name", ""), config().getString("cli.login", ""),
									   org.defaultSecurityLevel, 0);
			std::cout << "account " << created.userId << " created: " << created.login << " (pending) in " << org.name
					  << "\nactivation link: " << (created.link.url.empty() ? created.link.path : created.link.url)
					  << "\nexpires: "
					  << Poco::DateTimeFormatter::format(Poco::Timestamp(created.link.expiresAt * 1000),
														 Poco::DateTimeFormat::ISO8601_FORMAT)
					  << "\n";
			return EXIT_OK;
		}
		if (cmd == "user" && args.size() == 2 && args[1] == "create")
		{
			std::string login = config().getString("cli.login", "");
			std::string name = config().getString("cli.name", login);
			if (login.empty() || login.size() > 64) throw Poco::InvalidArgumentException("--login is required (1..64)");
			std::optional<Org> org = cliOrg(directory);
			std::string password;
			if (config().hasProperty("cli.passwordStdin")) std::getline(std::cin, password);
			if (password.size() < 12)
				throw Poco::InvalidArgumentException(
					"the password must have at least 12 characters (--password-stdin)");
			Poco::Int64 id = directory.createUser(login, name, password);
			bool external = config().hasProperty("cli.external");
			directory.addMembership(org->id, id, external ? "external" : "member",
									!external && config().hasProperty("cli.admin"),
									external ? org->defaultSecurityLevel : 0);
			for (const std::string& p : _permissions)
				directory.grantPermission(org->id, id, p);
			std::cout << "user " << id << " created: " << login << " in " << org->name << "\n";
			return EXIT_OK;
		}
		std::cerr << "unknown command; see --help\n";
		return EXIT_USAGE;
	}

	Org cliOrg(Directory& directory)
	{
		std::string orgRef = config().getString("cli.org", "");
		if (orgRef.empty()) throw Poco::InvalidArgumentException("--org is required");
		std::optional<Org> org;
		Poco::Int64 orgId = 0;
		if (Poco::NumberParser::tryParse64(orgRef, orgId)) org = directory.orgById(orgId);
		if (!org) org = directory.orgByName(orgRef);
		if (!org) throw Poco::NotFoundException("no such organization", orgRef);
		return *org;
	}

	std::string commonPasswordsFile()
	{
		return config().getString("security.commonPasswordsFile", root() + "/resources/security/common-passwords.txt");
	}

	ExternalAccounts::Settings accountSettings()
	{
		ExternalAccounts::Settings settings;
		settings.defaultTtlSeconds = config().getInt("accounts.activationTtlSeconds", settings.defaultTtlSeconds);
		if (settings.defaultTtlSeconds < ExternalAccounts::TTL_MIN_SECONDS ||
			settings.defaultTtlSeconds > ExternalAccounts::TTL_MAX_SECONDS)
			throw Poco::InvalidArgumentException("accounts.activationTtlSeconds must be 3600..2592000");
		settings.publicBaseUrl = config().getString("http.publicBaseUrl", "");
		return settings;
	}

	std::map<std::string, std::string> pluginConfig()
	{
		std::map<std::string, std::string> flat;
		std::vector<std::string> plugins;
		config().keys("plugin", plugins);
		for (const std::string& id : plugins)
		{
			std::vector<std::string> keys;
			config().keys("plugin." + id, keys);
			for (const std::string& k : keys)
			{
				std::string full = "plugin." + id + "." + k;
				flat[full] = config().getString(full, "");
			}
		}
		return flat;
	}

	int main(const ArgVec& args) override
	{
		if (_helpShown) return EXIT_OK;
		Poco::Logger& log = logger();
		try
		{
			std::unique_ptr<Database> db = openDatabase();
			Directory directory(*db);
			if (!args.empty()) return runCli(args, *db, directory);
			// Settings that can be wrong are read before anything starts.
			TrustedProxies trustedProxies(config().getString("http.trustedProxies", ""));

			int applied = migrateHost(*db);
			log.information("database %s ready (%d host migration(s) applied)", db->connector(), applied);
			if (config().hasProperty("app.seedDemo"))
			{
				// Nodes sharing a database may start together: one seeds, the others find it done.
				bool created = false;
				MigrationRunner(*db, root() + "/sql")
					.serialized("seed-demo", [&] { created = DemoData::seed(directory); });
				if (created) log.information("demo data created");
			}

			SessionManager::Settings ss;
			ss.idleSeconds = config().getInt("session.idleSeconds", ss.idleSeconds);
			ss.absoluteSeconds = config().getInt("session.absoluteSeconds", ss.absoluteSeconds);
			ss.maxFailuresPerLogin = config().getInt("login.maxFailuresPerLogin", ss.maxFailuresPerLogin);
			ss.maxFailuresPerAddress = config().getInt("login.maxFailuresPerAddress", ss.maxFailuresPerAddress);
			ss.failureWindowSeconds = config().getInt("login.failureWindowSeconds", ss.failureWindowSeconds);
			ss.backoffAfterFailures = config().getInt("login.backoffAfterFailures", ss.backoffAfterFailures);
			ss.backoffBaseSeconds = config().getInt("login.backoffBaseSeconds", ss.backoffBaseSeconds);
			ss.backoffMaxSeconds = config().getInt("login.backoffMaxSeconds", ss.backoffMaxSeconds);
			ss.knownAddressSeconds = config().getInt("login.knownAddressSeconds", ss.knownAddressSeconds);
			ss.backoffResetSeconds = config().getInt("login.backoffResetSeconds", ss.backoffResetSeconds);
			if (ss.backoffAfterFailures < 1 || ss.backoffBaseSeconds < 1 ||
				ss.backoffMaxSeconds < ss.backoffBaseSeconds || ss.knownAddressSeconds < 0 ||
				ss.backoffResetSeconds < 2 * ss.backoffMaxSeconds)
				throw Poco::InvalidArgumentException(
					"login.backoffAfterFailures and login.backoffBaseSeconds must be at "
					"least 1, login.backoffMaxSeconds at least the base, "
					"login.knownAddressSeconds at least 0, "
					"login.backoffResetSeconds at least twice login.backoffMaxSeconds");
			SessionManager sessions(*db, directory, ss);
			// Expired sessions and stale login counters (issue 14): every node
			// sweeps, the deletes are idempotent. 0 turns it off (one node of
			// several, say); the first sweep comes shortly after the start.
			int housekeepingSeconds = config().getInt("housekeeping.intervalSeconds", 600);
			if (housekeepingSeconds < 0)
				throw Poco::InvalidArgumentException("housekeeping.intervalSeconds must be at least 0 (0: off)");
			Housekeeping housekeeping(*db, ss);
			NotificationCenter notifications(*db);
			PasswordPolicy passwordPolicy(commonPasswordsFile());
			ExternalAccounts accounts(*db, directory, sessions, passwordPolicy, accountSettings());

			PluginManager::Services services;
			services.db = db.get();
			services.directory = &directory;
			services.notifications = &notifications;
			services.sessions = &sessions;
			services.accounts = &accounts;
			services.sqlRoot = root() + "/sql";
			services.hostVersion = kHostVersion;
			services.config = pluginConfig();
			services.clockOffsetMs = config().getInt64("clock.offsetMs", 0);
			// metrics.port 0 (the default): no metrics listener, nothing recorded.
			Poco::UInt16 metricsPort = static_cast<Poco::UInt16>(config().getUInt("metrics.port", 0));
			Metrics metrics;
			if (metricsPort != 0)
			{
				services.metrics = &metrics;
				addGauges(metrics, *db, notifications);
			}
			PluginManager plugins(services);
			std::string pluginDir = config().getString("plugins.dir", "./build/plugins");
			if (Poco::File(pluginDir).exists())
			{
				std::vector<std::string> loaded = plugins.loadAll(pluginDir);
				log.information("%z plugin(s) active from %s", loaded.size(), pluginDir);
			}
			else
			{
				log.warning("plugin directory %s does not exist; running without plugins", pluginDir);
			}
			if (config().hasProperty("app.seedDemo")) // the demo external login, once a plugin made it (DemoData.h)
				MigrationRunner(*db, root() + "/sql")
					.serialized("seed-demo", [&] { DemoData::activateExternal(directory, accounts); });

			MenuAccess menuAccess(*db);
			PersonalSettings personal(*db, directory, sessions, notifications, passwordPolicy);
			HostContext ctx;
			ctx.db = db.get();
			ctx.directory = &directory;
			ctx.sessions = &sessions;
			ctx.accounts = &accounts;
			ctx.notifications = &notifications;
			ctx.menuAccess = &menuAccess;
			ctx.personal = &personal;
			ctx.plugins = &plugins;
			ctx.webRoot = root() + "/host-sdk/reference-host/web";
			ctx.resourcesRoot = root() + "/resources";
			ctx.secureCookies = config().getBool("http.secureCookies", false);
			ctx.metrics = services.metrics;
			ctx.accessLog = config().getString("logging.format", "text") == "json";
			ctx.trustedProxies = &trustedProxies;

			Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
			int threads = config().getInt("http.threads", 16);
			params->setMaxThreads(threads);
			params->setMaxQueued(256);
			params->setKeepAlive(true);
			// Slow or stalled clients must not hold a worker for long; run
			// behind a reverse proxy for anything beyond a small site.
			params->setTimeout(Poco::Timespan(config().getInt("http.receiveTimeoutSeconds", 10), 0));
			params->setKeepAliveTimeout(Poco::Timespan(config().getInt("http.keepAliveSeconds", 10), 0));
			if (static_cast<std::size_t>(threads) + 2 > db->poolSize())
				log.warning("db.poolSize should exceed http.threads, or requests will find the pool exhausted");
			std::string host = config().getString("http.host", "127.0.0.1");
			Poco::UInt16 port = static_cast<Poco::UInt16>(config().getUInt("http.port", 8080));
			// The receive timeout bounds each receive; this bounds a whole
			// request (head and body), so a client trickling a byte at a time
			// cannot hold a worker either (408 past it).
			int readMs = config().getInt("http.requestReadTimeoutMs", 30000);
			if (readMs < 100 || readMs > 3600000)
				throw Poco::InvalidArgumentException("http.requestReadTimeoutMs must be 100..3600000",
													 std::to_string(readMs));
			ReadDeadlineServerSocket socket(Poco::Net::SocketAddress(host, port),
											Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(readMs) * 1000));
			Poco::Net::HTTPServer server(new HostRequestHandlerFactory(ctx), socket, params);
			server.start();
			// Its own listener, loopback by default: what the host counts is for
			// the operator's scraper, never for the public port.
			// (The pool outlives the server that uses it: declared first.)
			std::unique_ptr<Poco::ThreadPool> metricsThreads;
			std::unique_ptr<Poco::Net::HTTPServer> metricsServer;
			if (metricsPort != 0)
			{
				metricsThreads = std::make_unique<Poco::ThreadPool>(1, 2);
				std::string metricsHost = config().getString("metrics.host", "127.0.0.1");
				Poco::Net::ServerSocket metricsSocket(Poco::Net::SocketAddress(metricsHost, metricsPort));
				Poco::Net::HTTPServerParams::Ptr metricsParams = new Poco::Net::HTTPServerParams;
				metricsParams->setMaxThreads(2);
				metricsParams->setMaxQueued(16);
				metricsParams->setTimeout(Poco::Timespan(5, 0));
				metricsServer = std::make_unique<Poco::Net::HTTPServer>(new MetricsRequestHandlerFactory(metrics),
																		*metricsThreads, metricsSocket, metricsParams);
				metricsServer->start();
				std::cout << "Metrics on http://" << metricsHost << ":" << metricsSocket.address().port() << "/metrics"
						  << std::endl;
			}
			std::cout << "Reference host listening on http://" << host << ":" << socket.address().port() << "/"
					  << std::endl;
			if (config().hasProperty("app.seedDemo")) DemoData::printLogins(std::cout);
			std::cout.flush();
			housekeeping.start(housekeepingSeconds);
			waitForTerminationRequest();
			log.information("stopping");
			housekeeping.stop();
			server.stopAll(true);
			if (metricsServer) metricsServer->stopAll(true);
			// stopAll does not wait for handler threads; they use the plugins,
			// the pool and the context that are destroyed when this scope ends.
			for (int i = 0; i < 300 && server.currentThreads() > 0; ++i)
				Poco::Thread::sleep(50);
			return EXIT_OK;
		}
		catch (const Poco::Exception& e)
		{
			log.fatal(e.displayText());
			return EXIT_SOFTWARE;
		}
	}

private:
	static void addGauges(Metrics& metrics, Database& db, NotificationCenter& notifications)
	/// What /metrics reads on each scrape: the pool's counters (cheap) and
	/// two COUNT queries (a collector of its own, so a database that is
	/// down leaves the pool's gauges in place).
	{
		metrics.addCollector(
			[&db]
			{
				Database::PoolStats p = db.poolStats();
				const std::string sessions = "reference_host_db_pool_sessions";
				const char* sessionsHelp = "Sessions of the host's database pool by state (in_use, idle).";
				return std::vector<Metrics::Sample>{
					{"reference_host_db_pool_capacity",
					 "gauge",
					 "Most sessions the host's database pool opens.",
					 {},
					 static_cast<double>(p.capacity)},
					{sessions, "gauge", sessionsHelp, {{"state", "in_use"}}, static_cast<double>(p.inUse)},
					{sessions, "gauge", sessionsHelp, {{"state", "idle"}}, static_cast<double>(p.idle)},
					{"reference_host_db_pool_waiting",
					 "gauge",
					 "Requests waiting for a database session now (connecting or validating one).",
					 {},
					 static_cast<double>(p.waiting)},
					{"reference_host_db_pool_exhausted_total",
					 "counter",
					 "Session requests that found every session in use (answered 503).",
					 {},
					 static_cast<double>(p.exhausted)}};
			});
		metrics.addCollector(
			[&notifications]
			{
				NotificationCenter::QueueLengths q = notifications.queueLengths();
				return std::vector<Metrics::Sample>{{"reference_host_notifications_unread",
													 "gauge",
													 "Unread notifications of all users (COUNT on scrape).",
													 {},
													 static_cast<double>(q.unreadNotifications)},
													{"reference_host_outbox_pending",
													 "gauge",
													 "Outbound messages not sent yet (COUNT on scrape).",
													 {},
													 static_cast<double>(q.pendingOutbound)}};
			});
	}

	bool _helpShown = false;
	std::vector<std::string> _permissions;
};

} // namespace RefHost

POCO_SERVER_MAIN(RefHost::ReferenceHostApp)
