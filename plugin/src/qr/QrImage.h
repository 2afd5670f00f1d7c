#pragma once

#include <cstddef>
#include <string>

namespace ExternalContacts
{
namespace Qr
{

/// QR codes as images (SPEC R4.1): the text is encoded in 8-bit (byte) mode
/// as UTF-8, case kept, at error-correction level M, the version chosen by
/// libqrencode to fit; a quiet zone of QUIET_ZONE_MODULES white modules
/// surrounds the symbol on every side, and each module is modulePixels
/// pixels square, dark modules black on white.
///
/// The functions keep no state between calls: they may be called from any
/// number of threads at once.
///
/// Errors: a modulePixels outside [MODULE_PIXELS_MIN, MODULE_PIXELS_MAX]
/// throws ValidationError naming field "size"; an empty text or one longer
/// than TEXT_MAX_BYTES throws ValidationError naming field "text". A failure
/// of libqrencode or libpng (out of memory) throws Poco::RuntimeException.

constexpr int MODULE_PIXELS_MIN = 2;
constexpr int MODULE_PIXELS_MAX = 32;
constexpr int MODULE_PIXELS_DEFAULT = 8;
constexpr int QUIET_ZONE_MODULES = 4;
constexpr std::size_t TEXT_MAX_BYTES = 1024;

std::string renderPng(const std::string& text, int modulePixels);
/// Returns a PNG file (1-bit grayscale, not interlaced) of
/// (modules + 2 * QUIET_ZONE_MODULES) * modulePixels pixels square.

std::string renderSvg(const std::string& text, int modulePixels);
/// Returns a standalone SVG document of the same size in pixels: a white
/// background and the dark modules as one path of horizontal runs, drawn
/// with crisp edges. Nothing of the text appears in the document, so a
/// text cannot inject markup.

} // namespace Qr
} // namespace ExternalContacts
