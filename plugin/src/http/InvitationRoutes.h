#pragma once

#include "domain/Invitation.h"
#include "http/ErrorResponder.h"
#include "http/RouteTable.h"
#include "service/InvitationService.h"
#include <Poco/JSON/Object.h>
#include <hostsdk/HostApi.h>
#include <hostsdk/Request.h>
#include <hostsdk/Response.h>
#include <string>

namespace ExternalContacts
{

class InvitationRoutes
/// A member's invitation links (R4.1, R4.5; docs/API.md), mounted under
/// /api/plugins/external-contacts:
///   POST   /invitations                 a new link (201, the token once)
///   GET    /invitations                 my links, newest first
///   POST   /invitations/{id}/regenerate a new link for an old one (201)
///   DELETE /invitations/{id}            revoke
///   GET    /invitations/{id}/qr.png|qr.svg  the QR code of the link; the
///          token comes in the X-Invite-Token header (it is not stored)
/// Failures are answered by the ErrorResponder.
{
public:
	InvitationRoutes(InvitationService& service, const ErrorResponder& responder, std::string publicBaseUrl);
	/// publicBaseUrl: the site as visitors reach it ("https://im.example.com");
	/// empty: taken from the request's Host header.

	void registerWith(const HostSdk::HostApi& host);

	void create(const HostSdk::Request& request, const HostSdk::Response& response);
	void list(const HostSdk::Request& request, const HostSdk::Response& response);
	void regenerate(const HostSdk::Request& request, const HostSdk::Response& response);
	void revoke(const HostSdk::Request& request, const HostSdk::Response& response);
	void qrPng(const HostSdk::Request& request, const HostSdk::Response& response);
	void qrSvg(const HostSdk::Request& request, const HostSdk::Response& response);

	static std::string siteOf(const std::string& publicBaseUrl, const HostSdk::Request& request);
	/// publicBaseUrl without a trailing '/', or http(s)://<Host> of the
	/// request (https when X-Forwarded-Proto says so); a Host header with
	/// anything but host-name characters is refused (400).

	static Poco::JSON::Object::Ptr toJson(const Invitation& invitation, Poco::Int64 nowMs);

	const RouteTable<InvitationRoutes>& table() const
	/// The routes, to call one as the host would.
	{
		return _table;
	}

private:
	void sendIssued(const HostSdk::Request& request, const HostSdk::Response& response,
					const InvitationService::Issued& issued);
	void qr(const HostSdk::Request& request, const HostSdk::Response& response, bool png);

	InvitationService& _service;
	RouteTable<InvitationRoutes> _table;
	std::string _publicBaseUrl;
};

} // namespace ExternalContacts
