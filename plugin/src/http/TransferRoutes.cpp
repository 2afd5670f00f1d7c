#include "http/TransferRoutes.h"

#include "http/RouteSupport.h"

#include "domain/ValidationError.h"
#include "http/ContactJson.h"
#include "http/HttpError.h"
#include "http/QueryString.h"
#include <Poco/JSON/Array.h>

namespace ExternalContacts
{

namespace
{

// A whole number of the body as an id; one past INT64_MAX (parsed as an
// unsigned) is refused like any other non-id.
Poco::Int64 idOf(const Poco::Dynamic::Var& value, const std::string& field, const std::string& message)
{
	if (value.isEmpty() || !value.isInteger() || value.isBoolean()) throw ValidationError::failed(field, message);
	try
	{
		return value.convert<Poco::Int64>();
	}
	catch (const Poco::RangeException&)
	{
		throw ValidationError::failed(field, message);
	}
}

// A member id in the body: a whole number (not a bool, not text).
Poco::Int64 memberId(const Poco::JSON::Object& body, const std::string& field)
{
	return idOf(body.get(field), field, field + " must be a member id");
}

TransferService::Request requestOf(const Poco::JSON::Object& body)
{
	TransferService::Request request;
	request.fromUserId = memberId(body, "fromUserId");
	request.toUserId = memberId(body, "toUserId");
	Poco::Dynamic::Var ids = body.get("contactIds");
	if (!ids.isEmpty())
	{
		if (ids.type() != typeid(Poco::JSON::Array::Ptr))
			throw ValidationError::failed("contactIds", "contactIds must be an array of contact ids");
		Poco::JSON::Array::Ptr array = ids.extract<Poco::JSON::Array::Ptr>();
		if (array->size() > TransferService::SELECTION_MAX)
			throw ValidationError::failed("contactIds", "contactIds must hold 1 to " +
															std::to_string(TransferService::SELECTION_MAX) +
															" contact ids");
		std::vector<Poco::Int64> list;
		for (std::size_t i = 0; i < array->size(); ++i)
		{
			list.push_back(idOf(array->get(static_cast<unsigned>(i)), "contactIds", "contactIds must be contact ids"));
		}
		request.contactIds = std::move(list);
	}
	Poco::Dynamic::Var all = body.get("all");
	if (!all.isEmpty())
	{
		if (!all.isBoolean()) throw ValidationError::failed("all", "all must be true or false");
		request.all = all.convert<bool>();
	}
	return request;
}

} // namespace

TransferRoutes::TransferRoutes(TransferService& service, TransferWorker& worker, const ErrorResponder& responder) :
	_service(service), _worker(worker), _table(*this, responder)
{
}

void TransferRoutes::registerWith(const HostSdk::HostApi& host)
{
	_table.add("POST", "/transfers", &TransferRoutes::create);
	_table.add("GET", "/transfers", &TransferRoutes::list);
	_table.add("GET", "/transfers/contacts", &TransferRoutes::candidates);
	_table.add("GET", "/transfers/{id}", &TransferRoutes::get);
	_table.registerWith(host);
}

Poco::JSON::Object::Ptr TransferRoutes::toJson(const TransferService::Item& item)
{
	const Transfer& t = item.transfer;
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	o->set("id", t.id);
	o->set("status", Transfer::statusName(t.status));
	o->set("all", t.all);
	o->set("total", t.total);
	o->set("done", t.done);
	o->set("skipped", t.skipped);
	o->set("fromUserId", t.fromUserId);
	o->set("toUserId", t.toUserId);
	o->set("from", ContactJson::person(item.from));
	o->set("to", ContactJson::person(item.to));
	o->set("createdBy", ContactJson::person(item.by));
	o->set("createdAt", t.createdAt);
	o->set("finishedAt", t.finishedAt ? Poco::Dynamic::Var(*t.finishedAt) : Poco::Dynamic::Var());
	o->set("error", t.error ? Poco::Dynamic::Var(*t.error) : Poco::Dynamic::Var());
	return o;
}

void TransferRoutes::create(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::JSON::Object::Ptr body = RouteSupport::body(request);
	TransferService::Item item = _service.start(actor, requestOf(*body), RouteSupport::remoteAddr(request));
	_worker.enqueue(item.transfer.id);
	Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	out->set("transfer", toJson(item));
	RouteSupport::sendJson(response, 202, ContactJson::toString(out));
}

void TransferRoutes::get(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	Poco::Int64 id = RouteSupport::pathId(request);
	std::optional<TransferService::Item> item = _service.get(actor, id);
	if (!item) throw HttpError::notFound();
	// A transfer whose node died is taken up again when someone looks.
	if (_service.needsPickUp(item->transfer)) _worker.enqueue(id);
	Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	out->set("transfer", toJson(*item));
	RouteSupport::sendJson(response, 200, ContactJson::toString(out));
}

void TransferRoutes::list(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	std::optional<long long> cursor = query.idCursor();
	TransferService::Page page =
		_service.list(actor, cursor ? std::optional<Poco::Int64>(*cursor) : std::nullopt, query.limit(20));
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const TransferService::Item& item : page.items)
		items->add(toJson(item));
	Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	out->set("items", items);
	out->set("nextCursor",
			 page.nextCursor ? Poco::Dynamic::Var(std::to_string(*page.nextCursor)) : Poco::Dynamic::Var());
	RouteSupport::sendJson(response, 200, ContactJson::toString(out));
}

void TransferRoutes::candidates(const HostSdk::Request& request, const HostSdk::Response& response)
{
	Actor actor = RouteSupport::member(request);
	QueryString query(request.query());
	std::optional<Poco::Int64> from = query.wholeNumber("fromUserId");
	if (!from) throw ValidationError::failed("fromUserId", "fromUserId must be a member id");
	std::optional<long long> cursor = query.idCursor();
	TransferService::Candidates page =
		_service.candidates(actor, *from, cursor ? std::optional<Poco::Int64>(*cursor) : std::nullopt, query.limit(50));
	Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
	for (const TransferStore::Held& held : page.items)
	{
		Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		o->set("id", held.id);
		o->set("name", held.name);
		o->set("company", held.company.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(held.company));
		items->add(o);
	}
	Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	out->set("items", items);
	out->set("total", page.total);
	out->set("nextCursor",
			 page.nextCursor ? Poco::Dynamic::Var(std::to_string(*page.nextCursor)) : Poco::Dynamic::Var());
	RouteSupport::sendJson(response, 200, ContactJson::toString(out));
}

} // namespace ExternalContacts
