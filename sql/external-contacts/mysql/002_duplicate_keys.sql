-- Duplicate warning (R2.4): the mobile without spaces and dashes and the
-- email in ASCII lower case, indexed per org, so "is this person already a
-- contact here?" is an index look-up.
ALTER TABLE ec_contacts
	ADD COLUMN mobile_key VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
	ADD COLUMN email_key VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
	ADD KEY ix_ec_contacts_mobile_key (org_id, mobile_key),
	ADD KEY ix_ec_contacts_email_key (org_id, email_key);
UPDATE ec_contacts SET mobile_key = REPLACE(REPLACE(mobile, ' ', ''), '-', ''), email_key = LOWER(email);
