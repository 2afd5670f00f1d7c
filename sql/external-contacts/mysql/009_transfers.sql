-- 在职继承 (issue 13): an admin or a maintain-holder moves contacts from one
-- member to another while both stay in the org. The job lives here so it
-- survives the process: progress (done, skipped, cursor_id) is stored after
-- every batch, and a transfer left running by a dead process is taken up
-- again by whichever node claims its lease first.
--
-- running_key is "<org>:<from>" while the transfer runs and NULL once it
-- finished: the unique key allows one running transfer per giver (NULLs
-- are distinct), on SQLite and MariaDB alike.
--
-- all_contacts = 1 walks the giver's contacts by id up to max_id (the
-- highest id when the transfer was made); else the ids chosen are in
-- ec_transfer_contacts. cursor_id is the last id dealt with.
--
-- claimed_by / lease_until: the node working on it and until when; another
-- node may claim it only once the lease ran out. claims counts the claims
-- and renewals, so every conditional UPDATE changes the row (MySQL counts
-- changed rows, not matched ones).
CREATE TABLE IF NOT EXISTS ec_transfers (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	org_id BIGINT NOT NULL,
	from_user_id BIGINT NOT NULL,
	to_user_id BIGINT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	finished_at BIGINT NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'running',
	all_contacts TINYINT NOT NULL,
	max_id BIGINT NOT NULL DEFAULT 0,
	total BIGINT NOT NULL,
	done BIGINT NOT NULL DEFAULT 0,
	skipped BIGINT NOT NULL DEFAULT 0,
	cursor_id BIGINT NOT NULL DEFAULT 0,
	error VARCHAR(500) NULL,
	remote_addr VARCHAR(64) NOT NULL DEFAULT '',
	claimed_by VARCHAR(64) NULL,
	lease_until BIGINT NOT NULL DEFAULT 0,
	claims BIGINT NOT NULL DEFAULT 0,
	running_key VARCHAR(64) NULL,
	CONSTRAINT ck_ec_transfers_status CHECK (status IN ('running', 'done', 'failed')),
	CONSTRAINT ck_ec_transfers_all CHECK (all_contacts IN (0, 1)),
	CONSTRAINT ck_ec_transfers_running CHECK ((status = 'running') = (running_key IS NOT NULL)),
	UNIQUE KEY ux_ec_transfers_running (running_key),
	-- The org's transfers, newest first (keyset on id).
	KEY ix_ec_transfers_org (org_id, id),
	-- Running transfers whose lease ran out, for the node that takes them up.
	KEY ix_ec_transfers_lease (status, lease_until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The contacts chosen for a transfer of a selection (at most 1000).
CREATE TABLE IF NOT EXISTS ec_transfer_contacts (
	transfer_id BIGINT NOT NULL,
	contact_id BIGINT NOT NULL,
	PRIMARY KEY (transfer_id, contact_id),
	CONSTRAINT fk_ec_transfer_contacts_transfer FOREIGN KEY (transfer_id) REFERENCES ec_transfers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A giver's live contacts by id: the keyset of a transfer of all.
CREATE INDEX IF NOT EXISTS ix_ec_contacts_adder_id ON ec_contacts (org_id, added_by, deleted_at, id);
