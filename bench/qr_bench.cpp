// Times the plugin's QR renderer (SPEC R4.1) against its floor, single thread:
//   (a) floor: QRcode_encodeString8bit at level M plus a libpng write to
//       memory of the same image (1-bit grey, 8 pixels a module, 4-module
//       quiet zone, libpng's default compression), written directly here
//       with nothing around it,
//   (b) the plugin path: renderQrForHost(nullptr, link, "png", 8, ...), the
//       function the host calls, with a sink that appends to a string as the
//       host's does,
//   (c) the same for "svg".
// Same invitation link for all three (72 bytes: version 5, 37 modules).
// Each case warms up for --warmup seconds, then the three take turns in
// slices of 0.25 s until each has rendered for at least --seconds; renders
// per second are reported, and the plugin's PNG rate as a ratio of the
// floor's. The floor's PNG must be byte for byte the plugin's,
// or the comparison would not be like for like, and the run fails.
// Usage: ec_bench_qr [--seconds 3] [--warmup 0.5]

#include "qr/QrRenderer.h"

#include <chrono>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <png.h>
#include <qrencode.h>
#include <string>
#include <vector>

namespace Qr = ExternalContacts::Qr;

namespace
{

using Clock = std::chrono::steady_clock;

const char* const LINK = "http://127.0.0.1:8080/invite/q7Xz-3_KpV0aWmL9cRtYb2NfHs8dJuE4gOiA1kCxZyQ";
const int MODULE_PIXELS = 8;
const int QUIET_ZONE = 4;

void appendBytes(png_structp png, png_bytep data, png_size_t length)
{
	auto* out = static_cast<std::vector<unsigned char>*>(png_get_io_ptr(png));
	out->insert(out->end(), data, data + length);
}

void flushNothing(png_structp) {}

bool floorRender(std::vector<unsigned char>& out, std::vector<unsigned char>& lines, std::vector<png_bytep>& rows)
/// The least a QR PNG takes: encode, pack each module row once, hand
/// libpng one row pointer per pixel row. Buffers are reused between calls.
{
	QRcode* code = QRcode_encodeString8bit(LINK, 0, QR_ECLEVEL_M);
	if (!code) return false;
	const int width = code->width;
	const size_t side = static_cast<size_t>(width + 2 * QUIET_ZONE) * MODULE_PIXELS;
	const size_t rowBytes = (side + 7) / 8;
	lines.assign((width + 1) * rowBytes, 0xFF);
	for (int y = 0; y < width; ++y)
	{
		unsigned char* line = &lines[(y + 1) * rowBytes];
		for (int x = 0; x < width; ++x)
		{
			if (!(code->data[y * width + x] & 1)) continue;
			const size_t first = static_cast<size_t>(x + QUIET_ZONE) * MODULE_PIXELS;
			for (size_t px = first; px < first + MODULE_PIXELS; ++px)
				line[px >> 3] &= static_cast<unsigned char>(~(0x80u >> (px & 7)));
		}
	}
	rows.assign(side, lines.data());
	for (int y = 0; y < width; ++y)
		for (int p = 0; p < MODULE_PIXELS; ++p)
			rows[(y + QUIET_ZONE) * MODULE_PIXELS + p] = &lines[(y + 1) * rowBytes];
	QRcode_free(code);

	out.clear();
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
	png_infop info = png ? png_create_info_struct(png) : nullptr;
	if (!info)
	{
		png_destroy_write_struct(&png, nullptr);
		return false;
	}
	if (setjmp(png_jmpbuf(png)))
	{
		png_destroy_write_struct(&png, &info);
		return false;
	}
	png_set_write_fn(png, &out, appendBytes, flushNothing);
	png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
				 PNG_FILTER_TYPE_DEFAULT);
	png_set_rows(png, info, rows.data());
	png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
	png_destroy_write_struct(&png, &info);
	return true;
}

void append(void* ctx, const char* data, size_t len)
{
	static_cast<std::string*>(ctx)->append(data, len);
}

bool pluginRender(const char* format, std::string& out)
{
	std::string err;
	out.clear();
	return Qr::renderQrForHost(nullptr, LINK, format, MODULE_PIXELS, hostsdk_sink{&out, append},
							   hostsdk_sink{&err, append}) == HOSTSDK_OK;
}

struct Case
/// One thing timed: its renders and seconds summed over its slices.
{
	const char* name;
	std::function<bool()> render;
	long renders;
	double seconds;

	double perSecond() const
	{
		return renders / seconds;
	}
};

void runFor(Case& c, double seconds, bool timed)
/// Renders c for seconds of wall time; exits the program if a render fails.
{
	const Clock::time_point start = Clock::now();
	const Clock::time_point end =
		start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
	long renders = 0;
	Clock::time_point now = start;
	while (now < end)
	{
		if (!c.render())
		{
			std::fprintf(stderr, "%s: render failed\n", c.name);
			std::exit(1);
		}
		++renders;
		now = Clock::now();
	}
	if (!timed) return;
	c.renders += renders;
	c.seconds += std::chrono::duration<double>(now - start).count();
}

} // namespace

int main(int argc, char** argv)
{
	double seconds = 3.0;
	double warmup = 0.5;
	for (int i = 1; i + 1 < argc; i += 2)
	{
		if (std::strcmp(argv[i], "--seconds") == 0)
			seconds = std::atof(argv[i + 1]);
		else if (std::strcmp(argv[i], "--warmup") == 0)
			warmup = std::atof(argv[i + 1]);
		else
		{
			std::fprintf(stderr, "usage: ec_bench_qr [--seconds 3] [--warmup 0.5]\n");
			return 2;
		}
	}

	std::vector<unsigned char> floorPng;
	std::vector<unsigned char> lines;
	std::vector<png_bytep> rows;
	std::string pluginPng;
	std::string pluginSvg;
	if (!floorRender(floorPng, lines, rows) || !pluginRender("png", pluginPng) || !pluginRender("svg", pluginSvg))
	{
		std::fprintf(stderr, "a render failed\n");
		return 1;
	}
	if (std::string(floorPng.begin(), floorPng.end()) != pluginPng)
	{
		std::fprintf(stderr, "the floor's PNG differs from the plugin's: not comparable\n");
		return 1;
	}
	std::printf("# QR renders, single thread, %zu-byte link, %d px a module: PNG %zu bytes (identical for floor "
				"and plugin), SVG %zu bytes; libqrencode %s, libpng %s\n",
				std::strlen(LINK), MODULE_PIXELS, pluginPng.size(), pluginSvg.size(), QRcode_APIVersionString(),
				png_get_libpng_ver(nullptr));
	// The cases take turns in slices of SLICE seconds, so that a change in the
	// machine's load (it is shared) hits all of them alike and the ratio holds.
	std::vector<Case> cases{{"floor: QRcode_encode + libpng", [&] { return floorRender(floorPng, lines, rows); }, 0, 0},
							{"plugin: renderQrForHost png", [&] { return pluginRender("png", pluginPng); }, 0, 0},
							{"plugin: renderQrForHost svg", [&] { return pluginRender("svg", pluginSvg); }, 0, 0}};
	const double SLICE = 0.25;
	for (Case& c : cases)
		runFor(c, warmup, false);
	for (double done = 0; done < seconds; done += SLICE)
		for (Case& c : cases)
			runFor(c, SLICE, true);
	for (const Case& c : cases)
		std::printf("%-34s %9.0f renders/s  %7.1f us/render  (%ld in %.2f s)\n", c.name, c.perSecond(),
					1e6 / c.perSecond(), c.renders, c.seconds);
	std::printf("plugin png / floor: %.2f\n", cases[1].perSecond() / cases[0].perSecond());
	return 0;
}
