-- Host core: accounts, organizations, memberships, permissions, sessions,
-- login throttling, notifications and the outbound channel.
CREATE TABLE users (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	login VARCHAR(64) NOT NULL UNIQUE, -- lower-case ASCII, compared byte for byte
	display_name VARCHAR(100) NOT NULL,
	password_hash VARCHAR(255),
	status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'disabled')),
	email VARCHAR(254) NOT NULL DEFAULT '',
	mobile VARCHAR(32) NOT NULL DEFAULT '',
	title VARCHAR(100) NOT NULL DEFAULT '',
	locale VARCHAR(8) NOT NULL DEFAULT 'zh-CN',
	discoverable INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);
CREATE TABLE orgs (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name VARCHAR(100) NOT NULL UNIQUE,
	default_security_level INTEGER NOT NULL DEFAULT 0 CHECK (default_security_level BETWEEN -999 AND 0),
	created_at BIGINT NOT NULL
);
CREATE TABLE memberships (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	user_id BIGINT NOT NULL REFERENCES users(id),
	kind VARCHAR(16) NOT NULL CHECK (kind IN ('member', 'external')),
	is_admin INTEGER NOT NULL DEFAULT 0,
	security_level INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id, org_id);
CREATE TABLE member_permissions (
	org_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	permission VARCHAR(64) NOT NULL,
	PRIMARY KEY (org_id, user_id, permission),
	FOREIGN KEY (org_id, user_id) REFERENCES memberships(org_id, user_id) ON DELETE CASCADE
);
CREATE INDEX member_permissions_perm ON member_permissions (org_id, permission, user_id);
CREATE TABLE sessions (
	id_hash CHAR(64) NOT NULL PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id),
	org_id BIGINT NOT NULL,
	csrf_token CHAR(64) NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	remote_addr VARCHAR(64) NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
-- Login throttling: one counter per key ("login:<name>", "addr:<ip>") in a
-- fixed window; attempts are reserved by a conditional UPDATE so concurrent
-- guesses cannot overrun the limit.
CREATE TABLE login_throttle (
	throttle_key VARCHAR(200) NOT NULL PRIMARY KEY,
	window_start BIGINT NOT NULL,
	failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE notifications (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	plugin_id VARCHAR(64) NOT NULL,
	type VARCHAR(64) NOT NULL,
	title_json TEXT NOT NULL,
	body_json TEXT NOT NULL,
	actions_json TEXT NOT NULL,
	group_key VARCHAR(128) NOT NULL DEFAULT '',
	state VARCHAR(16) NOT NULL DEFAULT 'unread' CHECK (state IN ('unread', 'read', 'handled')),
	outcome_json TEXT,
	created_at BIGINT NOT NULL,
	read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, state);
CREATE INDEX notifications_group ON notifications (plugin_id, group_key);
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	plugin_id VARCHAR(64) NOT NULL,
	channel VARCHAR(16) NOT NULL CHECK (channel IN ('email', 'sms')),
	recipient VARCHAR(254) NOT NULL,
	template VARCHAR(64) NOT NULL,
	params_json TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	sent_at BIGINT
);
