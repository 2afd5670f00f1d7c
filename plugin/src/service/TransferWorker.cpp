#include "service/TransferWorker.h"

#include <Poco/Exception.h>
#include <chrono>

namespace ExternalContacts
{

TransferWorker::TransferWorker(TransferService& service, Logger logError, long sweepMs) :
	_service(service), _logError(std::move(logError)), _sweepMs(sweepMs)
{
}

TransferWorker::~TransferWorker()
{
	stop();
}

void TransferWorker::start()
{
	if (_thread.joinable()) return;
	_stop = false;
	_thread = std::thread([this] { loop(); });
}

void TransferWorker::enqueue(Poco::Int64 transferId)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (!_queued.insert(transferId).second) return;
		_queue.push_back(transferId);
	}
	_wake.notify_one();
}

void TransferWorker::stop()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_stop = true;
	}
	_wake.notify_all();
	if (_thread.joinable()) _thread.join();
}

void TransferWorker::loop()
{
	auto log = [this](Poco::Int64 id, const std::string& what)
	{
		try
		{
			if (_logError) _logError("transfer " + std::to_string(id) + ": " + what);
		}
		catch (...)
		{
		}
	};
	for (;;)
	{
		Poco::Int64 id = 0;
		bool sweep = false;
		{
			std::unique_lock<std::mutex> lock(_mutex);
			_wake.wait_for(lock, std::chrono::milliseconds(_sweepMs),
						   [this] { return _stop.load() || !_queue.empty() || _sweepDue; });
			if (_stop) return;
			if (!_queue.empty())
			{
				id = _queue.front();
				_queue.pop_front();
				_queued.erase(id);
			}
			else
			{
				// Woken by the clock (or the first time): look for orphans.
				sweep = true;
				_sweepDue = false;
			}
		}
		if (sweep)
		{
			try
			{
				for (Poco::Int64 stale : _service.stale())
					enqueue(stale);
			}
			catch (const std::exception& e)
			{
				log(0, std::string("looking for transfers to take up failed: ") + e.what());
			}
			continue;
		}
		try
		{
			_service.run(id, &_stop);
		}
		catch (const Poco::Exception& e)
		{
			log(id, e.displayText());
		}
		catch (const std::exception& e)
		{
			log(id, e.what());
		}
		catch (...)
		{
			log(id, "unknown exception");
		}
	}
}

} // namespace ExternalContacts
