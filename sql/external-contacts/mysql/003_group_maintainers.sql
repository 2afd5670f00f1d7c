-- Group maintainers (R8): members an admin set to maintain one group of the
-- org's contacts, i.e. the contacts listed under that company (group_name)
-- or under 未分组 (group_name ''). group_name is utf8mb4_bin like
-- ec_contacts.group_name so both compare byte for byte.
CREATE TABLE IF NOT EXISTS ec_group_maintainers (
	org_id BIGINT NOT NULL,
	group_name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	member_id BIGINT NOT NULL,
	PRIMARY KEY (org_id, group_name, member_id),
	-- "Which groups do I maintain?": asked on every contact access.
	KEY ix_ec_group_maintainers_member (org_id, member_id, group_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
