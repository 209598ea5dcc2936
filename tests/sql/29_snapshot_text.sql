-- The meeting snapshot as JSON text (tafel_snapshot_json, 60_read.sql,
-- built per viewer by tafel_snapshot_parts, 62_bulk.sql) is what
-- tafel_render makes of the unredacted builders, as the snapshot was built
-- before: the same JSON (compared as jsonb) and the same audit rows in the
-- same order, for every user x every meeting x shared screen or not
-- (errors included), on the demo data plus a meeting of 18 cases (the
-- access of many cases at once) with persons with and without dates of
-- birth, action points of five organisations (overdue, done with a note),
-- a decision, a clock with a note, an info round, attendance, a current
-- item, and the demo's carried-over action points.  A redaction rule changed in
-- 40_render.sql and not in 62_bulk.sql fails here.

-- the snapshot as tafel_snapshot built it up to 3f2a180: the unredacted
-- builders, then tafel_render for the viewer
CREATE FUNCTION pg_temp.snapshot_ref(p_user_id bigint, p_meeting_id bigint,
    p_presentation boolean)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users;
	m meetings;
	v_seq bigint;
	v_raw jsonb;
	v_orgs jsonb;
	v_carried jsonb;
	r jsonb;
	v_pres boolean := coalesce(p_presentation, false);
BEGIN
	u := tafel_actor(p_user_id);
	SELECT (SELECT coalesce(max(cl.seq), 0) FROM changelog cl),
	    jsonb_build_object(
		'meeting', tafel_json_meeting(mm.id),
		'agenda_items', coalesce((SELECT jsonb_agg(tafel_json_item(a.id)
		    ORDER BY a.position, a.id) FROM agenda_items a
		    WHERE a.meeting_id = mm.id), '[]'::jsonb),
		'cases', coalesce((SELECT jsonb_agg(tafel_json_case(a.case_id)
		    ORDER BY a.position, a.id) FROM agenda_items a
		    WHERE a.meeting_id = mm.id), '[]'::jsonb),
		'actions', coalesce((SELECT jsonb_agg(tafel_json_action(ap.id)
		    ORDER BY (ap.state = 'open' AND ap.due_date < current_date)
			DESC, ap.due_date, ap.id) FROM action_points ap
		    WHERE ap.case_id IN (SELECT a.case_id FROM agenda_items a
			WHERE a.meeting_id = mm.id)), '[]'::jsonb),
		'info_rounds', coalesce((SELECT jsonb_agg(tafel_json_info_round(ir.id)
		    ORDER BY ir.id DESC)
		    FROM info_rounds ir
		    WHERE ir.case_id IN (SELECT a.case_id FROM agenda_items a
			WHERE a.meeting_id = mm.id)), '[]'::jsonb)),
	    coalesce((SELECT jsonb_agg(tafel_json_org(o.id)
		ORDER BY o.name) FROM organisations o), '[]'::jsonb),
	    tafel_json_carried_over(mm.id)
	INTO v_seq, v_raw, v_orgs, v_carried
	FROM meetings mm WHERE mm.id = p_meeting_id;
	IF v_raw IS NULL THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	SELECT * INTO m FROM meetings WHERE id = p_meeting_id;
	IF NOT tafel_may_see_meeting(u, m.id) THEN
		PERFORM tafel_raise('TF010', 'your organisation takes no part in '
		    || 'this meeting', 'meeting_id');
	END IF;
	IF v_pres AND NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting or an '
		    || 'administrator can show the shared screen', 'presentation');
	END IF;
	r := tafel_render(u.id, CASE WHEN v_pres THEN m.id ELSE 0 END,
	    CASE WHEN NOT v_pres AND tafel_may_chair(u, m) THEN m.id ELSE 0 END,
	    v_raw, CASE WHEN v_pres THEN 'beamer' ELSE 'snapshot' END,
	    m.id, false);
	RETURN jsonb_build_object(
	    'seq', v_seq,
	    'resumed', false,
	    'snapshot', jsonb_build_object(
		'meeting', r -> 'meeting',
		'agenda', r -> 'agenda_items',
		'cases', r -> 'cases',
		'actions', r -> 'actions',
		'info_rounds', coalesce(r -> 'info_rounds', '[]'::jsonb),
		'organisations', v_orgs,
		'member_org_ids', coalesce((SELECT jsonb_agg(sm.org_id
		    ORDER BY sm.org_id) FROM series_members sm
		    WHERE sm.series_id = m.series_id), '[]'::jsonb),
		'open_actions', coalesce(tafel_render(u.id,
		    CASE WHEN v_pres THEN m.id ELSE 0 END,
		    CASE WHEN NOT v_pres AND tafel_may_chair(u, m) THEN m.id
			ELSE 0 END,
		    jsonb_build_object('actions', v_carried),
		    CASE WHEN v_pres THEN 'beamer' ELSE 'snapshot' END, m.id, true)
		    -> 'actions', '[]'::jsonb),
		'earlier_meeting_ids', to_jsonb(
		    tafel_series_earlier_meetings(m.id))));
END
$$;

-- md5 of a snapshot, or the error it raised
CREATE FUNCTION pg_temp.snap_md5(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v jsonb;
BEGIN
	EXECUTE p_sql INTO v;
	RETURN md5(v::text);
EXCEPTION WHEN OTHERS THEN
	RETURN 'error ' || SQLSTATE;
END
$$;

CREATE FUNCTION pg_temp.audit_after(p_id bigint) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(format('%s/%s/%s/%s/%s/%s', user_id, org_id,
	    case_id, categories, meeting_id, context), ' ' ORDER BY id), '')
	FROM audit_log WHERE id > p_id
$$;

-- the fixture
DO $$
DECLARE
	v_wzt bigint := test_series('wzt');
	v_orgs bigint[] := ARRAY(SELECT sm.org_id FROM series_members sm
	    WHERE sm.series_id = test_series('wzt') ORDER BY sm.org_id LIMIT 5);
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	m jsonb;
	c jsonb;
	a jsonb;
	v_first bigint;
	v_items jsonb;
	i int;
	k int;
BEGIN
	PERFORM tafel_pm_add('reclassering', 'Snapdorp', 'domestic_violence');
	m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', v_wzt, 'scheduled_start',
	    extract(epoch FROM now() + interval '3 days')::bigint));
	FOR i IN 1..18 LOOP
		c := test_write('politie', 'create_case', jsonb_build_object(
		    'theme', 'domestic_violence', 'approach', 'person',
		    'district', CASE WHEN i = 1 THEN 'Snapdorp' ELSE 'Enschede-Noord' END,
		    'summary', CASE WHEN i % 3 = 0 THEN '' ELSE 'Zorgen ' || i END,
		    'reason', 'melding ' || i,
		    'persons', CASE WHEN i % 4 = 0 THEN '[]'::jsonb
			ELSE jsonb_build_array(jsonb_build_object('role', 'victim',
			    'name', 'Snap Jansen ' || translate(i::text, '0123456789',
			    'abcdefghij'), 'birth_date', CASE WHEN i % 2 = 0
				THEN '' ELSE to_char(date '1985-03-01' + i, 'YYYY-MM-DD') END),
			    jsonb_build_object('role', 'child', 'name', 'Kim van Snap'))
			END));
		v_first := coalesce(v_first, (c ->> 'id')::bigint);
		-- a case of another district reaches the agenda nominated
		-- (add_agenda_item: the chair has no connection to it)
		IF i = 1 THEN
			PERFORM test_write('politie', 'nominate_case', jsonb_build_object(
			    'series_id', v_wzt, 'case_id', c -> 'id', 'reason', 'elders'));
		END IF;
		PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
		    'meeting_id', m -> 'id', 'case_id', c -> 'id'));
		FOR k IN 1..3 LOOP
			a := test_write('voorzitter', 'create_action', jsonb_build_object(
			    'case_id', c -> 'id', 'meeting_id', m -> 'id',
			    'description', format('Snapactie %s bij %s', k, i),
			    'owner_org_id', v_orgs[1 + (i + k) % cardinality(v_orgs)],
			    'due_date', to_char(current_date + (k - 2) * 5, 'YYYY-MM-DD')));
			IF k = 3 AND i % 5 = 0 THEN
				PERFORM test_write('voorzitter', 'complete_action',
				    jsonb_build_object('id', a -> 'id', 'version',
					a -> 'version', 'note', 'gedaan ' || i));
			END IF;
		END LOOP;
	END LOOP;
	-- a clock (with a note: free text) and an info round on the first case
	PERFORM test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', v_first, 'kind', 'huisverbod',
	    'starts_on', v_today - 2, 'hearing_date', v_today + 3,
	    'note', 'Verblijft bij zijn moeder'));
	PERFORM test_write('reclassering', 'start_info_round', jsonb_build_object(
	    'case_id', v_first, 'reply_by', v_today + 2,
	    'org_ids', jsonb_build_array(test_org('GGZ Eemland-Twente'),
		test_org('Woonstichting De Eemhof'))));
	-- the meeting opened with the housing corporation present, the first
	-- item current and decided
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', m -> 'id', 'version', m -> 'version'));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', m -> 'id', 'user_id', test_uid('woningcorporatie'),
	    'present', true));
	v_items := tafel_json_items((m ->> 'id')::bigint);
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', m -> 'id', 'item_id', v_items -> 0 -> 'id'));
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', v_items -> 1 -> 'id', 'version', tafel_json_item(
		(v_items -> 1 ->> 'id')::bigint) -> 'version',
	    'decision', 'Plan van aanpak'));
END
$$;

-- every user x every meeting x shared screen or not
DO $$
DECLARE
	r record;
	v_a0 bigint;
	v_ref text;
	v_new text;
	v_ref_audit text;
	v_new_audit text;
	v_n int := 0;
	v_ok int := 0;
	v_audited int := 0;
BEGIN
	FOR r IN SELECT u.id AS uid, u.login, m.id AS mid, p.pres
	    FROM users u CROSS JOIN meetings m
	    CROSS JOIN (VALUES (false), (true)) p(pres)
	    ORDER BY u.id, m.id, p.pres LOOP
		v_a0 := (SELECT coalesce(max(id), 0) FROM audit_log);
		v_ref := pg_temp.snap_md5(format(
		    'SELECT pg_temp.snapshot_ref(%s, %s, %L)', r.uid, r.mid, r.pres));
		v_ref_audit := pg_temp.audit_after(v_a0);
		v_a0 := (SELECT coalesce(max(id), 0) FROM audit_log);
		-- tafel_snapshot: tafel_snapshot_json with its tables of action
		-- points made arrays of objects again
		v_new := pg_temp.snap_md5(format(
		    'SELECT tafel_snapshot(%s, %s, %L)', r.uid, r.mid, r.pres));
		v_new_audit := pg_temp.audit_after(v_a0);
		ASSERT v_new = v_ref, format('snapshot of meeting %s for %s '
		    || '(shared screen %s) differs: %s',
		    r.mid, r.login, r.pres, v_new);
		ASSERT v_new_audit = v_ref_audit, format('audit of the snapshot of '
		    || 'meeting %s for %s (shared screen %s) differs: %s instead '
		    || 'of %s', r.mid, r.login, r.pres, v_new_audit, v_ref_audit);
		v_n := v_n + 1;
		IF v_new NOT LIKE 'error%' THEN
			v_ok := v_ok + 1;
		END IF;
		IF v_new_audit <> '' THEN
			v_audited := v_audited + 1;
		END IF;
	END LOOP;
	-- the comparison compared snapshots, most of them with personal data
	ASSERT v_n = 2 * (SELECT count(*) FROM users) * (SELECT count(*) FROM meetings);
	ASSERT v_ok >= 50 AND v_audited >= 30, format('%s snapshots, %s audited',
	    v_ok, v_audited);
END
$$;

-- the text is what tafel_snapshot answers, and it is JSON the jsonb parser
-- reads back to the same; its action points are a table (a list of field
-- names and one array of values per action point, in that order) that
-- stands for exactly the objects tafel_snapshot shows
DO $$
DECLARE
	v_m bigint := (SELECT max(id) FROM meetings);
	t json := tafel_snapshot_json(test_uid('politie'), v_m, false);
	j jsonb := t::jsonb;
	o jsonb := tafel_snapshot(test_uid('politie'), v_m);
	v_cols jsonb := j -> 'snapshot' -> 'actions' -> 'columns';
	v_row jsonb;
BEGIN
	ASSERT jsonb_array_length(j -> 'snapshot' -> 'cases') = 18;
	ASSERT jsonb_array_length(j -> 'snapshot' -> 'info_rounds') = 1;
	ASSERT jsonb_array_length(v_cols) = 17, v_cols::text;
	ASSERT jsonb_array_length(j -> 'snapshot' -> 'actions' -> 'rows') =
	    jsonb_array_length(o -> 'snapshot' -> 'actions');
	ASSERT jsonb_array_length(o -> 'snapshot' -> 'actions') >= 10;
	-- row k, column c is object k's key c, for every row and column
	FOR k IN 0 .. jsonb_array_length(o -> 'snapshot' -> 'actions') - 1 LOOP
		v_row := j -> 'snapshot' -> 'actions' -> 'rows' -> k;
		ASSERT jsonb_array_length(v_row) = 17;
		FOR c IN 0 .. 16 LOOP
			ASSERT v_row -> c = o -> 'snapshot' -> 'actions' -> k
			    -> (v_cols ->> c), format('action %s, %s: %s / %s', k,
			    v_cols ->> c, v_row -> c,
			    o -> 'snapshot' -> 'actions' -> k -> (v_cols ->> c));
		END LOOP;
		-- and no key the table leaves out
		ASSERT (SELECT count(*) FROM jsonb_object_keys(
		    o -> 'snapshot' -> 'actions' -> k)) = 17;
	END LOOP;
	-- everything else is the same text
	ASSERT j - 'snapshot' = o - 'snapshot';
	ASSERT (j -> 'snapshot') - 'actions' - 'open_actions' =
	    (o -> 'snapshot') - 'actions' - 'open_actions';
	ASSERT tafel_json_table_objects('{"columns": ["a", "b"], "rows": []}')
	    = '[]'::jsonb;
	ASSERT tafel_json_table_objects('[{"a": 1}]') = '[{"a": 1}]'::jsonb;
END
$$;
