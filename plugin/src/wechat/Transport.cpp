#include "wechat/Transport.h"

#include "wechat/WeChatErrors.h"
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>
#include <memory>

namespace ExternalContacts
{
namespace WeChat
{

namespace
{

void initializeSslOnce()
{
	// Never uninitialized: sessions may still be closing while statics die.
	static const bool initialized = []
	{
		Poco::Net::initializeSSL();
		return true;
	}();
	(void)initialized;
}

std::string readCapped(std::istream& body, const std::string& where)
{
	std::string out;
	char buffer[8192];
	while (body)
	{
		body.read(buffer, sizeof buffer);
		out.append(buffer, static_cast<std::size_t>(body.gcount()));
		if (out.size() > PocoTransport::MAX_BODY_BYTES)
			throw UnavailableError(where + " answered more than " + std::to_string(PocoTransport::MAX_BODY_BYTES) +
								   " bytes");
	}
	if (body.bad()) throw UnavailableError(where + " answer could not be read");
	return out;
}

} // namespace

Transport::~Transport() = default;

PocoTransport::PocoTransport(const Config& config) : _timeoutMs(config.timeoutMs)
{
	initializeSslOnce();
	Poco::Net::Context::Params params;
	params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
	params.verificationDepth = 9;
	params.caLocation = config.caFile;
	params.loadDefaultCAs = config.caFile.empty();
	try
	{
		_context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
		_context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
		// Host name check after the handshake (X509Certificate::verify).
		_context->enableExtendedCertificateVerification(true);
	}
	catch (const Poco::Exception& e)
	{
		throw UnavailableError("cannot set up TLS for WeChat: " + e.displayText());
	}
}

std::string PocoTransport::get(const std::string& url)
{
	Poco::URI uri;
	try
	{
		uri = Poco::URI(url);
	}
	catch (const Poco::SyntaxException&)
	{
		throw UnavailableError("invalid WeChat URL");
	}
	const bool https = uri.getScheme() == "https";
	if ((!https && uri.getScheme() != "http") || uri.getHost().empty())
		throw UnavailableError("WeChat URLs must be http:// or https://");
	// Names the endpoint without the query string, which carries secrets.
	const std::string where = uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();

	try
	{
		std::unique_ptr<Poco::Net::HTTPClientSession> session;
		if (https)
			session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), _context);
		else
			session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
		session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(_timeoutMs) * 1000));
		session->setKeepAlive(false);

		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
									   Poco::Net::HTTPMessage::HTTP_1_1);
		request.set("Accept", "application/json");
		session->sendRequest(request);

		Poco::Net::HTTPResponse response;
		std::istream& body = session->receiveResponse(response);
		if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
			throw UnavailableError(where + " answered HTTP " + std::to_string(static_cast<int>(response.getStatus())));
		if (response.hasContentLength() && response.getContentLength64() > static_cast<Poco::Int64>(MAX_BODY_BYTES))
			throw UnavailableError(where + " answered more than " + std::to_string(MAX_BODY_BYTES) + " bytes");
		return readCapped(body, where);
	}
	catch (const UnavailableError&)
	{
		throw;
	}
	catch (const Poco::Exception& e)
	{
		throw UnavailableError(where + " unreachable: " + e.displayText());
	}
}

} // namespace WeChat
} // namespace ExternalContacts
