-- Host core: accounts, organizations, memberships, permissions, sessions,
-- login throttling, notifications and the outbound channel.
CREATE TABLE users (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- lower-case ASCII, compared byte for byte (no accent or width folding)
	login VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	display_name VARCHAR(100) NOT NULL,
	password_hash VARCHAR(255) NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'active',
	email VARCHAR(254) NOT NULL DEFAULT '',
	mobile VARCHAR(32) NOT NULL DEFAULT '',
	title VARCHAR(100) NOT NULL DEFAULT '',
	locale VARCHAR(8) NOT NULL DEFAULT 'zh-CN',
	discoverable TINYINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	UNIQUE KEY users_login (login),
	CONSTRAINT users_status CHECK (status IN ('active', 'pending', 'disabled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE orgs (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(100) NOT NULL,
	default_security_level INT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	UNIQUE KEY orgs_name (name),
	CONSTRAINT orgs_default_security_level CHECK (default_security_level BETWEEN -999 AND 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE memberships (
	org_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	kind VARCHAR(16) NOT NULL,
	is_admin TINYINT NOT NULL DEFAULT 0,
	security_level INT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (org_id, user_id),
	KEY memberships_user (user_id, org_id),
	CONSTRAINT memberships_kind CHECK (kind IN ('member', 'external')),
	CONSTRAINT memberships_org FOREIGN KEY (org_id) REFERENCES orgs (id),
	CONSTRAINT memberships_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE member_permissions (
	org_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	permission VARCHAR(64) NOT NULL,
	PRIMARY KEY (org_id, user_id, permission),
	KEY member_permissions_perm (org_id, permission, user_id),
	CONSTRAINT member_permissions_membership FOREIGN KEY (org_id, user_id)
		REFERENCES memberships (org_id, user_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE sessions (
	id_hash CHAR(64) NOT NULL PRIMARY KEY,
	user_id BIGINT NOT NULL,
	org_id BIGINT NOT NULL,
	csrf_token CHAR(64) NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	remote_addr VARCHAR(64) NOT NULL DEFAULT '',
	KEY sessions_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Login throttling: one counter per key ("login:<name>", "addr:<ip>") in a
-- fixed window; attempts are reserved by a conditional UPDATE so concurrent
-- guesses cannot overrun the limit.
CREATE TABLE login_throttle (
	throttle_key VARCHAR(200) NOT NULL PRIMARY KEY,
	window_start BIGINT NOT NULL,
	failures INT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE notifications (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	org_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	plugin_id VARCHAR(64) NOT NULL,
	type VARCHAR(64) NOT NULL,
	title_json TEXT NOT NULL,
	body_json TEXT NOT NULL,
	actions_json TEXT NOT NULL,
	group_key VARCHAR(128) NOT NULL DEFAULT '',
	state VARCHAR(16) NOT NULL DEFAULT 'unread',
	outcome_json TEXT NULL,
	created_at BIGINT NOT NULL,
	read_at BIGINT NULL,
	KEY notifications_user (user_id, id),
	KEY notifications_unread (user_id, state),
	KEY notifications_group (plugin_id, group_key),
	CONSTRAINT notifications_state CHECK (state IN ('unread', 'read', 'handled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE outbox (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	plugin_id VARCHAR(64) NOT NULL,
	channel VARCHAR(16) NOT NULL,
	recipient VARCHAR(254) NOT NULL,
	template VARCHAR(64) NOT NULL,
	params_json TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	sent_at BIGINT NULL,
	CONSTRAINT outbox_channel CHECK (channel IN ('email', 'sms'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
