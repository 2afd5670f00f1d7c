#pragma once

#include "service/TransferService.h"
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace ExternalContacts
{

class TransferWorker
/// The thread that runs transfers (在职继承) off the request threads: the
/// ones the routes hand it, and every SWEEP_MS the running ones nobody
/// holds (their node died or stopped), so a transfer is taken up again
/// after a crash. One transfer at a time; the plugin starts it on activate
/// and stops it on deactivate.
{
public:
	using Logger = std::function<void(const std::string& message)>;

	static constexpr long SWEEP_MS = 10000;

	TransferWorker(TransferService& service, Logger logError, long sweepMs = SWEEP_MS);
	~TransferWorker();

	void start();
	/// Starts the thread, which first looks for transfers to take up.

	void enqueue(Poco::Int64 transferId);
	/// Runs the transfer soon (nothing when it is queued already).

	void stop();
	/// Stops the thread and waits for it: a transfer in progress stops
	/// after its current batch and gives its lease back for the next node.

private:
	void loop();

	TransferService& _service;
	Logger _logError;
	long _sweepMs;
	std::mutex _mutex;
	std::condition_variable _wake;
	std::deque<Poco::Int64> _queue;
	std::set<Poco::Int64> _queued;
	bool _sweepDue = true;
	std::atomic<bool> _stop{false};
	std::thread _thread;
};

} // namespace ExternalContacts
