-- The server's role and the intake tables (0008): the entry functions,
-- and SELECT behind row-level security as a backstop, exactly what the
-- covenant lets the current user see (docs/security.md).  Applied after
-- 90_grants.sql, which revokes everything first.

GRANT EXECUTE ON FUNCTION
	tafel_list_earlier_cases(bigint, bigint)
	TO tafel_app;

-- Contributions: the whole row for the contributing organisation or with
-- the case_summary category; goals with free_text; links only when both
-- cases are known; process managers and the requirements are not
-- personal.  The case's texts reason, closing_reason and evaluation are
-- not granted (like summary).
GRANT SELECT ON contributions, case_goals, person_links, process_managers,
	case_status_requirements TO tafel_app;
GRANT SELECT (lead_org_id, end_date, review_date) ON cases TO tafel_app;

DROP POLICY IF EXISTS tafel_app_contributions ON contributions;
CREATE POLICY tafel_app_contributions ON contributions FOR SELECT TO tafel_app
	USING (tafel_rls_case_connected(case_id) AND (org_id = tafel_rls_org()
	    OR 'case_summary' = ANY (tafel_rls_case_cats(case_id))));
DROP POLICY IF EXISTS tafel_app_case_goals ON case_goals;
CREATE POLICY tafel_app_case_goals ON case_goals FOR SELECT TO tafel_app
	USING ('free_text' = ANY (tafel_rls_case_cats(case_id)));
DROP POLICY IF EXISTS tafel_app_person_links ON person_links;
CREATE POLICY tafel_app_person_links ON person_links FOR SELECT TO tafel_app
	USING (EXISTS (SELECT 1 FROM persons p WHERE p.id = person_a)
	    AND EXISTS (SELECT 1 FROM persons p WHERE p.id = person_b));
DROP POLICY IF EXISTS tafel_app_process_managers ON process_managers;
CREATE POLICY tafel_app_process_managers ON process_managers FOR SELECT
	TO tafel_app USING (tafel_rls_user() <> 0);
-- Series and their members (RLS on since 0020): a case's MDO series
-- (0008: case_id, named "MDO <case number>") tells that the case exists,
-- so it and its members only where the case is connected for the user
-- (docs/security.md rule 7, "MDO from a case"); every other series as
-- before.  The members' policy reads series under its own policy.
DROP POLICY IF EXISTS tafel_app_series ON series;
CREATE POLICY tafel_app_series ON series FOR SELECT TO tafel_app
	USING (case_id IS NULL OR tafel_rls_case_connected(case_id));
DROP POLICY IF EXISTS tafel_app_series_members ON series_members;
CREATE POLICY tafel_app_series_members ON series_members FOR SELECT
	TO tafel_app USING (EXISTS (SELECT 1 FROM series s
	    WHERE s.id = series_members.series_id));
DROP POLICY IF EXISTS tafel_app_case_status_requirements
	ON case_status_requirements;
CREATE POLICY tafel_app_case_status_requirements ON case_status_requirements
	FOR SELECT TO tafel_app USING (true);
