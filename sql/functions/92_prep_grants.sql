-- The server's role and the legal clocks (0010): SELECT behind row-level
-- security as a backstop.  A clock is seen with its case (whoever knows the
-- case); the kinds are not personal.  Applied after 90_grants.sql, which
-- revokes everything first.

GRANT SELECT ON clock_kinds, case_clocks TO tafel_app;

DROP POLICY IF EXISTS tafel_app_clock_kinds ON clock_kinds;
CREATE POLICY tafel_app_clock_kinds ON clock_kinds FOR SELECT TO tafel_app
	USING (true);
DROP POLICY IF EXISTS tafel_app_case_clocks ON case_clocks;
CREATE POLICY tafel_app_case_clocks ON case_clocks FOR SELECT TO tafel_app
	USING (tafel_rls_case_connected(case_id));
