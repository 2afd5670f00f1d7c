-- Accounts of external contacts (R3, R6.4): applications to open one and
-- the account a contact has.
--
-- pending_contact_id is the contact's id while the application is pending
-- and NULL once decided: the unique index allows one pending application per
-- contact (NULLs are distinct), on SQLite and MariaDB alike.
CREATE TABLE IF NOT EXISTS ec_account_applications (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id INTEGER NOT NULL,
	contact_id INTEGER NOT NULL,
	applicant_id INTEGER NOT NULL,
	remark TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	submitted_at INTEGER NOT NULL,
	decided_by INTEGER NULL,
	decided_at INTEGER NULL,
	comment TEXT NULL,
	pending_contact_id INTEGER NULL,
	CHECK ((status = 'pending') = (pending_contact_id IS NOT NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_ec_account_applications_pending ON ec_account_applications (pending_contact_id);
-- The back-office log, newest first, with and without a status filter.
CREATE INDEX IF NOT EXISTS ix_ec_account_applications_org ON ec_account_applications (org_id, submitted_at, id);
CREATE INDEX IF NOT EXISTS ix_ec_account_applications_status ON ec_account_applications (org_id, status, submitted_at, id);
CREATE INDEX IF NOT EXISTS ix_ec_account_applications_contact ON ec_account_applications (contact_id, id);

-- At most one account per contact (primary key) and per host user.
CREATE TABLE IF NOT EXISTS ec_contact_accounts (
	contact_id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL,
	user_id INTEGER NULL UNIQUE,
	login TEXT NULL,
	status TEXT NOT NULL CHECK (status IN ('creating', 'pending', 'active', 'disabled')),
	application_id INTEGER NULL,
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
