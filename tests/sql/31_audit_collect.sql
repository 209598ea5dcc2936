-- A session cannot read unrecorded by setting tafel.audit_collect itself:
-- that switch sends a rendering's audit entries to the session's pending
-- list instead of audit_log, for the push's own functions, which set it
-- after their user (tafel_set_user resets it, 10_base.sql).  As tafel_app
-- with the switch on: a snapshot and a case view still write their audit
-- rows, and the pending list gets nothing.  The push itself still
-- collects (tafel_events_for_viewer records its disclosures as pending).

DO $$
DECLARE
	v_uid bigint := test_uid('politie');
	v_mid bigint;
	v_case bigint;
	v_n bigint;
BEGIN
	SELECT a.meeting_id, a.case_id INTO v_mid, v_case
	FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
	WHERE m.state IN ('planned', 'open')
	    AND tafel_access(v_uid, a.case_id) ->> 'reason' = ''
	ORDER BY a.meeting_id, a.position LIMIT 1;
	ASSERT v_case IS NOT NULL, 'no case the police may see in full';

	v_n := (SELECT count(*) FROM audit_log WHERE user_id = v_uid);
	SET LOCAL ROLE tafel_app;
	PERFORM set_config('tafel.audit_collect', 'on', true);
	PERFORM set_config('tafel.audit_pending', '[]', true);
	PERFORM length(tafel_snapshot_json(v_uid, v_mid, false)::text);
	ASSERT current_setting('tafel.audit_pending', true) = '[]',
	    format('the snapshot''s audit went to the pending list: %s',
	    current_setting('tafel.audit_pending', true));
	RESET ROLE;
	ASSERT (SELECT count(*) FROM audit_log WHERE user_id = v_uid
	    AND context = 'snapshot' AND meeting_id = v_mid) > 0,
	    'a snapshot read with tafel.audit_collect on left no audit row';

	v_n := (SELECT count(*) FROM audit_log WHERE user_id = v_uid
	    AND context = 'case_view');
	SET LOCAL ROLE tafel_app;
	PERFORM set_config('tafel.audit_collect', 'on', true);
	PERFORM tafel_get_case(v_uid, v_case);
	RESET ROLE;
	ASSERT (SELECT count(*) FROM audit_log WHERE user_id = v_uid
	    AND context = 'case_view') > v_n,
	    'a case view with tafel.audit_collect on left no audit row';
END
$$;
