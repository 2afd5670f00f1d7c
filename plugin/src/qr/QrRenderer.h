#pragma once

#include <hostsdk/abi.h>

namespace ExternalContacts
{
namespace Qr
{

hostsdk_status renderQrForHost(void* user, const char* text, const char* format, int32_t size, hostsdk_sink out,
							   hostsdk_sink err) noexcept;
/// The plugin's hostsdk_on_qr_render_fn: writes renderPng(text, size) or
/// renderSvg(text, size) to out as format is "png" or "svg". user is not
/// used (pass nullptr). The image reaches out only once it is complete, in
/// one write.
///
/// Returns HOSTSDK_OK; HOSTSDK_E_INVALID for a null text, an unknown format,
/// a size or text that renderPng refuses; HOSTSDK_E_INTERNAL for any other
/// failure. Every status but HOSTSDK_OK comes with a message in err. Nothing
/// is thrown; safe to call from many threads at once.

} // namespace Qr
} // namespace ExternalContacts
