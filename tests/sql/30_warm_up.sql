-- A new pool connection's warm-up (tafel_warm_up, 70_push.sql), run as
-- tafel_app as tafeld runs it: on the demo data it builds the snapshot of
-- the planned or open meeting with the longest agenda for two viewers
-- (two renderings: the demo has no change yet), after a change also
-- renders that change (three), and leaves nothing behind: no audit row,
-- no disclosure, no pending audit, no change-log row, no sequence moved
-- (an audit id burnt at every start would look like a deleted audit
-- row), no setting of the session (the viewer of the last rendering, or
-- the audit switch, must not stick to the connection).  With no planned
-- or open meeting it does nothing and says 0; it never raises.

-- what a warm-up must leave as it was
CREATE FUNCTION pg_temp.warm_state() RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_array(
	    (SELECT count(*) FROM audit_log),
	    (SELECT count(*) FROM audit_disclosures),
	    (SELECT count(*) FROM audit_pending),
	    (SELECT max(seq) FROM changelog),
	    (SELECT jsonb_object_agg(sequencename, last_value)
	    FROM pg_sequences WHERE schemaname = 'public'),
	    -- unset and empty are the same to the functions that read them
	    coalesce(current_setting('tafel.user_id', true), ''),
	    coalesce(current_setting('tafel.audit_collect', true), ''),
	    coalesce(current_setting('tafel.audit_pending', true), ''))
$$;

DO $$
DECLARE
	v_before jsonb;
	v_after jsonb;
	v_n int;
	v_mid bigint;
	v_version bigint;
BEGIN
	SET LOCAL ROLE tafel_app;
	v_n := tafel_warm_up();
	RESET ROLE;
	ASSERT v_n = 2, format('warm-up renderings without a change: %s', v_n);
	SELECT id, version INTO v_mid, v_version FROM meetings
	WHERE state = 'planned' ORDER BY id LIMIT 1;
	PERFORM test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_mid, 'version', v_version));
	v_before := pg_temp.warm_state();
	SET LOCAL ROLE tafel_app;
	v_n := tafel_warm_up();
	RESET ROLE;
	ASSERT v_n = 3, format('warm-up renderings: %s', v_n);
	v_after := pg_temp.warm_state();
	ASSERT v_after = v_before, format('left behind: %s -> %s', v_before,
	    v_after);

	-- no planned or open meeting: nothing to warm with
	UPDATE meetings SET state = 'closed' WHERE state IN ('planned', 'open');
	SET LOCAL ROLE tafel_app;
	v_n := tafel_warm_up();
	RESET ROLE;
	ASSERT v_n = 0, format('warm-up without meetings: %s', v_n);
END
$$;
