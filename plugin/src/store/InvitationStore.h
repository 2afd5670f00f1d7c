#pragma once

#include "domain/Contact.h"
#include "domain/Invitation.h"
#include "store/Database.h"
#include <Poco/Data/Session.h>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class InvitationStore
/// ec_invitations, ec_rate_counters, ec_wechat_authorizations and
/// ec_contact_wechat. Every method works in the session it is given, so the
/// service decides the transaction.
{
public:
	explicit InvitationStore(Database& database);

	Poco::Int64 insert(Poco::Data::Session& session, const Invitation& invitation);
	/// Stores a new link (id, uses, revocation and last use are ignored).

	std::optional<Invitation> find(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 id);
	/// The link with id in org.

	std::optional<Invitation> findByTokenHash(Poco::Data::Session& session, const std::string& tokenHash);
	/// The link whose token hashes to tokenHash (unique index).

	std::vector<Invitation> ofCreator(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 createdBy,
									  std::optional<Poco::Int64> beforeId, std::size_t limit);
	/// The member's links, newest first (id descending), below beforeId;
	/// read along ix_ec_invitations_creator.

	struct ActiveCount
	{
		std::size_t count = 0;
		Poco::Int64 earliestExpiry = 0; /// of the counted links; 0 when none
	};

	ActiveCount activeOf(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 createdBy, Poco::Int64 nowMs);
	/// The member's links that are active now (not revoked, not used up, not
	/// expired), walked along ix_ec_invitations_creator_expiry.

	bool revoke(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 by, Poco::Int64 at);
	/// Revokes the link unless it already is; false when it was.

	bool countUse(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 nowMs);
	/// The one conditional UPDATE that counts a use: only while the link is
	/// not revoked, not expired and below its use limit. False when another
	/// use or a revocation came first: nothing changed.

	void pruneAuthorizations(Poco::Data::Session& session, Poco::Int64 before);
	/// Drops WeChat authorizations that expired before `before`.

	struct WeChatAuthorization
	{
		Poco::Int64 id = 0;
		Poco::Int64 invitationId = 0; /// 0 for a user's binding
		Poco::Int64 userId = 0;       /// 0 for a landing page
		std::string browserHash;
		Poco::Int64 expiresAt = 0;
		std::optional<Poco::Int64> returnedAt;
		std::optional<Poco::Int64> consumedAt;
		std::string openid;
		std::string unionid;
		std::string nickname;
		std::string avatarUrl;
	};

	void insertAuthorization(Poco::Data::Session& session, Poco::Int64 invitationId, Poco::Int64 userId,
							 const std::string& stateHash, const std::string& browserHash, Poco::Int64 at,
							 Poco::Int64 expiresAt);
	/// An authorization for the landing page of invitationId, or (0 for it)
	/// for userId binding WeChat.

	std::optional<WeChatAuthorization> authorizationByState(Poco::Data::Session& session, const std::string& stateHash);

	std::optional<WeChatAuthorization> authorizationByProfile(Poco::Data::Session& session,
															  const std::string& profileHash);

	bool markReturned(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 at);
	/// The state came back from WeChat: only once, and only before it expires.

	void storeProfile(Poco::Data::Session& session, Poco::Int64 id, const std::string& profileHash,
					  const WeChatAuthorization& profile, Poco::Int64 expiresAt);
	/// Keeps what WeChat answered until expiresAt, under profileHash.

	bool consume(Poco::Data::Session& session, Poco::Int64 id, Poco::Int64 at);
	/// The form used the profile: only once.

	void bindContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId,
					 const WeChatIdentity& wechat);

	std::optional<WeChatIdentity> wechatOfUser(Poco::Data::Session& session, Poco::Int64 userId);

	static std::optional<WeChatIdentity> identityIn(Poco::Data::Session& session, const std::string& table,
													const std::string& keyColumn, Poco::Int64 key);
	/// The identity row of ec_contact_wechat (contact_id) or ec_user_wechat
	/// (user_id) with that key; table and column are never caller input.

	std::optional<Poco::Int64> userOfOpenid(Poco::Data::Session& session, const std::string& openid);
	/// The user who bound the WeChat identity openid, if any.

	void bindUser(Poco::Data::Session& session, Poco::Int64 userId, const WeChatIdentity& wechat);
	/// Binds (or re-binds) the user's WeChat; the unique openid refuses one
	/// identity for two users (the database throws).

	bool unbindUser(Poco::Data::Session& session, Poco::Int64 userId);
	/// Binds (or re-binds) the WeChat identity of the contact.

	bool unbindContact(Poco::Data::Session& session, Poco::Int64 orgId, Poco::Int64 contactId);
	/// Drops the WeChat identity bound to the contact of org (解除绑定);
	/// false when none was bound.

private:
	Invitation readRow(const Poco::Data::RecordSet& rows, std::size_t row) const;
	std::vector<Invitation> read(Poco::Data::Statement& statement) const;
	std::optional<WeChatAuthorization> authorizationWhere(Poco::Data::Session& session, const std::string& column,
														  const std::string& hash);

	Database& _database;
};

} // namespace ExternalContacts
