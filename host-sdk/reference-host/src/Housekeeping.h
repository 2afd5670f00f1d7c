#pragma once

#include "Database.h"
#include "SessionManager.h"
#include <Poco/Logger.h>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace RefHost
{

class Housekeeping
/// Deletes what the host's tables would otherwise keep forever (issue 14):
/// sessions past their absolute expiry and login_throttle rows no rule
/// reads any more (an attacker spraying logins from many addresses leaves
/// one row per login and address). Deletes run in batches of batchSize
/// rows, each its own short statement on an index (host migration 006),
/// so a sweep never holds a lock on a whole table.
///
/// Every node sharing a database may sweep: the deletes are idempotent
/// (a row two nodes both pick goes once; the other's count is just
/// smaller), so no node has to be elected for it.
{
public:
	struct Counts
	{
		int sessions = 0;     // expired sessions deleted
		int throttleRows = 0; // stale login_throttle rows deleted
	};

	static constexpr int BATCH_SIZE = 500;

	Housekeeping(Database& db, const SessionManager::Settings& settings, int batchSize = BATCH_SIZE);
	~Housekeeping();

	Counts sweep(Poco::Int64 nowMs);
	/// One sweep at nowMs (milliseconds since the epoch, as the host
	/// stores them).

	Poco::Int64 throttleCutoff(Poco::Int64 nowMs) const;
	/// login_throttle rows with window_start below this go.

	void start(int intervalSeconds, int firstDelayMs = 10000);
	/// Sweeps on a thread of its own, firstDelayMs after the start and then
	/// every intervalSeconds; nothing when intervalSeconds is 0. A failed
	/// sweep (the database away, say) is logged and the next one comes as
	/// planned.

	void stop();
	/// Wakes and joins the thread; a sweep in progress ends after its
	/// current batch.

	static std::string sessionsDeleteSql(Database::Dialect dialect, int batchSize);
	static std::string throttleDeleteSql(Database::Dialect dialect, int batchSize);
	/// The batch statements, one '?' for the cutoff (tests read their plans).

private:
	int deleteInBatches(const std::string& sql, Poco::Int64 cutoff);
	void loop(int intervalSeconds, int firstDelayMs);

	Database& _db;
	SessionManager::Settings _settings;
	int _batchSize;
	Poco::Logger& _log;
	std::mutex _mutex;
	std::condition_variable _wake;
	bool _stopping = false;
	std::thread _thread;
};

} // namespace RefHost
