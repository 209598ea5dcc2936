-- The server's role tafel_app (created by migration 0005): EXECUTE on the
-- entry functions only, SELECT on the register behind row-level security
-- (the tables ENABLE it in their migrations; the policies are here), no
-- access to the change log, summaries or decisions, INSERT-only on the
-- audit log.  Applied last, after every function exists.  docs/security.md
-- describes it.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, tafel_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, tafel_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, tafel_app;
-- functions the owner creates later are not executable by everyone either
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS
	FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO tafel_app;

-- The entry functions the server calls.
GRANT EXECUTE ON FUNCTION
	tafel_last_seq(),
	tafel_write(bigint, text, text, jsonb),
	tafel_write_routed(bigint, text, text, jsonb),
	tafel_write_routed(bigint, text, text, jsonb, bigint),
	tafel_forget_keys(bigint),
	tafel_login_lookup(text),
	tafel_login_result(bigint, boolean, int, int),
	tafel_list_series(bigint),
	tafel_list_meetings(bigint, bigint, bigint, bigint),
	tafel_list_orgs(bigint),
	tafel_snapshot(bigint, bigint),
	tafel_snapshot(bigint, bigint, boolean),
	tafel_snapshot_json(bigint, bigint, boolean),
	tafel_snapshot_cached(bigint, bigint, boolean, text, text, timestamptz,
	    jsonb),
	tafel_forget_writes(),
	tafel_org_actions(bigint, boolean),
	tafel_my_actions(bigint, boolean),
	tafel_get_case(bigint, bigint),
	tafel_list_cases(bigint, boolean, bigint),
	tafel_changes_since(bigint, int),
	tafel_case_meetings(bigint),
	tafel_events_for(bigint, jsonb),
	tafel_push_events(bigint, jsonb),
	tafel_warm_up(),
	tafel_events_for_viewer(bigint, bigint, bigint[]),
	tafel_audit_fold(int, boolean),
	tafel_audit_conflict(bigint, text),
	tafel_list_nominations(bigint, bigint, boolean),
	tafel_list_snapshot(bigint, int, boolean)
	TO tafel_app;

-- Row-level security: helpers of the policies (SECURITY DEFINER, for the
-- user in tafel.user_id; nothing without it).
GRANT EXECUTE ON FUNCTION tafel_rls_user(), tafel_rls_org(),
	tafel_rls_case_cats(bigint), tafel_rls_case_connected(bigint),
	tafel_rls_meeting_visible(bigint),
	tafel_rls_nomination_visible(bigint, bigint) TO tafel_app;

-- Reading the register directly (a backstop: the server uses the
-- functions): only what the current user may see.
GRANT SELECT ON organisations, series, series_members, meetings, attendance,
	case_statuses, case_transitions, case_involved_orgs,
	action_points, data_categories, org_data_access, kind_data_access,
	attendance_periods
	TO tafel_app;
-- idempotency: its own keys, not the stored answers (the write's answer
-- unredacted, rendered for the user only when it is sent: a direct read
-- would hand out what the covenant withholds from the user now)
GRANT SELECT (user_id, key, op, args_hash, created_at) ON idempotency
	TO tafel_app;
-- persons: the names (rows by person_names, below); a policy chooses rows,
-- not columns, so the dates of birth (birth_dates, which housing and
-- victim support lack) and the phonetic match key are not granted at all:
-- they reach a viewer only through the rendering functions
GRANT SELECT (id, case_id, role, name, version, created_at, updated_at,
	updated_by) ON persons TO tafel_app;
GRANT SELECT (id, login, display_name, org_id, roles, disabled, version,
	created_at, updated_at, updated_by) ON users TO tafel_app;
GRANT SELECT (id, number, theme, approach, district, submitter_org_id,
	submitter_user_id, case_manager_id, status, closed_at, legal_hold,
	anonymised_at, version, created_at, created_by, updated_at, updated_by)
	ON cases TO tafel_app;
GRANT SELECT (id, meeting_id, case_id, position, state, discussed_at,
	opened_at, version, created_at, created_by, updated_at, updated_by)
	ON agenda_items TO tafel_app;
GRANT INSERT ON audit_log TO tafel_app;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO tafel_app;

DROP POLICY IF EXISTS tafel_app_cases ON cases;
CREATE POLICY tafel_app_cases ON cases FOR SELECT TO tafel_app
	USING (tafel_rls_case_connected(id));
DROP POLICY IF EXISTS tafel_app_persons ON persons;
CREATE POLICY tafel_app_persons ON persons FOR SELECT TO tafel_app
	USING ('person_names' = ANY (tafel_rls_case_cats(case_id)));
DROP POLICY IF EXISTS tafel_app_case_involved_orgs ON case_involved_orgs;
CREATE POLICY tafel_app_case_involved_orgs ON case_involved_orgs FOR SELECT
	TO tafel_app USING (tafel_rls_case_connected(case_id));
DROP POLICY IF EXISTS tafel_app_meetings ON meetings;
CREATE POLICY tafel_app_meetings ON meetings FOR SELECT TO tafel_app
	USING (tafel_rls_meeting_visible(id));
DROP POLICY IF EXISTS tafel_app_attendance ON attendance;
CREATE POLICY tafel_app_attendance ON attendance FOR SELECT TO tafel_app
	USING (tafel_rls_meeting_visible(meeting_id));
DROP POLICY IF EXISTS tafel_app_agenda_items ON agenda_items;
CREATE POLICY tafel_app_agenda_items ON agenda_items FOR SELECT TO tafel_app
	USING (tafel_rls_meeting_visible(meeting_id));
DROP POLICY IF EXISTS tafel_app_action_points ON action_points;
CREATE POLICY tafel_app_action_points ON action_points FOR SELECT TO tafel_app
	USING (owner_org_id = tafel_rls_org()
	    OR 'free_text' = ANY (tafel_rls_case_cats(case_id)));
DROP POLICY IF EXISTS tafel_app_idempotency ON idempotency;
CREATE POLICY tafel_app_idempotency ON idempotency FOR SELECT TO tafel_app
	USING (user_id = tafel_rls_user() AND tafel_rls_user() <> 0);
DROP POLICY IF EXISTS tafel_app_audit_insert ON audit_log;
CREATE POLICY tafel_app_audit_insert ON audit_log FOR INSERT TO tafel_app
	WITH CHECK (user_id = tafel_rls_user() AND tafel_rls_user() <> 0);
DROP POLICY IF EXISTS tafel_app_attendance_periods ON attendance_periods;
CREATE POLICY tafel_app_attendance_periods ON attendance_periods FOR SELECT
	TO tafel_app USING (tafel_rls_meeting_visible(meeting_id));
GRANT SELECT (id, series_id, case_id, org_id, nominated_by, state,
	meeting_id, agenda_item_id, decided_by, decided_at, version, created_at,
	updated_at, updated_by)
	ON nominations TO tafel_app;
DROP POLICY IF EXISTS tafel_app_nominations ON nominations;
CREATE POLICY tafel_app_nominations ON nominations FOR SELECT TO tafel_app
	USING (tafel_rls_nomination_visible(series_id, org_id));
-- changelog, purge_log, write_ops: no policy, no grant: nothing for tafel_app

-- Resume tickets (65_session.sql): the entry functions only, and which
-- logged-in users are disabled (server/revoke.c).
GRANT EXECUTE ON FUNCTION
	tafel_ticket_issue(bigint, bytea, text, int),
	tafel_ticket_resume(text, bytea, bytea, text),
	tafel_ticket_revoke(bytea),
	tafel_ticket_live(bytea),
	tafel_resume_check(bigint, bigint, boolean),
	tafel_disabled_among(bigint[])
	TO tafel_app;
