#pragma once

#include "domain/AccountApplication.h"
#include "domain/ApplicationFilter.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "store/SqlStatement.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class ApplicationStore
/// ec_account_applications and ec_contact_accounts. Every method works in
/// the session it is given, so the service decides the transaction.
{
public:
	explicit ApplicationStore(Database& database);

	std::optional<Poco::Int64> pendingOf(Poco::Data::Session& session, Poco::Int64 contactId);
	/// The id of the contact's pending application, if any.

	Poco::Int64 insert(Poco::Data::Session& session, const AccountApplication& application);
	/// Stores a pending application (its id, status and decision are
	/// ignored). The unique key on pending_contact_id refuses a second
	/// pending one for the contact (the database throws).

	bool decide(Poco::Data::Session& session, Poco::Int64 id, AccountApplication::Status status, Poco::Int64 decidedBy,
				Poco::Int64 at, const std::optional<std::string>& comment);
	/// The one conditional UPDATE that settles an application: only while it
	/// is pending. False when someone decided it first: nothing changed.

	void reopen(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 contactId);
	/// Back to pending (after an approval whose account could not be made).

	std::optional<AccountApplication> find(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id);
	/// The application with id in org.

	std::vector<AccountApplication> ofContact(Poco::Data::Session& session, Poco::Int64 contactId, std::size_t limit);
	/// The contact's applications, newest first.

	struct Account
	{
		Poco::Int64 contactId = 0;
		std::optional<Poco::Int64> userId;
		std::optional<std::string> login;
		std::string status; /// creating | pending | active | disabled
		std::optional<Poco::Int64> applicationId;
	};

	std::optional<Account> accountOf(Poco::Data::Session& session, Poco::Int64 contactId);

	struct LogRow
	{
		AccountApplication application;
		std::string contactName;
	};

	std::vector<LogRow> log(Poco::Data::Session& session, Poco::Int64 orgId, const ApplicationFilter& filter,
							const std::optional<ApplicationLogKey>& after, std::size_t limit);
	/// Up to limit applications of the org that pass filter, newest first
	/// (submitted_at, id descending), after the given entry; read along
	/// ix_ec_account_applications_status (with a status) or _org.

	void reserveAccount(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
						std::optional<Poco::Int64> applicationId, Poco::Int64 by, Poco::Int64 at);
	/// The contact's account row in state "creating"; the primary key
	/// refuses a second account (the database throws).

	void completeAccount(Poco::Data::Session& session, Poco::Int64 contactId, Poco::Int64 userId,
						 const std::string& login, Poco::Int64 at);
	/// The host made the user: state "pending" (waiting for activation).

	void dropReservation(Poco::Data::Session& session, Poco::Int64 contactId);
	/// Removes a row still in state "creating".

	void setAccountStatus(Poco::Data::Session& session, Poco::Int64 contactId, const std::string& status,
						  Poco::Int64 at);
	/// The account row's state as the plugin last set it (e.g. "disabled").

	SqlStatement logSql(Poco::Int64 orgId, const ApplicationFilter& filter,
						const std::optional<ApplicationLogKey>& after, std::size_t limit) const;
	/// The statement of log(), built and not run (for its plan).

private:
	AccountApplication readRow(const class Poco::Data::RecordSet& rows, std::size_t row) const;
	Database& _database;
};

} // namespace ExternalContacts
