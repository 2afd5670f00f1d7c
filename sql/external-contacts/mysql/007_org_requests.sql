-- Contact requests to members of other organizations (R5): 从其他组织添加.
--
-- pending_key is "<requester>:<target>" while the request is pending and
-- NULL once it is settled: the unique key allows one pending request per
-- requester and person (NULLs are distinct), on SQLite and MariaDB alike.
CREATE TABLE IF NOT EXISTS ec_org_requests (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	org_id BIGINT NOT NULL,
	requester_id BIGINT NOT NULL,
	target_user_id BIGINT NOT NULL,
	target_org_id BIGINT NOT NULL,
	target_name VARCHAR(200) NOT NULL DEFAULT '',
	target_org_name VARCHAR(200) NOT NULL DEFAULT '',
	status VARCHAR(16) NOT NULL DEFAULT 'pending',
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	decided_at BIGINT NULL,
	contact_id BIGINT NULL,
	pending_key VARCHAR(64) NULL,
	CONSTRAINT ck_ec_org_requests_status CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired')),
	CONSTRAINT ck_ec_org_requests_pending CHECK ((status = 'pending') = (pending_key IS NOT NULL)),
	UNIQUE KEY ux_ec_org_requests_pending (pending_key),
	-- The requester's list and the person's incoming requests, newest first.
	KEY ix_ec_org_requests_requester (org_id, requester_id, id),
	KEY ix_ec_org_requests_target (target_user_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A contact that is a person with a host account of another org (source
-- other_org): one per person and org.
CREATE TABLE IF NOT EXISTS ec_contact_links (
	contact_id BIGINT NOT NULL PRIMARY KEY,
	org_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	linked_at BIGINT NOT NULL,
	UNIQUE KEY ux_ec_contact_links_person (org_id, user_id),
	KEY ix_ec_contact_links_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
