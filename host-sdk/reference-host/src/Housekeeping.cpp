#include "Housekeeping.h"

#include "Secrets.h"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <algorithm>
#include <chrono>
#include <exception>

using namespace Poco::Data::Keywords;

namespace RefHost
{

Housekeeping::Housekeeping(Database& db, const SessionManager::Settings& settings, int batchSize) :
	_db(db), _settings(settings), _batchSize(std::max(batchSize, 1)), _log(Poco::Logger::get("Housekeeping"))
{
}

Housekeeping::~Housekeeping()
{
	stop();
}

std::string Housekeeping::sessionsDeleteSql(Database::Dialect dialect, int batchSize)
{
	// SQLite has no DELETE ... LIMIT (unless built with it): the batch is
	// picked by a subquery on the index and deleted by primary key.
	std::string n = std::to_string(batchSize);
	return dialect == Database::Dialect::SQLite
			   ? "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions WHERE expires_at < ? LIMIT " + n +
					 ")"
			   : "DELETE FROM sessions WHERE expires_at < ? LIMIT " + n;
}

std::string Housekeeping::throttleDeleteSql(Database::Dialect dialect, int batchSize)
{
	std::string n = std::to_string(batchSize);
	return dialect == Database::Dialect::SQLite
			   ? "DELETE FROM login_throttle WHERE throttle_key IN (SELECT throttle_key FROM login_throttle WHERE "
				 "window_start < ? LIMIT " +
					 n + ")"
			   : "DELETE FROM login_throttle WHERE window_start < ? LIMIT " + n;
}

Poco::Int64 Housekeeping::throttleCutoff(Poco::Int64 nowMs) const
{
	// Why a row below this cutoff can go without lifting any limit still in
	// force, per key kind (SessionManager.cpp; README, "Logins"). Deleting a
	// row must leave the next attempt where the row would have left it:
	// every writer starts with INSERT IGNORE, so a deleted row comes back
	// as (window_start = now, failures = 0), or (0, 0) for "next:".
	// - "pair:<login>|<addr>", "addr:<addr>", "pwcheck:<userId>": window_start
	//   is the start of a fixed window of failureWindowSeconds; the next
	//   attempt after it resets the row to (now, 0) itself. Older than the
	//   window is what a re-created row is.
	// - "login:<login>": window_start is the last checked guess; after a
	//   quiet backoffResetSeconds reserveCheck zeroes the count, so the back-
	//   off has lapsed and a re-created (now, 0) is the same (a failure from
	//   a known address applies the same reset before it counts).
	// - "next:<login>": window_start is the earliest time of the next checked
	//   guess in the back-off, at most backoffMaxSeconds ahead, or 0 when
	//   there was none. The step is taken when window_start <= now, so any
	//   window_start in the past - 0 included - acts as 0 does, which is what
	//   INSERT IGNORE re-creates. A step still ahead is never below the cutoff.
	// - "known:<login>|<addr>": window_start is the last success from the
	//   address; it is known while window_start > now - knownAddressSeconds.
	//   Older rows read as unknown already, as a missing row does (and
	//   rememberAddress deletes them as well, one login at a time).
	// The cutoff lies the longest of those spans back, so each kind is past
	// its own. A delete racing a login between its INSERT IGNORE and its
	// UPDATEs (a millisecond, on a row nobody used for the whole span) makes
	// the UPDATEs find no row: that one attempt is refused, or its guess goes
	// uncounted on a "login:" count that had lapsed anyway (it was a free
	// one); the next attempt re-creates the row. Nodes sharing the database
	// need one clock anyway (sessions expire by it); a skew shorter than the
	// spans' difference changes nothing.
	Poco::Int64 spanSeconds = std::max({static_cast<Poco::Int64>(_settings.knownAddressSeconds),
										static_cast<Poco::Int64>(_settings.failureWindowSeconds),
										static_cast<Poco::Int64>(_settings.backoffMaxSeconds),
										static_cast<Poco::Int64>(_settings.backoffResetSeconds), Poco::Int64(0)});
	return nowMs - spanSeconds * 1000;
}

int Housekeeping::deleteInBatches(const std::string& sql, Poco::Int64 cutoff)
{
	// Each batch is its own statement (and transaction), so logins and
	// requests wait for one batch at most, never for the whole sweep.
	int total = 0;
	Poco::Data::Session s = _db.session();
	for (;;)
	{
		Poco::Data::Statement st(s);
		st << sql, use(cutoff);
		int deleted = static_cast<int>(st.execute());
		total += deleted;
		if (deleted < _batchSize) break;
		std::lock_guard<std::mutex> lock(_mutex);
		if (_stopping) break;
	}
	return total;
}

Housekeeping::Counts Housekeeping::sweep(Poco::Int64 nowMs)
{
	// Sessions idle past idleSeconds but not yet past expires_at stay until
	// then (authenticate() deletes them when they are presented); expires_at
	// is at most absoluteSeconds after the login, so none stays longer.
	Counts counts;
	counts.sessions = deleteInBatches(sessionsDeleteSql(_db.dialect(), _batchSize), nowMs);
	counts.throttleRows = deleteInBatches(throttleDeleteSql(_db.dialect(), _batchSize), throttleCutoff(nowMs));
	return counts;
}

void Housekeeping::start(int intervalSeconds, int firstDelayMs)
{
	if (intervalSeconds <= 0 || _thread.joinable()) return;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_stopping = false;
	}
	_thread = std::thread([this, intervalSeconds, firstDelayMs] { loop(intervalSeconds, firstDelayMs); });
}

void Housekeeping::stop()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_stopping = true;
	}
	_wake.notify_all();
	if (_thread.joinable()) _thread.join();
}

void Housekeeping::loop(int intervalSeconds, int firstDelayMs)
{
	auto wait = std::chrono::milliseconds(std::max(firstDelayMs, 0));
	for (;;)
	{
		{
			std::unique_lock<std::mutex> lock(_mutex);
			if (_wake.wait_for(lock, wait, [this] { return _stopping; })) return;
		}
		wait = std::chrono::seconds(intervalSeconds);
		// Nothing may leave the thread (std::terminate): a failed sweep is
		// logged and the next one tries again.
		try
		{
			auto start = std::chrono::steady_clock::now();
			Counts c = sweep(Secrets::nowMs());
			auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
			if (c.sessions > 0 || c.throttleRows > 0)
				_log.information("%d expired session(s), %d stale login counter(s) deleted in %Ld ms", c.sessions,
								 c.throttleRows, static_cast<Poco::Int64>(ms.count()));
		}
		catch (const Poco::Exception& e)
		{
			_log.error("housekeeping sweep failed: %s", e.displayText());
		}
		catch (const std::exception& e)
		{
			_log.error("housekeeping sweep failed: %s", std::string(e.what()));
		}
		catch (...)
		{
			_log.error("housekeeping sweep failed");
		}
	}
}

} // namespace RefHost
