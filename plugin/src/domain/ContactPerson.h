#pragma once

#include <Poco/Types.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct ContactPerson
/// Who a contact's person is at the host — the one answer to that question
/// (ContactPersons): nobody yet (a plain contact, also one joined by
/// invitation), a login the plugin opened for them in the contact's org
/// (申请开通 / 直接开通: ec_contact_accounts), or a member of another org who
/// logs in with their own account and is an external user of the contact's
/// org (从其他组织添加: ec_contact_links).
{
	enum class Kind
	{
		None,
		Account,
		Link
	};

	struct Account
	{
		std::optional<Poco::Int64> userId; /// none while the host is making it
		std::string status;                /// creating | pending | active | disabled (as last stored)
	};

	std::optional<Account> account;
	std::optional<Poco::Int64> linkedUserId; /// the person of another org

	Kind kind() const
	/// Link wins over an account (only old data can hold both: the second
	/// login this rule now refuses).
	{
		if (linkedUserId) return Kind::Link;
		if (account) return Kind::Account;
		return Kind::None;
	}

	bool hasOwnLogin() const
	/// The person already logs in with an account of their own: no account
	/// may be opened for them (PersonHasAccountException).
	{
		return linkedUserId.has_value();
	}

	std::vector<Poco::Int64> usersInOrg() const
	/// The host users whose membership of the contact's org follows the
	/// contact (its 安全级别): the account's user (in any state) and the
	/// linked person; none while an account is still being made.
	{
		std::vector<Poco::Int64> users;
		if (account && account->userId) users.push_back(*account->userId);
		if (linkedUserId) users.push_back(*linkedUserId);
		return users;
	}
};

} // namespace ExternalContacts
