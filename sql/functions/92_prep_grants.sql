-- The server's role and the legal clocks (0010): SELECT behind row-level
-- security as a backstop.  A clock is seen with its case (whoever knows the
-- case); the kinds are not personal.  Applied after 90_grants.sql, which
-- revokes everything first.  A clock's note is free text about persons
-- whose reader depends on more than the row (docs/security.md rule 8): not
-- granted; it reaches a viewer only through the rendered case.

GRANT SELECT ON clock_kinds TO tafel_app;
GRANT SELECT (id, case_id, kind, starts_on, ends_on, hearing_date, extensions,
	version, created_by, created_at, updated_by, updated_at)
	ON case_clocks TO tafel_app;

DROP POLICY IF EXISTS tafel_app_clock_kinds ON clock_kinds;
CREATE POLICY tafel_app_clock_kinds ON clock_kinds FOR SELECT TO tafel_app
	USING (true);
DROP POLICY IF EXISTS tafel_app_case_clocks ON case_clocks;
CREATE POLICY tafel_app_case_clocks ON case_clocks FOR SELECT TO tafel_app
	USING (tafel_rls_case_connected(case_id));

-- The info round: read through tafel_list_info_rounds (which renders per
-- viewer and audits); under RLS a round and its answers are visible to
-- those connected to the case and to the asked organisations.  The persons
-- policy is not widened: the identifying data of a round reach an asked
-- organisation only through the rendered InfoRound.
GRANT EXECUTE ON FUNCTION tafel_list_info_rounds(bigint, bigint, boolean),
	tafel_rls_info_round_asked(bigint), tafel_rls_info_round_case(bigint)
	TO tafel_app;
-- the clocks' notices to probation, tafeld's timer (0013)
GRANT EXECUTE ON FUNCTION tafel_clock_notices() TO tafel_app;
GRANT SELECT ON info_rounds TO tafel_app;
-- an answer's note is free text whose reader depends on more than the row
-- (docs/security.md rule 8): not granted; the answers themselves go to the
-- answering organisation and, like contributions, with case_summary
GRANT SELECT (round_id, org_id, answer, answered_by, answered_at)
	ON info_round_orgs TO tafel_app;

DROP POLICY IF EXISTS tafel_app_info_rounds ON info_rounds;
CREATE POLICY tafel_app_info_rounds ON info_rounds FOR SELECT TO tafel_app
	USING (tafel_rls_case_connected(case_id)
	    OR tafel_rls_info_round_asked(id));
DROP POLICY IF EXISTS tafel_app_info_round_orgs ON info_round_orgs;
CREATE POLICY tafel_app_info_round_orgs ON info_round_orgs FOR SELECT
	TO tafel_app USING (org_id = tafel_rls_org()
	    OR 'case_summary' = ANY (tafel_rls_case_cats(
		tafel_rls_info_round_case(round_id))));

-- Proposals and the calendar: read through their functions only.  A
-- declined proposal under RLS: only for those who decide the meeting's
-- agenda (rule 9) and only of a case connected for them (an uninvolved
-- partner never learns of a signal, rule 7); the chair's decline_reason is
-- free text about persons: not granted.
GRANT EXECUTE ON FUNCTION tafel_list_proposals(bigint, bigint, bigint),
	tafel_list_calendar(bigint, text, text),
	tafel_rls_agenda_decider(bigint) TO tafel_app;
GRANT SELECT (meeting_id, case_id, reasons, declined_by, declined_at)
	ON proposal_declines TO tafel_app;
DROP POLICY IF EXISTS tafel_app_proposal_declines ON proposal_declines;
CREATE POLICY tafel_app_proposal_declines ON proposal_declines FOR SELECT
	TO tafel_app USING (tafel_rls_agenda_decider(meeting_id)
	    AND tafel_rls_case_connected(case_id));
