-- The org-wide audit page (R10, issue 13): ec_audit is append-only in the
-- database too, and its filters page on indexes.
--
-- Triggers refuse UPDATE and DELETE of audit rows, whoever connects: the
-- application never changes a row, and neither may a stray script. (Dropping
-- the table or the database is still possible: that is the operator's call.)
-- With binary logging on, creating a trigger needs the SUPER privilege or
-- log_bin_trust_function_creators=1 (README, "Running against MariaDB").
CREATE TRIGGER IF NOT EXISTS tr_ec_audit_no_update BEFORE UPDATE ON ec_audit FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ec_audit is append-only: rows cannot be updated';
CREATE TRIGGER IF NOT EXISTS tr_ec_audit_no_delete BEFORE DELETE ON ec_audit FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ec_audit is append-only: rows cannot be deleted';

-- Newest first (at DESC, id DESC) within the org, by actor, by action, by
-- contact (the 历史 tab keeps ix_ec_audit_contact, ordered by id).
CREATE INDEX IF NOT EXISTS ix_ec_audit_org_at ON ec_audit (org_id, at, id);
CREATE INDEX IF NOT EXISTS ix_ec_audit_actor_at ON ec_audit (org_id, actor_id, at, id);
CREATE INDEX IF NOT EXISTS ix_ec_audit_action_at ON ec_audit (org_id, action, at, id);
CREATE INDEX IF NOT EXISTS ix_ec_audit_contact_at ON ec_audit (org_id, contact_id, at, id);
