-- 在职继承 (issue 13): an admin or a maintain-holder moves contacts from one
-- member to another while both stay in the org. The job lives here so it
-- survives the process: progress (done, skipped, cursor_id) is stored after
-- every batch, and a transfer left running by a dead process is taken up
-- again by whichever node claims its lease first.
--
-- running_key is "<org>:<from>" while the transfer runs and NULL once it
-- finished: the unique index allows one running transfer per giver (NULLs
-- are distinct), on SQLite and MariaDB alike.
--
-- all_contacts = 1 walks the giver's contacts by id up to max_id (the
-- highest id when the transfer was made); else the ids chosen are in
-- ec_transfer_contacts. cursor_id is the last id dealt with.
--
-- claimed_by / lease_until: the node working on it and until when; another
-- node may claim it only once the lease ran out. claims counts the claims
-- and renewals, so every conditional UPDATE changes the row.
CREATE TABLE IF NOT EXISTS ec_transfers (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id INTEGER NOT NULL,
	from_user_id INTEGER NOT NULL,
	to_user_id INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	finished_at INTEGER NULL,
	status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
	all_contacts INTEGER NOT NULL CHECK (all_contacts IN (0, 1)),
	max_id INTEGER NOT NULL DEFAULT 0,
	total INTEGER NOT NULL,
	done INTEGER NOT NULL DEFAULT 0,
	skipped INTEGER NOT NULL DEFAULT 0,
	cursor_id INTEGER NOT NULL DEFAULT 0,
	error TEXT NULL,
	remote_addr TEXT NOT NULL DEFAULT '',
	claimed_by TEXT NULL,
	lease_until INTEGER NOT NULL DEFAULT 0,
	claims INTEGER NOT NULL DEFAULT 0,
	running_key TEXT NULL UNIQUE,
	CHECK ((status = 'running') = (running_key IS NOT NULL))
);
-- The org's transfers, newest first (keyset on id).
CREATE INDEX IF NOT EXISTS ix_ec_transfers_org ON ec_transfers (org_id, id);
-- Running transfers whose lease ran out, for the node that takes them up.
CREATE INDEX IF NOT EXISTS ix_ec_transfers_lease ON ec_transfers (status, lease_until);

-- The contacts chosen for a transfer of a selection (at most 1000).
CREATE TABLE IF NOT EXISTS ec_transfer_contacts (
	transfer_id INTEGER NOT NULL REFERENCES ec_transfers (id) ON DELETE CASCADE,
	contact_id INTEGER NOT NULL,
	PRIMARY KEY (transfer_id, contact_id)
);

-- A giver's live contacts by id: the keyset of a transfer of all.
CREATE INDEX IF NOT EXISTS ix_ec_contacts_adder_id ON ec_contacts (org_id, added_by, deleted_at, id);
