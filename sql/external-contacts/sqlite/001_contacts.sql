-- External contacts: the contacts of each org, who may see them, and the
-- append-only audit log. Text sorts with SQLite's BINARY collation (byte
-- order); the MySQL twin uses utf8mb4_bin so both order lists identically.
--
-- group_rank / group_name: a contact is listed under its company
-- (group_rank 0, group_name = company) or under 未分组 (group_rank 1,
-- group_name ''), so "named groups first, 未分组 last" is an index order.
CREATE TABLE IF NOT EXISTS ec_contacts (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id INTEGER NOT NULL,
	name TEXT NOT NULL,
	mobile TEXT NULL,
	email TEXT NULL,
	company TEXT NULL,
	title TEXT NULL,
	department TEXT NULL,
	address TEXT NULL,
	remark TEXT NULL,
	tags TEXT NOT NULL DEFAULT '[]',
	source TEXT NOT NULL DEFAULT 'created' CHECK (source IN ('created', 'wechat_invite', 'other_org')),
	added_by INTEGER NOT NULL,
	security_level INTEGER NOT NULL DEFAULT 0 CHECK (security_level BETWEEN -999 AND 0),
	group_rank INTEGER NOT NULL CHECK (group_rank IN (0, 1)),
	group_name TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER NULL
);
-- "Added by me", in list order: serves the keyset page and the group counts.
CREATE INDEX IF NOT EXISTS ix_ec_contacts_adder ON ec_contacts (org_id, added_by, deleted_at, group_rank, group_name, name, id);
-- Every contact of the org, in list order (scope "all").
CREATE INDEX IF NOT EXISTS ix_ec_contacts_org ON ec_contacts (org_id, deleted_at, group_rank, group_name, name, id);

CREATE TABLE IF NOT EXISTS ec_contact_visible_members (
	contact_id INTEGER NOT NULL REFERENCES ec_contacts (id) ON DELETE CASCADE,
	member_id INTEGER NOT NULL,
	PRIMARY KEY (contact_id, member_id)
);

CREATE TABLE IF NOT EXISTS ec_contact_shares (
	contact_id INTEGER NOT NULL REFERENCES ec_contacts (id) ON DELETE CASCADE,
	member_id INTEGER NOT NULL,
	org_id INTEGER NOT NULL,
	shared_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (contact_id, member_id)
);
-- "Shared with me": drives the share branch of the "mine" list.
CREATE INDEX IF NOT EXISTS ix_ec_contact_shares_member ON ec_contact_shares (member_id, org_id, contact_id);

-- Append-only: rows are inserted, never updated or deleted. contact_id has
-- no foreign key so history outlives the contact.
CREATE TABLE IF NOT EXISTS ec_audit (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id INTEGER NOT NULL,
	contact_id INTEGER NULL,
	actor_id INTEGER NOT NULL,
	action TEXT NOT NULL,
	at INTEGER NOT NULL,
	remote_addr TEXT NOT NULL DEFAULT '',
	before_json TEXT NULL,
	after_json TEXT NULL
);
CREATE INDEX IF NOT EXISTS ix_ec_audit_contact ON ec_audit (org_id, contact_id, id);
