-- Invitations of WeChat friends (R4): links, their uses, WeChat web
-- authorization, and the rate-limit counters they share.
--
-- A link's token is never stored: token_hash is the hex SHA-256 of it.
-- uses only grows through one conditional UPDATE (uses < max_uses), so the
-- use limit holds under concurrent submissions.
CREATE TABLE IF NOT EXISTS ec_invitations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	ttl_hours INTEGER NOT NULL,
	max_uses INTEGER NULL,
	uses INTEGER NOT NULL DEFAULT 0,
	revoked_at INTEGER NULL,
	revoked_by INTEGER NULL,
	last_used_at INTEGER NULL,
	CHECK (max_uses IS NULL OR uses <= max_uses)
);
-- "My links", newest first (keyset on id).
CREATE INDEX IF NOT EXISTS ix_ec_invitations_creator ON ec_invitations (org_id, created_by, id);
-- A member's links that have not expired (the active-link cap).
CREATE INDEX IF NOT EXISTS ix_ec_invitations_creator_expiry ON ec_invitations (org_id, created_by, expires_at);

-- Fixed-window counters: one row per bucket and window, grown by a
-- conditional UPDATE (count < limit), so a limit holds across threads and
-- host nodes.
CREATE TABLE IF NOT EXISTS ec_rate_counters (
	bucket TEXT NOT NULL,
	window_start INTEGER NOT NULL,
	hits INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (bucket, window_start)
);
CREATE INDEX IF NOT EXISTS ix_ec_rate_counters_window ON ec_rate_counters (window_start);

-- One WeChat web authorization, of a landing page (invitation_id) or of a
-- user binding WeChat in personal settings (user_id): the state sent to
-- WeChat (hashed), then the profile WeChat returned, referred to by the form
-- through a second secret (profile_hash), consumed when the form is sent.
CREATE TABLE IF NOT EXISTS ec_wechat_authorizations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	invitation_id INTEGER NULL,
	user_id INTEGER NULL,
	state_hash TEXT NOT NULL UNIQUE,
	browser_hash TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	returned_at INTEGER NULL,
	profile_hash TEXT NULL UNIQUE,
	openid TEXT NULL,
	unionid TEXT NULL,
	nickname TEXT NULL,
	avatar_url TEXT NULL,
	consumed_at INTEGER NULL
);
CREATE INDEX IF NOT EXISTS ix_ec_wechat_authorizations_expiry ON ec_wechat_authorizations (expires_at);

-- The WeChat identity bound to a contact (R4.3).
CREATE TABLE IF NOT EXISTS ec_contact_wechat (
	contact_id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL,
	openid TEXT NOT NULL,
	unionid TEXT NULL,
	nickname TEXT NOT NULL DEFAULT '',
	avatar_url TEXT NOT NULL DEFAULT '',
	bound_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_ec_contact_wechat_openid ON ec_contact_wechat (org_id, openid);

-- The WeChat a user bound in personal settings (R7.3): one per user, and a
-- WeChat identity belongs to one user.
CREATE TABLE IF NOT EXISTS ec_user_wechat (
	user_id INTEGER PRIMARY KEY,
	openid TEXT NOT NULL UNIQUE,
	unionid TEXT NULL,
	nickname TEXT NOT NULL DEFAULT '',
	avatar_url TEXT NOT NULL DEFAULT '',
	bound_at INTEGER NOT NULL
);
