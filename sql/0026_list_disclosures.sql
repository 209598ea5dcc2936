-- 0026 the case list's read audit as disclosures.
--
--  * A case list (list_cases, the case list's snapshot) wrote one
--    audit_log row per case shown, per call: a chair's list of 900 cases
--    900 rows (some 90 KB) each time, kept for good, so that one account
--    refreshing a large list in a loop filled the disk (an outside
--    fault-injection probe: 2 400 to 95 000 rows in two minutes).  Since
--    0026 those reads are recorded as disclosures (0012): one row per
--    viewer x case x Amsterdam day x organisation with the first and last
--    time, how many lists showed the case, and the union of the
--    categories (tafel_audit_add_many, 40_render.sql), context
--    'case_list'.  The privacy officer's questions (tafelctl audit case,
--    audit user) read both tables, as for the push.
--  * Rows written before stay in audit_log, context 'case_list'.

ALTER TABLE audit_disclosures DROP CONSTRAINT audit_disclosures_context_check;
ALTER TABLE audit_disclosures ADD CONSTRAINT audit_disclosures_context_check
	CHECK (context IN ('event', 'beamer', 'inforonde', 'inbox',
	    'case_list'));
