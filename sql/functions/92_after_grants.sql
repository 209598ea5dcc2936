-- The server's role and the inbox (0011): the entry functions, and SELECT
-- on inbox_entries behind row-level security as a backstop: the rows
-- addressed to the current user's organisation and the ones the user sent.
-- Applied after 90_grants.sql, which revokes everything first.

GRANT EXECUTE ON FUNCTION
	tafel_list_inbox(bigint, boolean, boolean),
	tafel_inbox_snapshot(bigint),
	tafel_get_minutes(bigint, bigint),
	tafel_escalate(int),
	tafel_list_open_actions(bigint, bigint),
	tafel_series_earlier_meetings(bigint),
	tafel_report(bigint, text, text)
	TO tafel_app;

-- the routing history: nothing for tafel_app (the reports read it as the
-- owner); RLS is on without a policy
REVOKE ALL ON case_status_history FROM tafel_app;

GRANT SELECT ON inbox_entries TO tafel_app;
DROP POLICY IF EXISTS tafel_app_inbox_entries ON inbox_entries;
CREATE POLICY tafel_app_inbox_entries ON inbox_entries FOR SELECT
	TO tafel_app USING (recipient_org_id = tafel_rls_org()
	    OR sender_id = tafel_rls_user());
