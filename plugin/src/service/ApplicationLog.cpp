#include "service/ApplicationLog.h"

#include "domain/AccessPolicy.h"
#include "domain/Exceptions.h"
#include "domain/TimeCursor.h"
#include "domain/Utf8Text.h"
#include "domain/ValidationError.h"

namespace ExternalContacts
{

ApplicationLog::ApplicationLog(ServiceContext& context) : _context(context), _store(context.database) {}

void ApplicationLog::requireLogReader(const Actor& actor, const ApplicationFilter& filter)
{
	if (!AccessPolicy::mayManageAccount(actor, _context.access.holdsMaintain(actor)))
		throw AccessDeniedException("only admins and maintain-holders may read the application log");
	if (filter.keyword.size() > 200 || Utf8Text::length(filter.keyword) > 50)
		throw ValidationError::failed("q", "q may have at most 50 characters");
	if (filter.from && filter.to && *filter.to <= *filter.from)
		throw ValidationError::failed("to", "to must be after from");
}

std::string ApplicationLog::encodeLogCursor(const ApplicationLogKey& key)
{
	return TimeCursor{key.submittedAt, key.id}.encode();
}

ApplicationLogKey ApplicationLog::decodeLogCursor(const std::string& cursor)
{
	TimeCursor position = TimeCursor::decode(cursor, "cursor is not one this list handed out");
	return {position.at, position.id};
}

ApplicationLog::LogPage ApplicationLog::log(const Actor& actor, const ApplicationFilter& filter,
											const std::string& cursor, std::size_t limit)
{
	requireLogReader(actor, filter);
	if (limit < 1 || limit > LOG_LIMIT_MAX)
		throw ValidationError::failed("limit", "limit must be an integer from 1 to " + std::to_string(LOG_LIMIT_MAX));
	std::optional<ApplicationLogKey> after;
	if (!cursor.empty()) after = decodeLogCursor(cursor);
	LogPage page;
	{
		Poco::Data::Session s = _context.database.session();
		page.items = _store.log(s, actor.orgId, filter, after, limit + 1);
	}
	if (page.items.size() > limit)
	{
		page.items.resize(limit);
		const AccountApplication& last = page.items.back().application;
		page.nextCursor = encodeLogCursor({last.submittedAt, last.id});
	}
	return page;
}

std::vector<ApplicationStore::LogRow> ApplicationLog::exportLog(const Actor& actor, const ApplicationFilter& filter,
																bool& truncated)
{
	requireLogReader(actor, filter);
	constexpr std::size_t BATCH = 500;
	std::vector<ApplicationStore::LogRow> rows;
	std::optional<ApplicationLogKey> after;
	truncated = false;
	for (;;)
	{
		std::vector<ApplicationStore::LogRow> batch;
		{
			Poco::Data::Session s = _context.database.session();
			batch = _store.log(s, actor.orgId, filter, after, BATCH);
		}
		for (ApplicationStore::LogRow& row : batch)
		{
			if (rows.size() == EXPORT_MAX)
			{
				truncated = true;
				return rows;
			}
			rows.push_back(std::move(row));
		}
		if (batch.size() < BATCH) return rows;
		const AccountApplication& last = rows.back().application;
		after = ApplicationLogKey{last.submittedAt, last.id};
	}
}

} // namespace ExternalContacts
