-- Whom a member's 从其他组织添加 search (GET /directory/search) found, for 30
-- minutes: POST /org-requests asks only these people (issue 14), so a request
-- cannot probe who exists, who belongs to which org or who turned
-- discoverability off. Kept in the database, as the next request may reach
-- another node. Rows past expires_at are deleted as new searches are kept
-- (the expiry index), so the table holds at most the last half hour of
-- rate-limited searches.
CREATE TABLE IF NOT EXISTS ec_org_search_results (
	org_id BIGINT NOT NULL,
	requester_id BIGINT NOT NULL,
	target_org_id BIGINT NOT NULL,
	target_user_id BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	PRIMARY KEY (org_id, requester_id, target_org_id, target_user_id),
	KEY ix_ec_org_search_results_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
