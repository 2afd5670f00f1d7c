#include "qr/QrImage.h"
#include "domain/ValidationError.h"
#include "qr/QrRenderer.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <cppunit/extensions/HelperMacros.h>
#include <png.h>
#include <thread>
#include <vector>

using ExternalContacts::ValidationError;
namespace Qr = ExternalContacts::Qr;

namespace
{

struct Gray
/// A decoded image, 8 bits a pixel, 0 black, 255 white.
{
	unsigned width = 0;
	unsigned height = 0;
	std::vector<unsigned char> pixels;

	unsigned char at(unsigned x, unsigned y) const
	{
		return pixels.at(static_cast<std::size_t>(y) * width + x);
	}
};

Gray decodePng(const std::string& bytes)
{
	png_image image{};
	image.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
		throw std::runtime_error(std::string("not a PNG: ") + image.message);
	image.format = PNG_FORMAT_GRAY;
	Gray gray;
	gray.width = image.width;
	gray.height = image.height;
	gray.pixels.resize(PNG_IMAGE_SIZE(image));
	png_color white{255, 255, 255};
	if (!png_image_finish_read(&image, &white, gray.pixels.data(), 0, nullptr))
		throw std::runtime_error(std::string("bad PNG: ") + image.message);
	return gray;
}

std::string run(const std::string& command, const std::vector<std::string>& args, int& exitCode)
/// Runs command without a shell; returns what it wrote to stdout.
{
	Poco::Pipe out;
	Poco::Pipe err;
	Poco::ProcessHandle process = Poco::Process::launch(command, args, nullptr, &out, &err);
	Poco::PipeInputStream outStream(out);
	Poco::PipeInputStream errStream(err);
	std::string stdoutText;
	std::string stderrText;
	Poco::StreamCopier::copyToString(outStream, stdoutText);
	Poco::StreamCopier::copyToString(errStream, stderrText); // rsvg-convert complains of a missing D-Bus
	exitCode = process.wait();
	return stdoutText;
}

struct TempPath
/// A file name in the temp directory, the file removed when done.
{
	explicit TempPath(const std::string& extension) : path(Poco::TemporaryFile::tempName() + extension) {}

	~TempPath()
	{
		try
		{
			Poco::File(path).remove();
		}
		catch (...)
		{
		}
	}

	std::string path;
};

void writeFile(const std::string& path, const std::string& bytes)
{
	Poco::FileOutputStream stream(path, std::ios::binary | std::ios::trunc);
	stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
	stream.close();
}

std::string readFile(const std::string& path)
{
	Poco::FileInputStream stream(path, std::ios::binary);
	std::string bytes;
	Poco::StreamCopier::copyToString(stream, bytes);
	return bytes;
}

std::string scan(const std::string& png)
/// What zbarimg reads from the PNG, without the newline it appends.
{
	TempPath file(".png");
	writeFile(file.path, png);
	int exitCode = -1;
	std::string text = run("zbarimg", {"--raw", "-q", file.path}, exitCode);
	CPPUNIT_ASSERT_EQUAL_MESSAGE("zbarimg found no QR code", 0, exitCode);
	CPPUNIT_ASSERT(!text.empty() && text.back() == '\n');
	text.pop_back();
	return text;
}

std::string rasterise(const std::string& svg)
/// The SVG drawn by librsvg (zbarimg's ImageMagick has no SVG coder here).
{
	TempPath in(".svg");
	TempPath out(".png");
	writeFile(in.path, svg);
	int exitCode = -1;
	run("rsvg-convert", {"-o", out.path, in.path}, exitCode);
	CPPUNIT_ASSERT_EQUAL_MESSAGE("rsvg-convert failed", 0, exitCode);
	return readFile(out.path);
}

unsigned pngIhdrWidth(const std::string& png, unsigned& height)
/// Width and height straight from the IHDR chunk, not through libpng.
{
	CPPUNIT_ASSERT(png.size() > 24);
	CPPUNIT_ASSERT_EQUAL(std::string("\x89PNG\r\n\x1a\n", 8), png.substr(0, 8));
	CPPUNIT_ASSERT_EQUAL(std::string("IHDR"), png.substr(12, 4));
	auto be32 = [&](std::size_t at)
	{
		return (static_cast<unsigned>(static_cast<unsigned char>(png[at])) << 24) |
			   (static_cast<unsigned>(static_cast<unsigned char>(png[at + 1])) << 16) |
			   (static_cast<unsigned>(static_cast<unsigned char>(png[at + 2])) << 8) |
			   static_cast<unsigned>(static_cast<unsigned char>(png[at + 3]));
	};
	height = be32(20);
	return be32(16);
}

void assertQuietZoneAndModules(const Gray& image, unsigned size)
/// White for exactly QUIET_ZONE_MODULES modules on every side, then the
/// finder patterns' black edge, seven modules of `size` pixels long.
{
	const unsigned zone = Qr::QUIET_ZONE_MODULES * size;
	CPPUNIT_ASSERT_EQUAL(image.width, image.height);
	for (unsigned y = 0; y < image.height; ++y)
	{
		for (unsigned x = 0; x < image.width; ++x)
		{
			const bool inZone = x < zone || y < zone || x >= image.width - zone || y >= image.height - zone;
			if (inZone && image.at(x, y) < 128)
				CPPUNIT_FAIL("dark pixel in the quiet zone at " + std::to_string(x) + "," + std::to_string(y));
		}
	}
	const unsigned far = image.width - zone - 1;
	for (unsigned i = 0; i < 7 * size; ++i)
	{
		CPPUNIT_ASSERT(image.at(zone + i, zone) < 128); // top-left finder, top edge
		CPPUNIT_ASSERT(image.at(zone, zone + i) < 128); // top-left finder, left edge
		CPPUNIT_ASSERT(image.at(far - i, zone) < 128);  // top-right finder
		CPPUNIT_ASSERT(image.at(zone + i, far) < 128);  // bottom-left finder, bottom edge
	}
	CPPUNIT_ASSERT(image.at(zone + 7 * size, zone) >= 128); // the separator after seven modules
}

std::string inviteLink()
{
	// 32 random bytes as unpadded base64url: 43 characters.
	return "http://127.0.0.1:8080/invite/q7Xz-3_KpV0aWmL9cRtYb2NfHs8dJuE4gOiA1kCxZyQ";
}

std::string chineseText()
{
	return "星河科技 外部互联：张伟邀请您成为「远山贸易」陈杰的外部联系人。";
}

std::string markupText()
{
	return "<script>alert(\"x&y\")</script> it's <b>&amp;</b> 'quoted' & \"more\"";
}

std::string longText()
/// Exactly TEXT_MAX_BYTES bytes, no stretch of it repeated verbatim.
{
	std::string text;
	for (int i = 0; text.size() < Qr::TEXT_MAX_BYTES; ++i)
		text += "item" + std::to_string(i * 7919 % 1000) + "=" + std::string(1, static_cast<char>('a' + i % 26)) + ";";
	text.resize(Qr::TEXT_MAX_BYTES);
	return text;
}

void append(void* ctx, const char* data, size_t len)
{
	static_cast<std::string*>(ctx)->append(data, len);
}

hostsdk_status callHost(const char* text, const char* format, int32_t size, std::string& out, std::string& err)
{
	return Qr::renderQrForHost(nullptr, text, format, size, hostsdk_sink{&out, append}, hostsdk_sink{&err, append});
}

} // namespace

class QrImageTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(QrImageTest);
	CPPUNIT_TEST(testPngScansBackToTheText);
	CPPUNIT_TEST(testSvgScansBackToTheText);
	CPPUNIT_TEST(testPngIsModulesPlusQuietZoneTimesSize);
	CPPUNIT_TEST(testPngHasAWhiteQuietZoneOfFourModules);
	CPPUNIT_TEST(testSvgHasTheSameGeometryAsThePng);
	CPPUNIT_TEST(testSvgHoldsNoInputText);
	CPPUNIT_TEST(testRejectsSizesOutOfBounds);
	CPPUNIT_TEST(testRejectsEmptyAndTooLongText);
	CPPUNIT_TEST(testRendersTheSameOnManyThreads);
	CPPUNIT_TEST(testHostAdapterRendersPngAndSvg);
	CPPUNIT_TEST(testHostAdapterRefusesBadFormatSizeAndText);
	CPPUNIT_TEST_SUITE_END();

public:
	void testPngScansBackToTheText()
	{
		for (const std::string& text : {inviteLink(), chineseText(), markupText(), longText()})
		{
			for (int size : {Qr::MODULE_PIXELS_MIN, 3, Qr::MODULE_PIXELS_DEFAULT})
				CPPUNIT_ASSERT_EQUAL(text, scan(Qr::renderPng(text, size)));
		}
		CPPUNIT_ASSERT_EQUAL(inviteLink(), scan(Qr::renderPng(inviteLink(), Qr::MODULE_PIXELS_MAX)));
	}

	void testSvgScansBackToTheText()
	{
		for (const std::string& text : {inviteLink(), chineseText(), markupText(), longText()})
		{
			for (int size : {Qr::MODULE_PIXELS_MIN, 5})
				CPPUNIT_ASSERT_EQUAL(text, scan(rasterise(Qr::renderSvg(text, size))));
		}
		CPPUNIT_ASSERT_EQUAL(inviteLink(), scan(rasterise(Qr::renderSvg(inviteLink(), Qr::MODULE_PIXELS_MAX))));
	}

	void testPngIsModulesPlusQuietZoneTimesSize()
	{
		// 72 bytes at level M need version 5 (62 < 72 <= 84 bytes): 37 modules.
		for (int size : {2, 7, 32})
		{
			unsigned height = 0;
			const unsigned width = pngIhdrWidth(Qr::renderPng(inviteLink(), size), height);
			CPPUNIT_ASSERT_EQUAL((37u + 8u) * size, width);
			CPPUNIT_ASSERT_EQUAL(width, height);
		}
		// Any text: a whole number of modules of a real version (17 + 4v, v = 1..40) plus 8.
		for (const std::string& text : {chineseText(), markupText(), longText(), std::string("A")})
		{
			unsigned height = 0;
			const unsigned width = pngIhdrWidth(Qr::renderPng(text, 3), height);
			CPPUNIT_ASSERT_EQUAL(0u, width % 3);
			const unsigned modules = width / 3 - 2 * Qr::QUIET_ZONE_MODULES;
			CPPUNIT_ASSERT(modules >= 21 && modules <= 177 && (modules - 17) % 4 == 0);
			CPPUNIT_ASSERT_EQUAL(width, height);
		}
		unsigned height = 0;
		CPPUNIT_ASSERT_EQUAL((21u + 8u) * 4, pngIhdrWidth(Qr::renderPng("A", 4), height)); // version 1
	}

	void testPngHasAWhiteQuietZoneOfFourModules()
	{
		for (int size : {Qr::MODULE_PIXELS_MIN, 5, Qr::MODULE_PIXELS_DEFAULT})
		{
			assertQuietZoneAndModules(decodePng(Qr::renderPng(inviteLink(), size)), size);
			assertQuietZoneAndModules(decodePng(Qr::renderPng(longText(), size)), size);
		}
	}

	void testSvgHasTheSameGeometryAsThePng()
	{
		for (int size : {Qr::MODULE_PIXELS_MIN, 6})
		{
			for (const std::string& text : {inviteLink(), chineseText()})
			{
				const Gray fromSvg = decodePng(rasterise(Qr::renderSvg(text, size)));
				const Gray fromPng = decodePng(Qr::renderPng(text, size));
				assertQuietZoneAndModules(fromSvg, size);
				CPPUNIT_ASSERT_EQUAL(fromPng.width, fromSvg.width);
				for (std::size_t i = 0; i < fromPng.pixels.size(); ++i)
				{
					if ((fromPng.pixels[i] < 128) != (fromSvg.pixels[i] < 128))
						CPPUNIT_FAIL("SVG and PNG differ at pixel " + std::to_string(i));
				}
			}
		}
		const std::string svg = Qr::renderSvg(inviteLink(), 8);
		CPPUNIT_ASSERT(svg.find("width=\"360\" height=\"360\" viewBox=\"0 0 45 45\"") != std::string::npos);
		CPPUNIT_ASSERT(svg.find("shape-rendering=\"crispEdges\"") != std::string::npos);
	}

	void testSvgHoldsNoInputText()
	{
		for (const std::string& text : {inviteLink(), chineseText(), markupText(), longText()})
		{
			const std::string svg = Qr::renderSvg(text, 4);
			CPPUNIT_ASSERT(svg.find(text) == std::string::npos);
			CPPUNIT_ASSERT(svg.find("script") == std::string::npos);
			CPPUNIT_ASSERT(svg.find('&') == std::string::npos);
			CPPUNIT_ASSERT(svg.find("invite") == std::string::npos);
			CPPUNIT_ASSERT(svg.find("星") == std::string::npos);
			CPPUNIT_ASSERT_EQUAL(std::string::npos, svg.find("<path", svg.find("<path") + 1)); // one path
			CPPUNIT_ASSERT(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
		}
	}

	void testRejectsSizesOutOfBounds()
	{
		for (int size : {0, 1, 33, -5})
		{
			assertRefused("size", [&] { Qr::renderPng(inviteLink(), size); });
			assertRefused("size", [&] { Qr::renderSvg(inviteLink(), size); });
		}
	}

	void testRejectsEmptyAndTooLongText()
	{
		const std::string tooLong = longText() + "x";
		CPPUNIT_ASSERT_EQUAL(Qr::TEXT_MAX_BYTES + 1, tooLong.size());
		for (const std::string& text : {std::string(), tooLong})
		{
			assertRefused("text", [&] { Qr::renderPng(text, Qr::MODULE_PIXELS_DEFAULT); });
			assertRefused("text", [&] { Qr::renderSvg(text, Qr::MODULE_PIXELS_DEFAULT); });
		}
	}

	void testRendersTheSameOnManyThreads()
	{
		const std::vector<std::string> texts{inviteLink(), chineseText(), markupText(), longText()};
		std::vector<std::string> expected;
		for (const std::string& text : texts)
			expected.push_back(Qr::renderPng(text, 3) + Qr::renderSvg(text, 3));
		std::vector<int> wrong(8, 0);
		std::vector<std::thread> threads;
		for (std::size_t t = 0; t < wrong.size(); ++t)
		{
			threads.emplace_back(
				[&, t]
				{
					for (int i = 0; i < 20; ++i)
					{
						const std::size_t k = (t + i) % texts.size();
						if (Qr::renderPng(texts[k], 3) + Qr::renderSvg(texts[k], 3) != expected[k]) ++wrong[t];
					}
				});
		}
		for (std::thread& thread : threads)
			thread.join();
		for (int count : wrong)
			CPPUNIT_ASSERT_EQUAL(0, count);
	}

	void testHostAdapterRendersPngAndSvg()
	{
		std::string out;
		std::string err;
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), callHost(inviteLink().c_str(), "png", 8, out, err));
		CPPUNIT_ASSERT_EQUAL(Qr::renderPng(inviteLink(), 8), out);
		CPPUNIT_ASSERT_EQUAL(inviteLink(), scan(out));
		CPPUNIT_ASSERT(err.empty());

		out.clear();
		CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_OK), callHost(chineseText().c_str(), "svg", 4, out, err));
		CPPUNIT_ASSERT_EQUAL(Qr::renderSvg(chineseText(), 4), out);
		CPPUNIT_ASSERT_EQUAL(chineseText(), scan(rasterise(out)));
		CPPUNIT_ASSERT(err.empty());
	}

	void testHostAdapterRefusesBadFormatSizeAndText()
	{
		struct Case
		{
			const char* text;
			const char* format;
			int32_t size;
		};
		const std::string tooLong = longText() + "x";
		for (const Case& c :
			 {Case{"x", "gif", 8}, Case{"x", "PNG", 8}, Case{"x", nullptr, 8}, Case{"x", "png", 1}, Case{"x", "svg", 1},
			  Case{"x", "png", 33}, Case{"", "png", 8}, Case{tooLong.c_str(), "svg", 8}, Case{nullptr, "png", 8}})
		{
			std::string out;
			std::string err;
			CPPUNIT_ASSERT_EQUAL(hostsdk_status(HOSTSDK_E_INVALID), callHost(c.text, c.format, c.size, out, err));
			CPPUNIT_ASSERT(out.empty());
			CPPUNIT_ASSERT(!err.empty());
		}
		std::string out;
		std::string err;
		callHost("x", "gif", 8, out, err);
		CPPUNIT_ASSERT(err.find("png or svg") != std::string::npos);
		err.clear();
		callHost("x", "png", 1, out, err);
		CPPUNIT_ASSERT(err.find("size") != std::string::npos);
	}

private:
	template <typename F> static void assertRefused(const std::string& field, F&& render)
	{
		try
		{
			render();
		}
		catch (const ValidationError& e)
		{
			CPPUNIT_ASSERT_EQUAL(field, e.field());
			CPPUNIT_ASSERT_EQUAL(ValidationError::VALIDATION_FAILED, e.code());
			return;
		}
		CPPUNIT_FAIL("no ValidationError for field " + field);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(QrImageTest);
