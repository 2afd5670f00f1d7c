-- Group maintainers (R8): members an admin set to maintain one group of the
-- org's contacts, i.e. the contacts listed under that company (group_name)
-- or under 未分组 (group_name ''). BINARY collation, like ec_contacts.
CREATE TABLE IF NOT EXISTS ec_group_maintainers (
	org_id INTEGER NOT NULL,
	group_name TEXT NOT NULL,
	member_id INTEGER NOT NULL,
	PRIMARY KEY (org_id, group_name, member_id)
);
-- "Which groups do I maintain?": asked on every contact access.
CREATE INDEX IF NOT EXISTS ix_ec_group_maintainers_member ON ec_group_maintainers (org_id, member_id, group_name);
