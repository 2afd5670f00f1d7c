-- Invitations of WeChat friends (R4): links, their uses, WeChat web
-- authorization, and the rate-limit counters they share.
--
-- A link's token is never stored: token_hash is the hex SHA-256 of it.
-- uses only grows through one conditional UPDATE (uses < max_uses), so the
-- use limit holds under concurrent submissions.
CREATE TABLE IF NOT EXISTS ec_invitations (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	org_id BIGINT NOT NULL,
	created_by BIGINT NOT NULL,
	token_hash CHAR(64) NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	ttl_hours INT NOT NULL,
	max_uses INT NULL,
	uses INT NOT NULL DEFAULT 0,
	revoked_at BIGINT NULL,
	revoked_by BIGINT NULL,
	last_used_at BIGINT NULL,
	CONSTRAINT ck_ec_invitations_uses CHECK (max_uses IS NULL OR uses <= max_uses),
	UNIQUE KEY ux_ec_invitations_token (token_hash),
	-- "My links", newest first (keyset on id).
	KEY ix_ec_invitations_creator (org_id, created_by, id),
	-- A member's links that have not expired (the active-link cap).
	KEY ix_ec_invitations_creator_expiry (org_id, created_by, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Fixed-window counters: one row per bucket and window, grown by a
-- conditional UPDATE (hits < limit), so a limit holds across threads and
-- host nodes.
CREATE TABLE IF NOT EXISTS ec_rate_counters (
	bucket VARCHAR(160) NOT NULL,
	window_start BIGINT NOT NULL,
	hits INT NOT NULL DEFAULT 0,
	PRIMARY KEY (bucket, window_start),
	KEY ix_ec_rate_counters_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One WeChat web authorization, of a landing page (invitation_id) or of a
-- user binding WeChat in personal settings (user_id): the state sent to
-- WeChat (hashed), then the profile WeChat returned, referred to by the form
-- through a second secret (profile_hash), consumed when the form is sent.
CREATE TABLE IF NOT EXISTS ec_wechat_authorizations (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	invitation_id BIGINT NULL,
	user_id BIGINT NULL,
	state_hash CHAR(64) NOT NULL,
	browser_hash CHAR(64) NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	returned_at BIGINT NULL,
	profile_hash CHAR(64) NULL,
	openid VARCHAR(128) NULL,
	unionid VARCHAR(128) NULL,
	nickname VARCHAR(200) NULL,
	avatar_url VARCHAR(1000) NULL,
	consumed_at BIGINT NULL,
	UNIQUE KEY ux_ec_wechat_authorizations_state (state_hash),
	UNIQUE KEY ux_ec_wechat_authorizations_profile (profile_hash),
	KEY ix_ec_wechat_authorizations_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The WeChat identity bound to a contact (R4.3).
CREATE TABLE IF NOT EXISTS ec_contact_wechat (
	contact_id BIGINT NOT NULL PRIMARY KEY,
	org_id BIGINT NOT NULL,
	openid VARCHAR(128) NOT NULL,
	unionid VARCHAR(128) NULL,
	nickname VARCHAR(200) NOT NULL DEFAULT '',
	avatar_url VARCHAR(1000) NOT NULL DEFAULT '',
	bound_at BIGINT NOT NULL,
	KEY ix_ec_contact_wechat_openid (org_id, openid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The WeChat a user bound in personal settings (R7.3): one per user, and a
-- WeChat identity belongs to one user.
CREATE TABLE IF NOT EXISTS ec_user_wechat (
	user_id BIGINT NOT NULL PRIMARY KEY,
	openid VARCHAR(128) NOT NULL,
	unionid VARCHAR(128) NULL,
	nickname VARCHAR(200) NOT NULL DEFAULT '',
	avatar_url VARCHAR(1000) NOT NULL DEFAULT '',
	bound_at BIGINT NOT NULL,
	UNIQUE KEY ux_ec_user_wechat_openid (openid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
