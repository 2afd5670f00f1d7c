#pragma once

#include "domain/Actor.h"
#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/AccountService.h"
#include "service/ContactService.h"
#include "service/MemberSearchService.h"
#include <functional>
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>

namespace ExternalContacts
{

class ContactRoutes
/// The plugin's HTTP routes for contacts themselves (docs/API.md), mounted
/// by the host under /api/plugins/external-contacts:
///   GET    /contacts      one page of the caller's list
///   POST   /contacts      create a contact (201)
///   GET    /contacts/{id} one contact with what the caller may do with it
///   PATCH  /contacts/{id} edit basic info (version-checked, 409 conflict)
///   DELETE /contacts/{id} soft delete (204)
///   GET    /groups        the list's groups with counts
///   GET    /members?q=&limit=  member search for the member picker
/// Sharing, group maintainers, accounts and the application log have their
/// own route classes; failures are answered by the ErrorResponder.
{
public:
	ContactRoutes(ContactService& service, MemberSearchService& members, std::size_t defaultLimit,
				  const ErrorResponder& responder, AccountService* accounts = nullptr);
	/// defaultLimit is the page size when a request names none (1..100).
	/// accounts, when given, disables a deleted contact's account (R6.6).

	void registerWith(const HostSdk::HostApi& host);
	/// Registers the routes (members only: no external flag).

	using DeletionListener = std::function<void(Poco::Int64 orgId, Poco::Int64 contactId)>;

	void onContactDeleted(DeletionListener listener)
	/// listener runs after a contact was deleted (before the 204 is sent).
	{
		_deletionListener = std::move(listener);
	}

	void listContacts(const HostSdk::Request& request, const HostSdk::Response& response);
	void createContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void getContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void listGroups(const HostSdk::Request& request, const HostSdk::Response& response);
	void updateContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void deleteContact(const HostSdk::Request& request, const HostSdk::Response& response);
	void searchMembers(const HostSdk::Request& request, const HostSdk::Response& response);

	const RouteTable<ContactRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	ListRequest listRequest(const HostSdk::Request& request, bool paged) const;

	ContactService& _service;
	MemberSearchService& _members;
	AccountService* _accounts;
	std::size_t _defaultLimit;
	DeletionListener _deletionListener;
	RouteTable<ContactRoutes> _table;
};

} // namespace ExternalContacts
