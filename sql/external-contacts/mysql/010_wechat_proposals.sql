-- WeChat identities proposed for an existing contact (security review,
-- issue 14, finding 3). A visitor who answers an invitation with a mobile
-- the inviter already has does not bind their WeChat to that contact: it is
-- kept here until someone who may edit the contact confirms it (确认绑定)
-- or drops it (忽略), and it lapses at expires_at (7 days).
--
-- pending_contact is the contact id while the proposal is pending and NULL
-- once it is settled: the unique key allows one pending proposal per
-- contact (NULLs are distinct), so a newer one first settles the older one
-- as 'replaced'. openid / unionid are never shown or audited, and a settled
-- proposal keeps neither (nor nickname / avatar_url): it was not bound, or
-- it was copied to ec_contact_wechat; only a pending one holds openid.
CREATE TABLE IF NOT EXISTS ec_wechat_proposals (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	org_id BIGINT NOT NULL,
	contact_id BIGINT NOT NULL,
	invitation_id BIGINT NOT NULL,
	inviter_id BIGINT NOT NULL,
	openid VARCHAR(128) NULL,
	unionid VARCHAR(128) NULL,
	nickname VARCHAR(200) NOT NULL DEFAULT '',
	avatar_url VARCHAR(1000) NOT NULL DEFAULT '',
	proposed_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'pending',
	decided_at BIGINT NULL,
	decided_by BIGINT NULL,
	pending_contact BIGINT NULL,
	CONSTRAINT ck_ec_wechat_proposals_status
		CHECK (status IN ('pending', 'confirmed', 'ignored', 'replaced', 'expired')),
	CONSTRAINT ck_ec_wechat_proposals_pending CHECK ((status = 'pending') = (pending_contact IS NOT NULL)),
	CONSTRAINT ck_ec_wechat_proposals_openid CHECK (status <> 'pending' OR openid IS NOT NULL),
	UNIQUE KEY ux_ec_wechat_proposals_pending (pending_contact),
	KEY ix_ec_wechat_proposals_contact (contact_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
