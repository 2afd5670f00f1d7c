#pragma once

#include "domain/Exceptions.h"
#include <Poco/Types.h>
#include <optional>
#include <string>

namespace ExternalContacts
{

struct Transfer
/// 在职继承 (issue 13): contacts of one member (the giver) given to another
/// (the receiver) while both stay in the org, a chosen set or all of
/// them, moved in batches by whichever node holds the job's lease.
{
	enum class Status
	{
		Running,
		Done,
		Failed
	};

	static constexpr std::size_t ERROR_MAX = 500; /// bytes of `error` kept (the column's size)

	Poco::Int64 id = 0;
	Poco::Int64 orgId = 0;
	Poco::Int64 fromUserId = 0;
	Poco::Int64 toUserId = 0;
	Poco::Int64 createdBy = 0;
	Poco::Int64 createdAt = 0;
	std::optional<Poco::Int64> finishedAt;
	Status status = Status::Running;
	bool all = false;                 /// every contact of the giver up to maxId, else the chosen ids
	Poco::Int64 maxId = 0;            /// all: the giver's highest contact id when the transfer was made
	Poco::Int64 total = 0;            /// contacts to move, counted when the transfer was made
	Poco::Int64 done = 0;             /// contacts moved so far
	Poco::Int64 skipped = 0;          /// contacts not moved: deleted or given away meanwhile
	Poco::Int64 cursorId = 0;         /// the last contact id dealt with
	std::optional<std::string> error; /// why it failed
	std::string remoteAddr;
	Poco::Int64 leaseUntil = 0; /// until when the node working on it holds it

	static const char* statusName(Status status)
	{
		switch (status)
		{
		case Status::Running:
			return "running";
		case Status::Done:
			return "done";
		default:
			return "failed";
		}
	}

	static Status statusOf(const std::string& name)
	{
		if (name == "running") return Status::Running;
		if (name == "done") return Status::Done;
		return Status::Failed;
	}
};

class TransferRunningException : public ContactsException
/// The giver has a transfer that is still running (answers 409
/// "transfer_running"): one at a time per giver.
{
public:
	explicit TransferRunningException(Poco::Int64 runningId) :
		ContactsException(Outcome::Conflict, "transfer_running",
						  "a transfer of this member's contacts is still running"),
		runningId(runningId)
	{
	}

	Poco::Int64 runningId;
};

} // namespace ExternalContacts
