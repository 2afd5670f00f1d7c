-- WeChat identities proposed for an existing contact (security review,
-- issue 14, finding 3). A visitor who answers an invitation with a mobile
-- the inviter already has does not bind their WeChat to that contact: it is
-- kept here until someone who may edit the contact confirms it (确认绑定)
-- or drops it (忽略), and it lapses at expires_at (7 days).
--
-- pending_contact is the contact id while the proposal is pending and NULL
-- once it is settled: the unique index allows one pending proposal per
-- contact (NULLs are distinct), so a newer one first settles the older one
-- as 'replaced'. openid / unionid are never shown or audited, and a settled
-- proposal keeps neither (nor nickname / avatar_url): it was not bound, or
-- it was copied to ec_contact_wechat; only a pending one holds openid.
CREATE TABLE IF NOT EXISTS ec_wechat_proposals (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id INTEGER NOT NULL,
	contact_id INTEGER NOT NULL,
	invitation_id INTEGER NOT NULL,
	inviter_id INTEGER NOT NULL,
	openid TEXT NULL,
	unionid TEXT NULL,
	nickname TEXT NOT NULL DEFAULT '',
	avatar_url TEXT NOT NULL DEFAULT '',
	proposed_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'confirmed', 'ignored', 'replaced', 'expired')),
	decided_at INTEGER NULL,
	decided_by INTEGER NULL,
	pending_contact INTEGER NULL UNIQUE,
	CHECK ((status = 'pending') = (pending_contact IS NOT NULL)),
	CHECK (status <> 'pending' OR openid IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS ix_ec_wechat_proposals_contact ON ec_wechat_proposals (contact_id, id);
