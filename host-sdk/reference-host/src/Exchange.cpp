#include "Exchange.h"

#include "RequestReadDeadline.h"
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <sstream>

namespace RefHost
{

namespace
{

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool validUtf8(const std::string& text)
{
	const auto* p = reinterpret_cast<const unsigned char*>(text.data());
	const auto* end = p + text.size();
	while (p < end)
	{
		unsigned char c = *p++;
		if (c < 0x80) continue;
		int more;
		unsigned int min, cp;
		if ((c & 0xE0) == 0xC0)
			more = 1, min = 0x80, cp = c & 0x1F;
		else if ((c & 0xF0) == 0xE0)
			more = 2, min = 0x800, cp = c & 0x0F;
		else if ((c & 0xF8) == 0xF0)
			more = 3, min = 0x10000, cp = c & 0x07;
		else
			return false;
		if (end - p < more) return false;
		for (int i = 0; i < more; ++i)
		{
			if ((p[i] & 0xC0) != 0x80) return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		p += more;
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
	}
	return true;
}

} // namespace

Exchange::Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
				   const TrustedProxies* proxies) :
	_request(request),
	_response(response), _proxies(proxies)
{
	const std::string& uri = request.getURI();
	std::string::size_type q = uri.find('?');
	std::string rawPath = uri.substr(0, q);
	_query = q == std::string::npos ? "" : uri.substr(q + 1);
	try
	{
		Poco::URI::decode(rawPath, _path);
	}
	catch (const Poco::Exception&)
	{
		throw HttpError(400, "bad_request", "malformed path");
	}
	// Encoded traversal or NUL must not reach any handler.
	if (_path.find('\0') != std::string::npos || _path.find("/../") != std::string::npos ||
		(_path.size() >= 3 && _path.compare(_path.size() - 3, 3, "/..") == 0) || _path.empty() || _path[0] != '/' ||
		!validUtf8(_path))
		throw HttpError(400, "bad_request", "malformed path");
	try
	{
		_params = Poco::URI("/?" + _query).getQueryParameters();
	}
	catch (const Poco::Exception&)
	{
		throw HttpError(400, "bad_request", "malformed query string");
	}
	for (const auto& kv : _params)
	{
		if (!validUtf8(kv.first)) throw HttpError(400, "bad_request", "malformed query string");
		if (!validUtf8(kv.second))
			throw HttpError(400, "validation_failed", kv.first + " must be valid UTF-8", kv.first);
	}
	// One body length only: two Content-Lengths, or one beside Transfer-Encoding,
	// is how requests get smuggled past a proxy that reads the other one.
	int lengths = 0;
	for (const auto& header : _request)
		if (Poco::icompare(header.first, "Content-Length") == 0) ++lengths;
	if (lengths > 1 || (lengths == 1 && _request.has("Transfer-Encoding")))
		throw HttpError(400, "bad_request", "ambiguous request body length");
}

std::string Exchange::queryParam(const std::string& name) const
{
	for (const auto& kv : _params)
		if (kv.first == name) return kv.second;
	return "";
}

const std::string& Exchange::body()
{
	if (_bodyRead) return _body;
	_bodyRead = true;
	// Past the limit the rest is read and dropped (up to kMaxDrain) before
	// answering 413: closing a socket with unread data resets the connection,
	// and the client would never see the answer.
	auto tooLarge = [this]
	{
		_response.setKeepAlive(false);
		return HttpError(413, "payload_too_large", "request body larger than 1 MiB");
	};
	const bool announcedTooLarge =
		_request.hasContentLength() && _request.getContentLength64() > static_cast<Poco::Int64>(kMaxBody);
	if (announcedTooLarge && _request.getContentLength64() > static_cast<Poco::Int64>(kMaxDrain)) throw tooLarge();
	// A request with neither Content-Length nor chunked encoding has no body
	// (RFC 9112 6.3); reading one would wait for the client to close.
	if (!_request.hasContentLength() && !_request.getChunkedTransferEncoding()) return _body;
	std::istream& in = _request.stream();
	char buf[8192];
	std::size_t total = 0;
	// The body counts against the request's read bound with its head.
	ReadDeadlineSocketImpl* deadline = ReadDeadlineSocketImpl::of(_request);
	if (deadline) deadline->resume();
	while (in && total <= kMaxDrain)
	{
		in.read(buf, sizeof(buf));
		std::size_t n = static_cast<std::size_t>(in.gcount());
		total += n;
		if (total <= kMaxBody) _body.append(buf, n);
	}
	if (deadline) deadline->pause();
	if (deadline && deadline->expired())
	{
		_body.clear();
		_response.setKeepAlive(false);
		throw HttpError(408, "request_timeout", "the request was not received in time");
	}
	if (announcedTooLarge || total > kMaxBody)
	{
		_body.clear();
		throw tooLarge();
	}
	// A body cut short (the client stopped sending, or closed, before the
	// announced length) is not a request to act on.
	if (_request.hasContentLength() && static_cast<Poco::Int64>(total) < _request.getContentLength64())
	{
		_body.clear();
		_response.setKeepAlive(false);
		throw HttpError(400, "bad_request", "incomplete request body");
	}
	return _body;
}

Poco::JSON::Object::Ptr Exchange::jsonBody()
{
	std::string type =
		Poco::toLower(Poco::trim(_request.getContentType().substr(0, _request.getContentType().find(';'))));
	if (type != "application/json")
		throw HttpError(415, "unsupported_media_type", "Content-Type must be application/json");
	const std::string& text = body();
	try
	{
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var v = parser.parse(text);
		if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
	}
	throw HttpError(400, "invalid_json", "the body must be a JSON object");
}

std::string Exchange::cookie(const std::string& name) const
{
	Poco::Net::NameValueCollection cookies;
	_request.getCookies(cookies);
	return cookies.get(name, "");
}

const TrustedProxies::Resolved& Exchange::origin() const
{
	if (!_origin)
	{
		if (_proxies && !_proxies->empty())
		{
			std::vector<std::string> forwardedFor, forwardedProto;
			for (const auto& h : _request)
			{
				if (Poco::icompare(h.first, "X-Forwarded-For") == 0)
					forwardedFor.push_back(h.second);
				else if (Poco::icompare(h.first, "X-Forwarded-Proto") == 0)
					forwardedProto.push_back(h.second);
			}
			_origin = _proxies->resolve(_request.clientAddress().host(), forwardedFor, forwardedProto);
		}
		else
		{
			_origin = TrustedProxies::Resolved{_request.clientAddress().host().toString(), false, false};
		}
	}
	return *_origin;
}

std::string Exchange::clientAddress() const
{
	return origin().clientAddress;
}

bool Exchange::https() const
{
	return origin().https;
}

bool Exchange::fromTrustedProxy() const
{
	return origin().fromProxy;
}

std::string Exchange::locale() const
{
	std::string lang = queryParam("lang");
	if (lang.empty()) lang = _request.get("Accept-Language", "");
	lang = Poco::toLower(Poco::trim(lang));
	return lang.compare(0, 2, "en") == 0 ? "en" : "zh-CN";
}

void Exchange::drainBody() noexcept
{
	if (_bodyRead) return;
	try
	{
		body();
	}
	catch (...)
	{
		_response.setKeepAlive(false);
	}
}

void Exchange::send(int status, const std::string& contentType, const std::string& data)
{
	drainBody();
	_response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
	if (!contentType.empty()) _response.setContentType(contentType);
	_response.setContentLength64(static_cast<Poco::Int64>(data.size()));
	if (!_response.has("Cache-Control")) _response.set("Cache-Control", "no-store");
	_sent = true;
	if (_request.getMethod() == "HEAD")
		_response.send();
	else
		_response.send().write(data.data(), static_cast<std::streamsize>(data.size()));
}

void Exchange::sendJson(int status, const Poco::Dynamic::Var& json)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::stringify(json, out);
	send(status, "application/json; charset=utf-8", out.str());
}

void Exchange::sendError(const HttpError& e)
{
	Poco::JSON::Object::Ptr err = new Poco::JSON::Object;
	err->set("code", e.code);
	err->set("message", std::string(e.what()));
	if (!e.field.empty()) err->set("field", e.field);
	e.describe(*err);
	Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
	root->set("error", err);
	if (e.retryAfter > 0) _response.set("Retry-After", std::to_string(e.retryAfter));
	sendJson(e.status, root);
}

void Exchange::sendEmpty(int status)
{
	drainBody();
	_response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
	_response.setContentLength(0);
	_response.set("Cache-Control", "no-store");
	_sent = true;
	_response.send();
}

} // namespace RefHost
