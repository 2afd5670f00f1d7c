#include "qr/QrImage.h"

#include "domain/ValidationError.h"

#include <Poco/Exception.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <png.h>
#include <qrencode.h>
#include <vector>

namespace ExternalContacts
{
namespace Qr
{
namespace
{

void validate(const std::string& text, int modulePixels)
{
	if (modulePixels < MODULE_PIXELS_MIN || modulePixels > MODULE_PIXELS_MAX)
		throw ValidationError::failed("size", "size must be " + std::to_string(MODULE_PIXELS_MIN) + " to " +
												  std::to_string(MODULE_PIXELS_MAX) + " pixels a module");
	if (text.empty()) throw ValidationError::failed("text", "text is required");
	if (text.size() > TEXT_MAX_BYTES)
		throw ValidationError::failed("text", "text must be at most " + std::to_string(TEXT_MAX_BYTES) + " bytes");
}

struct QrCodeFree
{
	void operator()(QRcode* code) const
	{
		QRcode_free(code);
	}
};

using QrCodePtr = std::unique_ptr<QRcode, QrCodeFree>;

QrCodePtr encode(const std::string& text, int modulePixels)
/// The whole text as one 8-bit segment (QRcode_encodeData, not
/// QRcode_encodeString, whose splitter would stop at a NUL and may
/// switch modes mid-text).
{
	validate(text, modulePixels);
	errno = 0;
	QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()),
									 0, QR_ECLEVEL_M));
	if (!code)
	{
		const int error = errno;
		if (error == ENOMEM) throw Poco::OutOfMemoryException("QR encoding ran out of memory");
		throw Poco::RuntimeException("QR encoding failed", error == ERANGE ? "text too long for a QR code"
																		   : std::string(std::strerror(error)));
	}
	return code;
}

inline bool isDark(const QRcode& code, int x, int y)
{
	return code.data[static_cast<std::size_t>(y) * code.width + x] & 1;
}

struct PngOutput
/// What libpng's callbacks reach through the io and error pointers. Plain
/// data only: libpng leaves its callbacks with longjmp.
{
	std::string* bytes;
	char error[160];
};

void writeToString(png_structp png, png_bytep data, png_size_t length)
{
	auto* out = static_cast<PngOutput*>(png_get_io_ptr(png));
	bool failed = false;
	try
	{
		out->bytes->append(reinterpret_cast<const char*>(data), length);
	}
	catch (...)
	{
		failed = true;
	}
	// Outside the catch block: a longjmp out of a handler would leak the exception.
	if (failed) png_error(png, "out of memory writing the PNG");
}

void flushNothing(png_structp) {}

void recordError(png_structp png, png_const_charp message)
{
	auto* out = static_cast<PngOutput*>(png_get_error_ptr(png));
	std::snprintf(out->error, sizeof(out->error), "%s", message ? message : "unknown libpng error");
	png_longjmp(png, 1);
}

void ignoreWarning(png_structp, png_const_charp) {}

bool writePngRows(png_structp png, png_infop info, png_uint_32 side, png_bytepp rows)
/// The only frame that calls setjmp: it holds no object with a destructor,
/// so libpng's longjmp back here skips nothing.
{
	if (setjmp(png_jmpbuf(png))) return false;
	png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
				 PNG_FILTER_TYPE_DEFAULT);
	png_set_rows(png, info, rows);
	png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
	return true;
}

class PngWriter
/// Owns libpng's write and info structures for one image.
{
public:
	explicit PngWriter(PngOutput& out)
	{
		_png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &out, recordError, ignoreWarning);
		if (!_png) throw Poco::OutOfMemoryException("cannot create the PNG writer");
		_info = png_create_info_struct(_png);
		if (!_info)
		{
			png_destroy_write_struct(&_png, nullptr);
			throw Poco::OutOfMemoryException("cannot create the PNG header");
		}
		png_set_write_fn(_png, &out, writeToString, flushNothing);
	}

	~PngWriter()
	{
		png_destroy_write_struct(&_png, &_info);
	}

	PngWriter(const PngWriter&) = delete;
	PngWriter& operator=(const PngWriter&) = delete;

	bool write(png_uint_32 side, png_bytepp rows)
	{
		return writePngRows(_png, _info, side, rows);
	}

private:
	png_structp _png = nullptr;
	png_infop _info = nullptr;
};

} // namespace

std::string renderPng(const std::string& text, int modulePixels)
{
	const QrCodePtr code = encode(text, modulePixels);
	const int modules = code->width + 2 * QUIET_ZONE_MODULES;
	const std::size_t side = static_cast<std::size_t>(modules) * modulePixels;
	const std::size_t rowBytes = (side + 7) / 8;

	// One packed row (1 bit a pixel, 1 = white) per module row, the first one
	// all white for the quiet zone; each is repeated modulePixels times in
	// the row pointers rather than copied.
	std::vector<png_byte> lines((code->width + 1) * rowBytes, 0xFF);
	for (int y = 0; y < code->width; ++y)
	{
		png_byte* line = &lines[(y + 1) * rowBytes];
		for (int x = 0; x < code->width; ++x)
		{
			if (!isDark(*code, x, y)) continue;
			const std::size_t first = static_cast<std::size_t>(x + QUIET_ZONE_MODULES) * modulePixels;
			for (std::size_t px = first; px < first + modulePixels; ++px)
				line[px >> 3] &= static_cast<png_byte>(~(0x80u >> (px & 7)));
		}
	}
	std::vector<png_bytep> rows(side, lines.data());
	for (int y = 0; y < code->width; ++y)
	{
		const std::size_t first = static_cast<std::size_t>(y + QUIET_ZONE_MODULES) * modulePixels;
		for (std::size_t row = first; row < first + modulePixels; ++row)
			rows[row] = &lines[(y + 1) * rowBytes];
	}

	std::string bytes;
	bytes.reserve(side * rowBytes / 16 + 1024);
	PngOutput out{&bytes, {}};
	PngWriter writer(out);
	if (!writer.write(static_cast<png_uint_32>(side), rows.data()))
		throw Poco::RuntimeException("PNG encoding failed", out.error);
	return bytes;
}

std::string renderSvg(const std::string& text, int modulePixels)
{
	const QrCodePtr code = encode(text, modulePixels);
	const int modules = code->width + 2 * QUIET_ZONE_MODULES;
	const std::string side = std::to_string(modules * modulePixels);
	const std::string box = std::to_string(modules);

	std::string svg;
	svg.reserve(static_cast<std::size_t>(code->width) * code->width * 4 + 512);
	svg += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"";
	svg += side + "\" height=\"" + side + "\" viewBox=\"0 0 " + box + ' ' + box + "\">\n";
	svg += "<rect width=\"" + box + "\" height=\"" + box + "\" fill=\"#fff\"/>\n";
	svg += "<path fill=\"#000\" shape-rendering=\"crispEdges\" d=\"";
	// In module units: each horizontal run of dark modules is one closed 1-high rectangle.
	for (int y = 0; y < code->width; ++y)
	{
		for (int x = 0; x < code->width;)
		{
			if (!isDark(*code, x, y))
			{
				++x;
				continue;
			}
			const int first = x;
			while (x < code->width && isDark(*code, x, y))
				++x;
			const std::string run = std::to_string(x - first);
			svg += 'M';
			svg += std::to_string(first + QUIET_ZONE_MODULES);
			svg += ' ';
			svg += std::to_string(y + QUIET_ZONE_MODULES);
			svg += 'h';
			svg += run;
			svg += "v1h-";
			svg += run;
			svg += 'z';
		}
	}
	svg += "\"/>\n</svg>\n";
	return svg;
}

} // namespace Qr
} // namespace ExternalContacts
