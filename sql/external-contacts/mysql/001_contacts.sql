-- External contacts: the contacts of each org, who may see them, and the
-- append-only audit log. Sort columns use utf8mb4_bin (code point order,
-- which is UTF-8 byte order) so lists order exactly as on SQLite; the
-- validator trims text, so utf8mb4_bin's trailing-space padding never
-- decides an order. Indexes are declared inside CREATE TABLE so a rerun
-- after a failure is harmless (MySQL DDL is not transactional).
--
-- group_rank / group_name: a contact is listed under its company
-- (group_rank 0, group_name = company) or under 未分组 (group_rank 1,
-- group_name ''), so "named groups first, 未分组 last" is an index order.
CREATE TABLE IF NOT EXISTS ec_contacts (
	id BIGINT NOT NULL AUTO_INCREMENT,
	org_id BIGINT NOT NULL,
	name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	mobile VARCHAR(40) NULL,
	email VARCHAR(254) NULL,
	company VARCHAR(100) NULL,
	title VARCHAR(100) NULL,
	department VARCHAR(100) NULL,
	address VARCHAR(500) NULL,
	remark VARCHAR(1000) NULL,
	tags VARCHAR(2000) NOT NULL DEFAULT '[]',
	source VARCHAR(16) NOT NULL DEFAULT 'created',
	added_by BIGINT NOT NULL,
	security_level INT NOT NULL DEFAULT 0,
	group_rank TINYINT NOT NULL,
	group_name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT NULL,
	PRIMARY KEY (id),
	-- "Added by me", in list order: serves the keyset page and the group counts.
	KEY ix_ec_contacts_adder (org_id, added_by, deleted_at, group_rank, group_name, name, id),
	-- Every contact of the org, in list order (scope "all").
	KEY ix_ec_contacts_org (org_id, deleted_at, group_rank, group_name, name, id),
	CONSTRAINT ck_ec_contacts_source CHECK (source IN ('created', 'wechat_invite', 'other_org')),
	CONSTRAINT ck_ec_contacts_security_level CHECK (security_level BETWEEN -999 AND 0),
	CONSTRAINT ck_ec_contacts_group_rank CHECK (group_rank IN (0, 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS ec_contact_visible_members (
	contact_id BIGINT NOT NULL,
	member_id BIGINT NOT NULL,
	PRIMARY KEY (contact_id, member_id),
	CONSTRAINT fk_ec_visible_contact FOREIGN KEY (contact_id) REFERENCES ec_contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS ec_contact_shares (
	contact_id BIGINT NOT NULL,
	member_id BIGINT NOT NULL,
	org_id BIGINT NOT NULL,
	shared_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (contact_id, member_id),
	-- "Shared with me": drives the share branch of the "mine" list.
	KEY ix_ec_contact_shares_member (member_id, org_id, contact_id),
	CONSTRAINT fk_ec_shares_contact FOREIGN KEY (contact_id) REFERENCES ec_contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: rows are inserted, never updated or deleted. contact_id has
-- no foreign key so history outlives the contact.
CREATE TABLE IF NOT EXISTS ec_audit (
	id BIGINT NOT NULL AUTO_INCREMENT,
	org_id BIGINT NOT NULL,
	contact_id BIGINT NULL,
	actor_id BIGINT NOT NULL,
	action VARCHAR(64) NOT NULL,
	at BIGINT NOT NULL,
	remote_addr VARCHAR(64) NOT NULL DEFAULT '',
	before_json MEDIUMTEXT NULL,
	after_json MEDIUMTEXT NULL,
	PRIMARY KEY (id),
	KEY ix_ec_audit_contact (org_id, contact_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
