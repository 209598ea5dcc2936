-- 0029 a copy of the minutes made by the administrator is audited as such, not as the member's own read.
--
--  * audit_log.context may be 'minutes_copy': the organisation's copy of a
--    closed meeting's minutes made with `tafelctl minutes`
--    (tafel_minutes_for_org, 58_minutes.sql).  It is rendered in the view
--    of the organisation's first active member and recorded in that
--    member's name, as before; the context now says that the member did
--    not open it: the administrator made it for the organisation.  A
--    member's own copy (tafel --batch minutes) stays 'minutes'.
--  * Rows written before keep 'minutes' (which copy they were is not
--    known).

ALTER TABLE audit_log DROP CONSTRAINT audit_log_context_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_context_check
	CHECK (context IN ('snapshot', 'event', 'case_view', 'case_list',
	    'action_list', 'beamer', 'conflict', 'write', 'nomination_list',
	    'inforonde', 'inbox', 'minutes', 'minutes_copy'));
