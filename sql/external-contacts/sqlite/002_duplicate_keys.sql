-- Duplicate warning (R2.4): the mobile without spaces and dashes and the
-- email in ASCII lower case, indexed per org, so "is this person already a
-- contact here?" is an index look-up.
ALTER TABLE ec_contacts ADD COLUMN mobile_key TEXT NULL;
ALTER TABLE ec_contacts ADD COLUMN email_key TEXT NULL;
UPDATE ec_contacts SET mobile_key = REPLACE(REPLACE(mobile, ' ', ''), '-', ''), email_key = LOWER(email);
CREATE INDEX IF NOT EXISTS ix_ec_contacts_mobile_key ON ec_contacts (org_id, mobile_key);
CREATE INDEX IF NOT EXISTS ix_ec_contacts_email_key ON ec_contacts (org_id, email_key);
