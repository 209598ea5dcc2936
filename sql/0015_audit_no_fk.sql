-- 0015 the audit tables without foreign keys to the register.
--
--  * audit_log and audit_disclosures name a user, an organisation and a
--    case by id.  Their foreign keys cost every audited read a check per
--    row and a FOR KEY SHARE lock on each case, user and organisation it
--    names, so a snapshot of 50 cases locked 50 case rows: a write that
--    locks one of them FOR UPDATE (an edit of the case, intake, the
--    preparation) waited for the read to commit, and the read for the
--    write, and concurrent readers of one case made multixacts.
--  * The keys guarded nothing: the audit rows are written only by the
--    database's own functions, with ids of rows they have just read, and
--    no user, organisation or case is ever deleted (retention anonymises
--    a case and keeps its row).  The audit is a record of what happened,
--    not part of the register it records.
ALTER TABLE audit_log
	DROP CONSTRAINT IF EXISTS audit_log_user_id_fkey,
	DROP CONSTRAINT IF EXISTS audit_log_org_id_fkey,
	DROP CONSTRAINT IF EXISTS audit_log_case_id_fkey;
ALTER TABLE audit_disclosures
	DROP CONSTRAINT IF EXISTS audit_disclosures_user_id_fkey,
	DROP CONSTRAINT IF EXISTS audit_disclosures_org_id_fkey,
	DROP CONSTRAINT IF EXISTS audit_disclosures_case_id_fkey;
