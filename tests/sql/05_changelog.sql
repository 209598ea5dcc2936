-- The change log: one row per write, strictly increasing seq, routing
-- columns set, snapshot seq = max(seq).

DO $$
DECLARE
	v_start bigint := coalesce((SELECT max(seq) FROM changelog), 0);
	v_before bigint := test_changes();
	v_case jsonb;
	v_meeting jsonb;
	v_agenda jsonb;
	v_action jsonb;
	v_item jsonb;
	v_last bigint := v_start;
	v_writes int := 0;
	r record;
	c changelog;
	v_vt bigint := test_org('Veilig Thuis Eemland-Twente');
	v_sh bigint := test_org('Slachtofferhulp Nederland, team Oost');
BEGIN
	v_case := test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Eemland"}');
	v_writes := v_writes + 1;
	SELECT * INTO c FROM changelog ORDER BY seq DESC LIMIT 1;
	ASSERT c.meeting_id IS NULL AND c.case_id = (v_case ->> 'id')::bigint;
	ASSERT c.payload = jsonb_build_object('case', v_case);
	ASSERT c.actor_id = test_uid('politie');

	v_meeting := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'),
	    'scheduled_start', extract(epoch FROM now())::bigint));
	v_writes := v_writes + 1;
	ASSERT (v_meeting ->> 'chair_id')::bigint = test_uid('voorzitter');
	SELECT * INTO c FROM changelog ORDER BY seq DESC LIMIT 1;
	ASSERT c.meeting_id = (v_meeting ->> 'id')::bigint AND c.case_id IS NULL;

	v_agenda := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_meeting -> 'id', 'case_id', v_case -> 'id'));
	v_writes := v_writes + 1;
	SELECT * INTO c FROM changelog ORDER BY seq DESC LIMIT 1;
	ASSERT c.meeting_id = (v_meeting ->> 'id')::bigint
	    AND c.case_id = (v_case ->> 'id')::bigint;
	ASSERT c.payload ? 'agenda_items' AND c.payload ? 'case'
	    AND c.payload ? 'actions';

	v_action := test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_case -> 'id', 'meeting_id', v_meeting -> 'id',
	    'description', 'Veiligheidsplan', 'owner_org_id', v_vt,
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	-- and the owner's inbox entry, logged first (as a handover's)
	v_writes := v_writes + 2;
	SELECT * INTO c FROM changelog ORDER BY seq DESC LIMIT 1;
	ASSERT c.org_ids = ARRAY[v_vt], c.org_ids::text;
	ASSERT c.meeting_id = (v_meeting ->> 'id')::bigint;
	-- the change log holds the record; the response is it as the chair
	-- may see it (0005)
	ASSERT c.payload ? 'action_point' AND tafel_render_record(
	    test_uid('voorzitter'), 'action', c.payload -> 'action_point', NULL)
	    = v_action;

	-- reassigning: both the old and the new owner organisation
	v_action := test_write('voorzitter', 'update_action', v_action
	    || jsonb_build_object('owner_org_id', v_sh));
	-- and the new owner's inbox entry, logged first (0018)
	v_writes := v_writes + 2;
	SELECT * INTO c FROM changelog ORDER BY seq DESC LIMIT 1;
	ASSERT c.org_ids @> ARRAY[v_vt, v_sh] AND cardinality(c.org_ids) = 2,
	    c.org_ids::text;
	ASSERT EXISTS (SELECT 1 FROM case_involved_orgs WHERE org_id = v_sh
	    AND case_id = (v_case ->> 'id')::bigint);

	v_meeting := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_meeting -> 'id', 'version', v_meeting -> 'version'));
	v_writes := v_writes + 1;
	v_meeting := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_meeting -> 'id', 'item_id', v_agenda -> 'items' -> -1 -> 'id'));
	v_writes := v_writes + 1;
	v_action := test_write('slachtofferhulp', 'complete_action', jsonb_build_object(
	    'id', v_action -> 'id', 'version', v_action -> 'version',
	    'note', 'Gesprek gevoerd'));
	-- and its feedback to the submitter, logged first (58_inbox.sql)
	v_writes := v_writes + 2;
	SELECT * INTO c FROM changelog ORDER BY seq DESC LIMIT 1;
	ASSERT c.org_ids = ARRAY[v_sh];

	-- one row per write (two for feedback), seq strictly increasing
	ASSERT test_changes() = v_before + v_writes,
	    format('%s rows for %s writes', test_changes() - v_before, v_writes);
	FOR r IN SELECT * FROM tafel_changes_since(v_start, 1000) LOOP
		ASSERT r.seq > v_last, 'seq strictly increasing';
		v_last := r.seq;
		ASSERT r.actor_name <> '';
		ASSERT r.at > 0;
	END LOOP;
	ASSERT (SELECT count(*) FROM tafel_changes_since(v_start, 1000)) = v_writes;
	ASSERT (SELECT count(*) FROM tafel_changes_since(v_start, 3)) = 3;
	ASSERT (SELECT min(seq) FROM tafel_changes_since(v_last - 1, 1000))
	    = v_last, 'changes_since is exclusive of after_seq';

	-- snapshot and org-actions topic carry the newest seq
	ASSERT (tafel_snapshot(test_uid('admin'), (v_meeting ->> 'id')::bigint)
	    ->> 'seq')::bigint = (SELECT max(seq) FROM changelog);
	ASSERT (tafel_org_actions(test_uid('politie'), false) ->> 'seq')::bigint
	    = (SELECT max(seq) FROM changelog);
	-- and every action of the snapshot's cases
	ASSERT jsonb_array_length(tafel_snapshot(test_uid('admin'),
	    (v_meeting ->> 'id')::bigint) -> 'snapshot' -> 'actions') = 1;
	-- case routing: the open meeting holds the case
	ASSERT (SELECT array_agg(x) FROM tafel_case_meetings((v_case ->> 'id')::bigint) x)
	    = ARRAY[(v_meeting ->> 'id')::bigint];
END
$$;

-- seq comes from the sequence under the advisory lock: the function takes
-- lock 7410 (held until commit) before nextval.
DO $$
BEGIN
	PERFORM tafel_log_change(test_uid('admin'), 0, 0, ARRAY[0, NULL, 5, 5]::bigint[],
	    '{}'::jsonb);
	ASSERT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
	    AND objid = 7410 AND pid = pg_backend_pid() AND granted);
	ASSERT (SELECT org_ids FROM changelog ORDER BY seq DESC LIMIT 1) = '{5}';
	ASSERT (SELECT meeting_id IS NULL AND case_id IS NULL FROM changelog
	    ORDER BY seq DESC LIMIT 1);
END
$$;
