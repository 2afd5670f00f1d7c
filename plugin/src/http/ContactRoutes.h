#pragma once

#include "domain/Actor.h"
#include "http/HostMetrics.h"
#include "service/ApplicationService.h"
#include "service/ContactService.h"
#include "service/GroupMaintainerService.h"
#include "service/HistoryService.h"
#include "service/MemberSearchService.h"
#include "service/SharingService.h"
#include <Poco/JSON/Object.h>
#include <functional>
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>
#include <string>

namespace ExternalContacts
{

class ContactRoutes
/// The plugin's HTTP routes for contacts (docs/API.md), mounted by the
/// host under /api/plugins/external-contacts:
///   GET  /contacts        one page of the caller's list
///   POST /contacts        create a contact (201)
///   GET    /contacts/{id} one contact (404 when missing or not visible)
///   PATCH  /contacts/{id} edit basic info (version-checked, 409 conflict)
///   DELETE /contacts/{id} soft delete (204)
///   GET|PUT /contacts/{id}/permissions visible members, security level
///   GET|PUT /contacts/{id}/shares      the share list
///   GET /contacts/{id}/history         the audit entries, for editors
///   GET  /groups          the list's groups with counts
///   GET|PUT /admin/group-maintainers   group maintainers (admins only)
///   GET  /members?q=&limit=            member search for the member picker
///   GET  /contacts/{id}/account        the 账号信息 tab        (with accounts)
///   POST /contacts/{id}/applications   申请开通 (201)          (with accounts)
///   POST /applications/{id}/approve|reject  one decision      (with accounts)
///   POST /contacts/{id}/account/activation-link              (with accounts)
///   GET  /admin/applications[/export]  the back-office log, CSV (with accounts)
///   POST /contacts/{id}/account[/disable|/enable|/reset]  direct (with accounts)
/// Handlers parse, call ContactService and answer JSON; every failure is
/// answered as {"error":{"code","message","field"}} and never escapes.
{
public:
	using Logger = std::function<void(int level, const std::string& message)>;
	using Handler = void (ContactRoutes::*)(const HostSdk::Request&, const HostSdk::Response&);

	ContactRoutes(ContactService& service, std::size_t defaultLimit, Logger logger,
				  ApplicationService* applications = nullptr);
	/// defaultLimit is the page size when a request names none (1..100).
	/// logger receives internal failures (HOSTSDK_LOG_* levels).
	/// applications, when given, serves the account routes (R3, R6.4).

	void registerWith(const HostSdk::HostApi& host);
	/// Registers the routes (members only: no external flag).

	using DeletionListener = std::function<void(Poco::Int64 orgId, Poco::Int64 contactId)>;

	void onContactDeleted(DeletionListener listener)
	/// listener runs after a contact was deleted (before the 204 is sent).
	{
		_deletionListener = std::move(listener);
	}

	void countWith(HostMetrics* metrics)
	/// metrics, when given, counts application decisions; it outlives the routes.
	{
		_metrics = metrics;
	}

	void listContacts(const HostSdk::Request& request, const HostSdk::Response& response);
	void createContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void getContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void listGroups(const HostSdk::Request& request, const HostSdk::Response& response);
	void updateContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void deleteContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void getPermissions(const HostSdk::Request& request, const HostSdk::Response& response);
	void putPermissions(const HostSdk::Request& request, const HostSdk::Response& response);
	void getShares(const HostSdk::Request& request, const HostSdk::Response& response);
	void putShares(const HostSdk::Request& request, const HostSdk::Response& response);
	void getHistory(const HostSdk::Request& request, const HostSdk::Response& response);
	void listGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response);
	void putGroupMaintainers(const HostSdk::Request& request, const HostSdk::Response& response);
	void searchMembers(const HostSdk::Request& request, const HostSdk::Response& response);
	void getAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void applyForAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void approveApplication(const HostSdk::Request& request, const HostSdk::Response& response);
	void rejectApplication(const HostSdk::Request& request, const HostSdk::Response& response);
	void activationLink(const HostSdk::Request& request, const HostSdk::Response& response);
	void applicationLog(const HostSdk::Request& request, const HostSdk::Response& response);
	void assignAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void disableAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void enableAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void resetAccount(const HostSdk::Request& request, const HostSdk::Response& response);
	void exportApplicationLog(const HostSdk::Request& request, const HostSdk::Response& response);

	void handle(Handler handler, const hostsdk_request_v1* request, const hostsdk_response_v1* response) noexcept;
	/// Runs handler and answers any exception it throws with the
	/// matching error status and body.

	using Body = std::function<void(const HostSdk::Request&, const HostSdk::Response&)>;

	void run(const Body& body, const hostsdk_request_v1* request, const hostsdk_response_v1* response) noexcept;
	/// As handle(), for the handlers of other route classes (invitations):
	/// one place turns exceptions into error answers.

	template <Handler H>
	static hostsdk_status entry(void* routes, const hostsdk_request_v1* request,
								const hostsdk_response_v1* response) noexcept
	/// The extern "C"-compatible function the host calls for a route;
	/// routes is this object.
	{
		static_cast<ContactRoutes*>(routes)->handle(H, request, response);
		return HOSTSDK_OK;
	}

	static Actor actorOf(const hostsdk_caller_v1& caller);
	/// The caller as the domain sees them.

	Actor contactActor(const HostSdk::Request& request) const;
	/// The caller, who must be a member (401 anonymous, 404 external).

	Poco::Int64 contactId(const HostSdk::Request& request) const;
	/// The {id} path parameter (404 unless a positive decimal).

	Poco::JSON::Object::Ptr body(const HostSdk::Request& request) const;
	/// The JSON object body (400/413/415 otherwise).

	static std::string remoteAddr(const HostSdk::Request& request);

	static void sendJson(const HostSdk::Response& response, int status, const std::string& body);
	/// Sends body as JSON, not to be cached.

private:
	ListRequest listRequest(const HostSdk::Request& request, bool paged) const;
	void changeAccount(const HostSdk::Request& request, const HostSdk::Response& response,
					   ApplicationService::AccountChange change);

	ContactService& _service;
	SharingService _sharing;
	HistoryService _history;
	GroupMaintainerService _groupMaintainers;
	MemberSearchService _members;
	ApplicationService* _applications;
	std::size_t _defaultLimit;
	Logger _logger;
	DeletionListener _deletionListener;
	HostMetrics* _metrics = nullptr;
};

} // namespace ExternalContacts
