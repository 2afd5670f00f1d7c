#include "StaticRoutes.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/RegularExpression.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace RefHost
{

namespace
{

std::string contentTypeFor(const std::string& path)
{
	std::string ext = Poco::toLower(Poco::Path(path).getExtension());
	if (ext == "html") return "text/html; charset=utf-8";
	if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
	if (ext == "css") return "text/css; charset=utf-8";
	if (ext == "json") return "application/json; charset=utf-8";
	if (ext == "svg") return "image/svg+xml";
	if (ext == "png") return "image/png";
	if (ext == "ico") return "image/x-icon";
	if (ext == "woff2") return "font/woff2";
	return "application/octet-stream";
}

} // namespace

void StaticRoutes::health(RouteRequest& request)
{
	bool db = request.ctx.db->ping();
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("status", db ? "ok" : "degraded");
	o->set("db", db ? "ok" : "down");
	if (!db)
	{
		// The error shape of every other 503, beside the health fields.
		Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
		error->set("code", "unavailable");
		error->set("message", "the database is not available");
		o->set("error", error);
	}
	request.ex.sendJson(db ? 200 : 503, o);
}

bool StaticRoutes::file(RouteRequest& request)
{
	Exchange& ex = request.ex;
	const std::string& path = ex.path();
	if (ex.method() != "GET" && ex.method() != "HEAD") return false;
	std::string root, rel;
	if (path == "/" || path == "/index.html")
	{
		root = request.ctx.webRoot;
		rel = "index.html";
	}
	else if (path.compare(0, 8, "/assets/") == 0)
	{
		root = request.ctx.webRoot;
		rel = path.substr(8);
	}
	else
	{
		std::vector<std::string> segs = PluginManager::splitPath(path);
		if (segs.size() >= 4 && segs[0] == "plugins" && segs[2] == "web")
		{
			root = request.ctx.resourcesRoot + "/web/" + segs[1];
			rel = path.substr(std::string("/plugins/" + segs[1] + "/web/").size());
		}
		else
		{
			return false;
		}
	}
	static const Poco::RegularExpression safe("^[A-Za-z0-9_-][A-Za-z0-9._/-]*$");
	if (!safe.match(rel) || rel.find("..") != std::string::npos || rel.find("//") != std::string::npos)
		throw HttpError(404, "not_found", "not found");
	Poco::Path file(root + "/" + rel);
	Poco::File f(file);
	if (!f.exists() || !f.isFile()) throw HttpError(404, "not_found", "not found");
	Poco::FileInputStream in(file.toString());
	std::string data;
	Poco::StreamCopier::copyToString(in, data);
	std::string type = contentTypeFor(rel);
	if (rel == "index.html")
		ex.response().set(
			"Content-Security-Policy",
			"default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; object-src 'none'; "
			"base-uri 'none'; frame-ancestors 'none'");
	ex.response().set("Cache-Control", "no-cache");
	ex.send(200, type, data);
	request.route = "static";
	return true;
}

} // namespace RefHost
