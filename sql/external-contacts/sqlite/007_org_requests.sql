-- Contact requests to members of other organizations (R5): 从其他组织添加.
--
-- pending_key is "<requester>:<target>" while the request is pending and
-- NULL once it is settled: the unique index allows one pending request per
-- requester and person (NULLs are distinct), on SQLite and MariaDB alike.
CREATE TABLE IF NOT EXISTS ec_org_requests (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id INTEGER NOT NULL,
	requester_id INTEGER NOT NULL,
	target_user_id INTEGER NOT NULL,
	target_org_id INTEGER NOT NULL,
	target_name TEXT NOT NULL DEFAULT '',
	target_org_name TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired')),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	decided_at INTEGER NULL,
	contact_id INTEGER NULL,
	pending_key TEXT NULL UNIQUE,
	CHECK ((status = 'pending') = (pending_key IS NOT NULL))
);
-- The requester's list and the person's incoming requests, newest first.
CREATE INDEX IF NOT EXISTS ix_ec_org_requests_requester ON ec_org_requests (org_id, requester_id, id);
CREATE INDEX IF NOT EXISTS ix_ec_org_requests_target ON ec_org_requests (target_user_id, id);

-- A contact that is a person with a host account of another org (source
-- other_org): one per person and org.
CREATE TABLE IF NOT EXISTS ec_contact_links (
	contact_id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	linked_at INTEGER NOT NULL,
	UNIQUE (org_id, user_id)
);
CREATE INDEX IF NOT EXISTS ix_ec_contact_links_user ON ec_contact_links (user_id);
