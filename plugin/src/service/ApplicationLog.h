#pragma once

#include "domain/Actor.h"
#include "service/ServiceContext.h"
#include "store/ApplicationStore.h"
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ApplicationLog
/// The back office's log of account applications (R3.6, R6.5): the
/// applications of the org, filtered, newest first, page by page or as a
/// whole for the CSV export; for admins and maintain-holders. Thread-safe.
{
public:
	explicit ApplicationLog(ServiceContext& context);
	/// contacts outlives the log.

	struct LogPage
	/// A page of the back-office log (R3.6), newest first.
	{
		std::vector<ApplicationStore::LogRow> items;
		std::optional<std::string> nextCursor;
	};

	static constexpr std::size_t LOG_LIMIT_MAX = 100;
	static constexpr std::size_t EXPORT_MAX = 10000;

	LogPage log(const Actor& actor, const ApplicationFilter& filter, const std::string& cursor, std::size_t limit);
	/// For admins and maintain-holders (else AccessDeniedException).
	/// ValidationError naming "limit" (1..LOG_LIMIT_MAX), "cursor" (not one
	/// this log handed out), "q" (a keyword over 50 characters), or "to" (not
	/// after "from").

	std::vector<ApplicationStore::LogRow> exportLog(const Actor& actor, const ApplicationFilter& filter,
													bool& truncated);
	/// Every entry that passes filter, newest first, at most EXPORT_MAX
	/// (truncated says there were more); read page by page.

	static std::string encodeLogCursor(const ApplicationLogKey& key);
	/// "<submittedAt>.<id>".

	static ApplicationLogKey decodeLogCursor(const std::string& cursor);
	/// The key of encodeLogCursor(); throws ValidationError naming "cursor".

private:
	void requireLogReader(const Actor& actor, const ApplicationFilter& filter);

	ServiceContext& _context;
	ApplicationStore _store;
};

} // namespace ExternalContacts
