#include "host/HostAccounts.h"
#include "host/HostDirectory.h"
#include "host/HostNotifier.h"
#include "host/MemberHooks.h"
#include "http/AccountRoutes.h"
#include "http/ApplicationLogRoutes.h"
#include "http/AuditRoutes.h"
#include "http/ContactJson.h"
#include "http/ContactRoutes.h"
#include "http/ContactWeChatRoutes.h"
#include "http/GroupMaintainerRoutes.h"
#include "http/InvitationRoutes.h"
#include "http/InviteLandingRoutes.h"
#include "http/OrgRequestRoutes.h"
#include "http/SharingRoutes.h"
#include "http/TransferRoutes.h"
#include "http/WeChatBindingRoutes.h"
#include "qr/QrRenderer.h"
#include "service/ContactService.h"
#include "service/DemoSeed.h"
#include "service/InvitationService.h"
#include "service/WeChatAuthService.h"
#include "store/Database.h"
#include "wechat/TicketCache.h"
#include "wechat/Transport.h"
#include "wechat/WeChatClient.h"
#include "wechat/WeChatConfig.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/UUIDGenerator.h>
#include <hostsdk/HostApi.h>
#include <hostsdk/PluginEntry.h>
#include <memory>
#include <typeinfo>

namespace ExternalContacts
{

namespace
{

const char* const PLUGIN_ID = "external-contacts";
const char* const PLUGIN_VERSION = "0.1.0";
constexpr int PAGE_SIZE_DEFAULT = 50;

// The 外部互联 entry of the host's main menu.
const char* const MAIN_NAV_MENU =
	R"({"location":"main.nav","id":"external-contacts",)"
	R"("label":{"zh-CN":"外部互联","en":"External contacts"},"order":50,)"
	R"("module":"/plugins/external-contacts/web/contacts-page.js","openToExternal":false})";

// 外部联系人申请: the requests other organizations' members sent to the caller,
// answered on a page as well as in the bell; open to external users, as the
// person asked may be one in the org they are in.
const char* const INCOMING_REQUESTS_MENU =
	R"({"location":"main.nav","id":"incoming-requests",)"
	R"("label":{"zh-CN":"外部联系人申请","en":"External contact requests"},"order":60,)"
	R"("module":"/plugins/external-contacts/web/incoming-requests-page.js","openToExternal":true})";

// The 【新建】 drop-down (R1.4): 新建 (R2), 邀请微信好友 (R4) and 从其他组织添加 (R5,
// the dialog org-request-dialog.js opens).
const char* const NEW_MENU_ITEMS[] = {
	R"({"location":"contacts.new","id":"contacts.new.create","label":{"zh-CN":"新建","en":"New contact"},)"
	R"("order":10,"available":true,"openToExternal":false})",
	R"({"location":"contacts.new","id":"contacts.new.invite-wechat",)"
	R"("label":{"zh-CN":"邀请微信好友","en":"Invite WeChat friends"},"order":20,"available":true,)"
	R"("openToExternal":false})",
	R"({"location":"contacts.new","id":"contacts.new.from-org",)"
	R"("label":{"zh-CN":"从其他组织添加","en":"Add from another organization"},"order":30,"available":true,)"
	R"("openToExternal":false})"};

// 绑定微信 in personal settings (R7.3), for members and external users alike;
// only when WeChat is configured.
const char* const WECHAT_BINDING_MENU =
	R"({"location":"me.bindings","id":"wechat-binding","label":{"zh-CN":"绑定微信","en":"WeChat"},)"
	R"("order":10,"module":"/plugins/external-contacts/web/wechat-binding.js","openToExternal":true})";

// Back office 外部互联 / 分组维护者: admins set the maintainers of each group.
const char* const GROUP_MAINTAINERS_PAGE =
	R"({"section":"external-contacts","sectionLabel":{"zh-CN":"外部互联","en":"External contacts"},)"
	R"("id":"group-maintainers","label":{"zh-CN":"分组维护者","en":"Group maintainers"},)"
	R"("module":"/plugins/external-contacts/web/group-maintainers-page.js"})";

// Back office 外部互联 / 审计日志 (R10): every change the plugin recorded in the org.
const char* const AUDIT_LOG_PAGE =
	R"({"section":"external-contacts","sectionLabel":{"zh-CN":"外部互联","en":"External contacts"},)"
	R"("id":"audit-log","label":{"zh-CN":"审计日志","en":"Audit log"},)"
	R"("module":"/plugins/external-contacts/web/audit-log-page.js"})";

// Back office 外部互联 / 在职继承: admins and maintain-holders give contacts of
// one member to another while both stay.
const char* const TRANSFER_PAGE =
	R"({"section":"external-contacts","sectionLabel":{"zh-CN":"外部互联","en":"External contacts"},)"
	R"("id":"transfers","label":{"zh-CN":"在职继承","en":"Transfer contacts"},)"
	R"("module":"/plugins/external-contacts/web/transfer-page.js"})";

// Back office 账号安全 / 外部账号开通申请 (R3.6): the org's application log.
const char* const ACCOUNT_APPLICATIONS_PAGE =
	R"({"section":"account-security","sectionLabel":{"zh-CN":"账号安全","en":"Account security"},)"
	R"("id":"account-applications","label":{"zh-CN":"外部账号开通申请","en":"External account applications"},)"
	R"("module":"/plugins/external-contacts/web/account-applications-page.js"})";

// The plugin's config section (plugin.json settings) as an object.
Poco::JSON::Object::Ptr configObject(const std::string& configJson)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var parsed = parser.parse(configJson.empty() ? "{}" : configJson);
	if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
		throw HostSdk::Error(HOSTSDK_E_INVALID, "the plugin config must be a JSON object");
	return parsed.extract<Poco::JSON::Object::Ptr>();
}

// publicBaseUrl: the site as visitors reach it, for invitation links; ""
// takes it from each request's Host header.
std::string publicBaseUrl(const Poco::JSON::Object& config)
{
	std::string url = Poco::trim(config.optValue<std::string>("publicBaseUrl", ""));
	// The scheme in any case ("HTTPS://"): invitation links keep the spelling,
	// the landing form's origin check compares SiteOrigin::of (issue 14).
	std::string scheme = Poco::toLower(url.substr(0, 8));
	bool web = scheme.rfind("https://", 0) == 0 || scheme.rfind("http://", 0) == 0;
	if (!url.empty() && (!web || url.find_first_of(" \"'<>?#") != std::string::npos))
		throw HostSdk::Error(HOSTSDK_E_INVALID, "publicBaseUrl must be an http(s) URL without query or fragment");
	return url;
}

// A whole-number setting from min to max; absent: fallback. Hosts that keep
// settings as text hand them over as "30".
int intSetting(const Poco::JSON::Object& config, const std::string& key, int fallback, int min, int max)
{
	Poco::Dynamic::Var value = config.get(key);
	if (value.isEmpty()) return fallback;
	std::string text = Poco::trim(value.toString());
	bool digits = (value.isInteger() || value.isString()) && !value.isBoolean() && !text.empty() && text.size() <= 9 &&
				  text.find_first_not_of("0123456789") == std::string::npos;
	int number = digits ? std::stoi(text) : -1;
	if (number < min || number > max)
		throw HostSdk::Error(HOSTSDK_E_INVALID,
							 key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
	return number;
}

// The invitation rate limits (plugin.json settings); defaults in
// InvitationService::Limits.
InvitationService::Limits invitationLimits(const Poco::JSON::Object& config)
{
	InvitationService::Limits limits;
	constexpr int MAX = 1000000;
	limits.createsPerMember = intSetting(config, "inviteLinksPerMemberPer10Minutes", limits.createsPerMember, 1, MAX);
	limits.activePerMember = static_cast<std::size_t>(
		intSetting(config, "inviteActiveLinksPerMember", static_cast<int>(limits.activePerMember), 1, MAX));
	limits.createsPerOrg = intSetting(config, "inviteLinksPerOrgPerHour", limits.createsPerOrg, 1, MAX);
	limits.joinsPerAddress =
		intSetting(config, "inviteSubmissionsPerAddressPer10Minutes", limits.joinsPerAddress, 1, MAX);
	limits.authorizationsPerAddress =
		intSetting(config, "inviteAuthorizationsPerAddressPer10Minutes", limits.authorizationsPerAddress, 1, MAX);
	return limits;
}

// listPageSizeDefault from the plugin's config section (plugin.json
// settings). Hosts that keep settings as text hand it over as "50".
std::size_t pageSizeDefault(const std::string& configJson)
{
	Poco::JSON::Object::Ptr config = configObject(configJson);
	Poco::Dynamic::Var value = config->get("listPageSizeDefault");
	if (value.isEmpty()) return PAGE_SIZE_DEFAULT;
	std::string text = Poco::trim(value.toString());
	bool digits = (value.isInteger() || value.isString()) && !text.empty() && text.size() <= 3 &&
				  text.find_first_not_of("0123456789") == std::string::npos;
	std::size_t size = digits ? static_cast<std::size_t>(std::stoul(text)) : 0;
	if (size < 1 || size > ContactService::LIMIT_MAX)
		throw HostSdk::Error(HOSTSDK_E_INVALID, "listPageSizeDefault must be an integer from 1 to 100");
	return size;
}

// demoContacts: seed the demo contacts of `make run` (DemoSeed) on activate.
// Hosts that keep settings as text hand it over as "true".
bool boolSetting(const Poco::JSON::Object& config, const std::string& key)
{
	Poco::Dynamic::Var value = config.get(key);
	if (value.isEmpty()) return false;
	std::string text = Poco::toLower(Poco::trim(value.toString()));
	if (text == "true" || text == "1") return true;
	if (text == "false" || text == "0" || text.empty()) return false;
	throw HostSdk::Error(HOSTSDK_E_INVALID, key + " must be true or false");
}

} // namespace

class ExternalContactsPlugin : public HostSdk::PluginInstance
/// The plugin as the host sees it: configure opens the database (after
/// the host applied this plugin's migrations), activate registers routes
/// and menus, deactivate lets go of everything.
{
public:
	explicit ExternalContactsPlugin(const hostsdk_host_v1* host) : HostSdk::PluginInstance(host), _api(host) {}

	void configure(const std::string& configJson) override
	{
		_pageSizeDefault = pageSizeDefault(configJson);
		std::string dbSettings = _api.dbSettings();
		_api.migrate(PLUGIN_ID);
		_database = Database::fromSettingsJson(dbSettings);
		_directory = std::make_unique<HostDirectory>(_api);
		_notifier = std::make_unique<HostNotifier>(_api);
		_context = std::make_unique<ServiceContext>(*_database, *_directory);
		_service = std::make_unique<ContactService>(*_context);
		_handOver = std::make_unique<HandOverService>(*_context, *_notifier);
		_accounts = std::make_unique<HostAccounts>(_api);
		_accountService = std::make_unique<AccountService>(*_context, *_accounts);
		_applications = std::make_unique<ApplicationService>(*_context, *_accountService, *_notifier);
		_applicationLog = std::make_unique<ApplicationLog>(*_context);
		_sharing = std::make_unique<SharingService>(*_context, *_service, &_accountService->persons());
		_history = std::make_unique<HistoryService>(*_context);
		_memberSearch = std::make_unique<MemberSearchService>(*_directory);
		_groupMaintainers = std::make_unique<GroupMaintainerService>(*_context);
		_contactWeChatService = std::make_unique<ContactWeChatService>(*_context, *_notifier);
		_audit = std::make_unique<AuditService>(*_context);
		// claimed_by of the transfers this process works on.
		_transfers = std::make_unique<TransferService>(
			*_context, *_notifier, Poco::UUIDGenerator::defaultGenerator().createRandom().toString());
		Poco::JSON::Object::Ptr config = configObject(configJson);
		_invitations = std::make_unique<InvitationService>(*_context, *_service, *_notifier, invitationLimits(*config));
		OrgRequestService::Limits orgLimits;
		orgLimits.searchesPerMember =
			intSetting(*config, "orgSearchesPerMemberPer10Minutes", orgLimits.searchesPerMember, 1, 1000000);
		orgLimits.requestsPerMember =
			intSetting(*config, "orgRequestsPerMemberPerHour", orgLimits.requestsPerMember, 1, 1000000);
		ContactService::DuplicateCheckLimits duplicateChecks;
		duplicateChecks.checksPerMember =
			intSetting(*config, "duplicateChecksPerMemberPer10Minutes", duplicateChecks.checksPerMember, 1, 1000000);
		_service->limitDuplicateChecks(duplicateChecks);
		_orgRequests = std::make_unique<OrgRequestService>(*_context, *_service, *_accounts, *_notifier,
														   _invitations->limiter(), orgLimits);
		_publicBaseUrl = publicBaseUrl(*config);
		_demoContacts = boolSetting(*config, "demoContacts");
		WeChat::Config wechat;
		try
		{
			wechat = WeChat::Config::fromJson(*config);
		}
		catch (const Poco::InvalidArgumentException& e)
		{
			throw HostSdk::Error(HOSTSDK_E_INVALID, e.message());
		}
		if (wechat.configured())
		{
			HostDirectory* directory = _directory.get();
			_wechatTransport = std::make_unique<WeChat::PocoTransport>(wechat);
			_wechatClient = std::make_unique<WeChat::Client>(wechat, *_wechatTransport);
			_wechatTickets = std::make_unique<WeChat::TicketCache>(
				*_wechatClient, [directory] { return directory->nowMs(); },
				WeChat::TicketCache::REFRESH_MARGIN_SECONDS_DEFAULT, wechat.failureBackoffSeconds);
			_wechatAuth =
				std::make_unique<WeChatAuthService>(*_context, *_invitations, *_wechatClient, *_wechatTickets);
		}
	}

	void activate() override
	{
		if (!_service) throw HostSdk::Error(HOSTSDK_E_INVALID, "activate before configure");
		const HostSdk::HostApi& api = _api;
		auto log = [api](int level, const std::string& message) { api.log(level, message); };
		_metrics = std::make_unique<HostMetrics>(_api, log);
		ServiceContext* context = _context.get();
		_responder = std::make_unique<ErrorResponder>(
			ErrorResponder::Rendering::Json, log,
			[context](Poco::Int64 userId) { return ContactJson::person(context->people({userId}).front()); });
		const ErrorResponder& responder = *_responder;
		_routes = std::make_unique<ContactRoutes>(*_service, *_memberSearch, _pageSizeDefault, responder,
												  _accountService.get());
		_routes->registerWith(_api);
		_sharingRoutes = std::make_unique<SharingRoutes>(*_sharing, *_history, _pageSizeDefault, responder);
		_sharingRoutes->registerWith(_api);
		_groupMaintainerRoutes =
			std::make_unique<GroupMaintainerRoutes>(*_groupMaintainers, _pageSizeDefault, responder);
		_groupMaintainerRoutes->registerWith(_api);
		if (_applications)
		{
			_accountRoutes = std::make_unique<AccountRoutes>(*_applications, *_accountService, log, responder);
			_accountRoutes->countWith(_metrics.get());
			_accountRoutes->registerWith(_api);
			_applicationLogRoutes =
				std::make_unique<ApplicationLogRoutes>(*_applicationLog, *_applications, _pageSizeDefault, responder);
			_applicationLogRoutes->registerWith(_api);
		}
		_contactWeChat = std::make_unique<ContactWeChatRoutes>(*_contactWeChatService, responder);
		_contactWeChat->registerWith(_api);
		_memberHooks =
			std::make_unique<MemberHooks>(*_handOver, log, _accountService.get(), _orgRequests.get(), _transfers.get());
		_memberHooks->registerWith(_api);
		_orgRequestRoutes = std::make_unique<OrgRequestRoutes>(*_orgRequests, responder);
		_orgRequestRoutes->registerWith(_api);
		_auditRoutes = std::make_unique<AuditRoutes>(*_audit, responder);
		_auditRoutes->registerWith(_api);
		_transferWorker = std::make_unique<TransferWorker>(*_transfers, [log](const std::string& message)
														   { log(HOSTSDK_LOG_ERROR, message); });
		_transferRoutes = std::make_unique<TransferRoutes>(*_transfers, *_transferWorker, responder);
		_transferRoutes->registerWith(_api);
		// Takes up the transfers a dead process left running.
		_transferWorker->start();
		OrgRequestService* orgRequests = _orgRequests.get();
		_routes->onContactDeleted(
			[orgRequests, log](Poco::Int64 orgId, Poco::Int64 contactId)
			{
				try
				{
					orgRequests->contactDeleted(orgId, contactId);
				}
				catch (const std::exception& e)
				{
					log(HOSTSDK_LOG_ERROR, std::string("ending an external membership failed: ") + e.what());
				}
			});
		_invitationRoutes = std::make_unique<InvitationRoutes>(*_invitations, responder, _publicBaseUrl);
		_invitationRoutes->registerWith(_api);
		_landing = std::make_unique<InviteLandingRoutes>(*_invitations, _wechatAuth.get(), _publicBaseUrl, log);
		_landing->countWith(_metrics.get());
		_landing->registerWith(_api);
		if (_wechatAuth)
		{
			_wechatBinding = std::make_unique<WeChatBindingRoutes>(*_wechatAuth, responder, _publicBaseUrl, log);
			_wechatBinding->registerWith(_api);
			_api.registerMenu(WECHAT_BINDING_MENU);
		}
		_api.registerQrRenderer("invite", &Qr::renderQrForHost, nullptr);
		_api.registerMenu(MAIN_NAV_MENU);
		_api.registerMenu(INCOMING_REQUESTS_MENU);
		for (const char* item : NEW_MENU_ITEMS)
			_api.registerMenu(item);
		_api.registerBackofficePage(GROUP_MAINTAINERS_PAGE);
		_api.registerBackofficePage(ACCOUNT_APPLICATIONS_PAGE);
		_api.registerBackofficePage(AUDIT_LOG_PAGE);
		_api.registerBackofficePage(TRANSFER_PAGE);
		if (_demoContacts) seedDemo(log);
	}

	void deactivate() override
	{
		// First: a transfer in progress stops after its batch and gives its
		// lease back while the database is still open.
		if (_transferWorker) _transferWorker->stop();
		_transferRoutes.reset();
		_transferWorker.reset();
		_wechatBinding.reset();
		_landing.reset();
		_invitationRoutes.reset();
		_wechatAuth.reset();
		_wechatTickets.reset();
		_wechatClient.reset();
		_wechatTransport.reset();
		_auditRoutes.reset();
		_orgRequestRoutes.reset();
		_orgRequests.reset();
		_invitations.reset();
		_contactWeChat.reset();
		_applicationLogRoutes.reset();
		_accountRoutes.reset();
		_groupMaintainerRoutes.reset();
		_sharingRoutes.reset();
		_routes.reset();
		_responder.reset();
		_metrics.reset();
		_memberHooks.reset();
		_handOver.reset();
		_transfers.reset();
		_audit.reset();
		_contactWeChatService.reset();
		_groupMaintainers.reset();
		_memberSearch.reset();
		_history.reset();
		_sharing.reset();
		_applicationLog.reset();
		_applications.reset();
		_accountService.reset();
		_accounts.reset();
		_service.reset();
		_context.reset();
		_notifier.reset();
		_directory.reset();
		_database.reset();
	}

private:
	// A failed seed is logged, not fatal: the product works without demo data.
	template <typename Log> void seedDemo(const Log& log)
	{
		try
		{
			DemoSeed seed({*_context, *_service, *_accountService, *_applications, *_invitations, *_orgRequests});
			DemoSeed::Outcome outcome = seed.run();
			if (outcome.seeded)
				log(HOSTSDK_LOG_INFO, "demo contacts: " + std::to_string(outcome.contacts) + " made in " +
										  std::to_string(outcome.elapsedMs) + " ms");
			else
				log(HOSTSDK_LOG_INFO, "demo contacts: none made (" + outcome.reason + ")");
		}
		catch (const Poco::Exception& e)
		{
			log(HOSTSDK_LOG_ERROR, "demo contacts: seeding failed: " + e.displayText());
		}
		catch (const std::exception& e)
		{
			log(HOSTSDK_LOG_ERROR, std::string("demo contacts: seeding failed: ") + e.what());
		}
	}

	HostSdk::HostApi _api;
	std::size_t _pageSizeDefault = PAGE_SIZE_DEFAULT;
	bool _demoContacts = false;
	std::unique_ptr<Database> _database;
	std::unique_ptr<HostDirectory> _directory;
	std::unique_ptr<HostNotifier> _notifier;
	std::unique_ptr<ServiceContext> _context; /// what every service shares: database, directory, access, audit
	std::unique_ptr<ContactService> _service;
	std::unique_ptr<SharingService> _sharing;
	std::unique_ptr<HistoryService> _history;
	std::unique_ptr<MemberSearchService> _memberSearch;
	std::unique_ptr<GroupMaintainerService> _groupMaintainers;
	std::unique_ptr<ContactWeChatService> _contactWeChatService;
	std::unique_ptr<HandOverService> _handOver;
	std::unique_ptr<HostAccounts> _accounts;
	std::unique_ptr<AccountService> _accountService;
	std::unique_ptr<ApplicationService> _applications;
	std::unique_ptr<ApplicationLog> _applicationLog;
	std::unique_ptr<HostMetrics> _metrics;
	std::unique_ptr<ErrorResponder> _responder; /// JSON answers of every API route's failures
	std::unique_ptr<ContactRoutes> _routes;
	std::unique_ptr<SharingRoutes> _sharingRoutes;
	std::unique_ptr<GroupMaintainerRoutes> _groupMaintainerRoutes;
	std::unique_ptr<AccountRoutes> _accountRoutes;
	std::unique_ptr<ApplicationLogRoutes> _applicationLogRoutes;
	std::unique_ptr<ContactWeChatRoutes> _contactWeChat;
	std::unique_ptr<MemberHooks> _memberHooks;
	std::string _publicBaseUrl;
	std::unique_ptr<InvitationService> _invitations;
	std::unique_ptr<WeChat::PocoTransport> _wechatTransport;
	std::unique_ptr<WeChat::Client> _wechatClient;
	std::unique_ptr<WeChat::TicketCache> _wechatTickets;
	std::unique_ptr<WeChatAuthService> _wechatAuth;
	std::unique_ptr<InvitationRoutes> _invitationRoutes;
	std::unique_ptr<InviteLandingRoutes> _landing;
	std::unique_ptr<WeChatBindingRoutes> _wechatBinding;
	std::unique_ptr<OrgRequestService> _orgRequests;
	std::unique_ptr<OrgRequestRoutes> _orgRequestRoutes;
	std::unique_ptr<AuditService> _audit;
	std::unique_ptr<AuditRoutes> _auditRoutes;
	std::unique_ptr<TransferService> _transfers;
	std::unique_ptr<TransferWorker> _transferWorker;
	std::unique_ptr<TransferRoutes> _transferRoutes;
};

} // namespace ExternalContacts

HOSTSDK_DEFINE_PLUGIN(ExternalContacts::ExternalContactsPlugin, ExternalContacts::PLUGIN_ID,
					  ExternalContacts::PLUGIN_VERSION)
