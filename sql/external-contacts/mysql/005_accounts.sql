-- Accounts of external contacts (R3, R6.4): applications to open one and
-- the account a contact has.
--
-- pending_contact_id is the contact's id while the application is pending
-- and NULL once decided: the unique key allows one pending application per
-- contact (NULLs are distinct), on SQLite and MariaDB alike.
CREATE TABLE IF NOT EXISTS ec_account_applications (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	org_id BIGINT NOT NULL,
	contact_id BIGINT NOT NULL,
	applicant_id BIGINT NOT NULL,
	remark VARCHAR(500) NOT NULL DEFAULT '',
	status VARCHAR(16) NOT NULL DEFAULT 'pending',
	submitted_at BIGINT NOT NULL,
	decided_by BIGINT NULL,
	decided_at BIGINT NULL,
	comment VARCHAR(500) NULL,
	pending_contact_id BIGINT NULL,
	CONSTRAINT ck_ec_account_applications_status CHECK (status IN ('pending', 'approved', 'rejected')),
	CONSTRAINT ck_ec_account_applications_pending CHECK ((status = 'pending') = (pending_contact_id IS NOT NULL)),
	UNIQUE KEY ux_ec_account_applications_pending (pending_contact_id),
	-- The back-office log, newest first, with and without a status filter.
	KEY ix_ec_account_applications_org (org_id, submitted_at, id),
	KEY ix_ec_account_applications_status (org_id, status, submitted_at, id),
	KEY ix_ec_account_applications_contact (contact_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- At most one account per contact (primary key) and per host user.
CREATE TABLE IF NOT EXISTS ec_contact_accounts (
	contact_id BIGINT NOT NULL PRIMARY KEY,
	org_id BIGINT NOT NULL,
	user_id BIGINT NULL,
	login VARCHAR(64) NULL,
	status VARCHAR(16) NOT NULL,
	application_id BIGINT NULL,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	CONSTRAINT ck_ec_contact_accounts_status CHECK (status IN ('creating', 'pending', 'active', 'disabled')),
	UNIQUE KEY ux_ec_contact_accounts_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
