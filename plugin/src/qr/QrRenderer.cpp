#include "qr/QrRenderer.h"

#include "domain/ValidationError.h"
#include "qr/QrImage.h"

#include <Poco/Exception.h>
#include <cstring>
#include <exception>
#include <string>

namespace ExternalContacts
{
namespace Qr
{
namespace
{

void writeTo(hostsdk_sink sink, const std::string& text) noexcept
{
	if (sink.write) sink.write(sink.ctx, text.data(), text.size());
}

hostsdk_status fail(hostsdk_sink err, hostsdk_status status, const char* message) noexcept
{
	// Building the message may itself throw (out of memory); the status still gets through.
	try
	{
		writeTo(err, message);
	}
	catch (...)
	{
	}
	return status;
}

} // namespace

hostsdk_status renderQrForHost(void*, const char* text, const char* format, int32_t size, hostsdk_sink out,
							   hostsdk_sink err) noexcept
{
	if (!text) return fail(err, HOSTSDK_E_INVALID, "text is required");
	if (!format) return fail(err, HOSTSDK_E_INVALID, "format must be png or svg");
	try
	{
		std::string image;
		if (std::strcmp(format, "png") == 0)
			image = renderPng(text, size);
		else if (std::strcmp(format, "svg") == 0)
			image = renderSvg(text, size);
		else
			return fail(err, HOSTSDK_E_INVALID, "format must be png or svg");
		writeTo(out, image);
		return HOSTSDK_OK;
	}
	catch (const ValidationError& e)
	{
		return fail(err, HOSTSDK_E_INVALID, e.message().c_str());
	}
	catch (const Poco::Exception& e)
	{
		return fail(err, HOSTSDK_E_INTERNAL, e.displayText().c_str());
	}
	catch (const std::exception& e)
	{
		return fail(err, HOSTSDK_E_INTERNAL, e.what());
	}
	catch (...)
	{
		return fail(err, HOSTSDK_E_INTERNAL, "unexpected failure rendering a QR code");
	}
}

} // namespace Qr
} // namespace ExternalContacts
