-- The push renders once per viewer class (70_push.sql): tafel_events_for,
-- run as tafel_app for every user at once (with and without the meeting
-- they follow, two sessions of one user, a viewer id given as a string,
-- each meeting's shared screen, an unknown user), gives every viewer the
-- same bytes as rendering the change for that viewer alone
-- (tafel_event_render, the way before classes), and writes the same
-- disclosures (keys, categories, counts) as the per-viewer audit entries
-- of all those renders written with tafel_audit_disclose; over the demo
-- log's changes and an item made current (case and action points in the
-- payload).  Organisations' classes with the same access share one
-- rendering (tafel_share_key), but not where an organisation's own
-- contribution is shown to it alone.  tafel_viewer_arg reads an id as
-- tafel_arg_id does (value or error), and the new helpers are internal.

-- the per-viewer reference: each viewer rendered alone; its audit entries
-- collected into t28_ref_audit with the viewer and the change
CREATE TEMP TABLE t28_ref_audit (r jsonb);
CREATE FUNCTION test28_ref(p_seq bigint, p_viewers jsonb)
RETURNS TABLE (idx int, event jsonb) LANGUAGE plpgsql AS $$
DECLARE
	c changelog;
	v_payload jsonb;
	e jsonb;
	n bigint;
	v_uid bigint;
BEGIN
	SELECT * INTO c FROM changelog cl WHERE cl.seq = p_seq;
	v_payload := tafel_event_payload(c);
	PERFORM set_config('tafel.audit_collect', 'on', true);
	FOR e, n IN SELECT t.e, t.n FROM jsonb_array_elements(p_viewers)
	    WITH ORDINALITY AS t(e, n) LOOP
		PERFORM set_config('tafel.audit_pending', '[]', true);
		v_uid := tafel_arg_id(e, 'user_id');
		idx := n - 1;
		event := tafel_event_render(c, v_payload, v_uid,
		    coalesce(tafel_arg_id(e, 'presentation_meeting'), 0),
		    coalesce(tafel_arg_id(e, 'meeting_id'), 0));
		INSERT INTO t28_ref_audit SELECT g || jsonb_build_object(
		    'user_id', v_uid, 'seq', c.seq)
		FROM jsonb_array_elements(current_setting(
		    'tafel.audit_pending')::jsonb) g;
		RETURN NEXT;
	END LOOP;
	PERFORM set_config('tafel.audit_collect', '', true);
	PERFORM set_config('tafel.audit_pending', '', true);
END
$$;

CREATE TEMP TABLE t28_seqs (seq bigint, viewers jsonb);
CREATE TEMP TABLE t28_ev (seq bigint, idx int, way text, ev text);
CREATE TEMP TABLE t28_d (way text, user_id bigint, case_id bigint, day date,
    meeting_id bigint, org_id bigint, context text, categories text[],
    count bigint);
GRANT SELECT ON t28_seqs TO tafel_app;
GRANT INSERT ON t28_ev TO tafel_app;
-- how many renderings each push took (tafel.push_renders)
CREATE TEMP TABLE t28_renders (seq bigint, renders int);
GRANT INSERT ON t28_renders TO tafel_app;

DO $$
DECLARE
	v_in jsonb;
	a text;
	b text;
	v_m meetings;
	i int;
BEGIN
	ASSERT NOT EXISTS (SELECT 1 FROM unnest(ARRAY[
	    'tafel_audit_disclose_classes(jsonb[],bigint[],int[],bigint[])',
	    'tafel_viewer_arg(jsonb,text)', 'tafel_viewer_classes(jsonb,boolean)',
	    'tafel_event_render(changelog,jsonb,bigint,bigint,bigint)',
	    'tafel_render_inputs(users,jsonb,bigint[])',
	    'tafel_share_key(jsonb,bigint[])'])
	    f WHERE has_function_privilege('tafel_app', f, 'EXECUTE'));

	-- tafel_viewer_arg = tafel_arg_id: the same value, or the same error
	FOR v_in IN SELECT x FROM unnest(ARRAY['{"f": 12}', '{"f": "12"}',
	    '{"f": 0}', '{"f": -3}', '{"f": 1.5}', '{"f": "1.5"}', '{"f": 1e3}',
	    '{"f": ""}', '{"f": null}', '{}', '{"f": "abc"}', '{"f": true}',
	    '{"f": [1]}', '{"f": 999999999999999999}',
	    '{"f": 9223372036854775807}', '{"f": 99999999999999999999}',
	    '{"f": 1.0}', '{"f": -0}', '{"f": "0012"}']::jsonb[]) x LOOP
		BEGIN
			a := tafel_arg_id(v_in, 'f')::text;
		EXCEPTION WHEN OTHERS THEN
			a := 'error ' || SQLSTATE || ' ' || SQLERRM;
		END;
		BEGIN
			b := tafel_viewer_arg(v_in, 'f')::text;
		EXCEPTION WHEN OTHERS THEN
			b := 'error ' || SQLSTATE || ' ' || SQLERRM;
		END;
		ASSERT a IS NOT DISTINCT FROM b, format('%s: %s / %s', v_in, a, b);
	END LOOP;

	-- the heaviest change: an item made current in a demo meeting
	SELECT * INTO v_m FROM meetings m WHERE m.state = 'planned'
	    AND EXISTS (SELECT 1 FROM agenda_items ai WHERE ai.meeting_id = m.id)
	ORDER BY m.id LIMIT 1;
	PERFORM test_write((SELECT login FROM users WHERE id = v_m.chair_id),
	    'open_meeting', jsonb_build_object('meeting_id', v_m.id,
		'version', v_m.version));
	PERFORM test_write((SELECT login FROM users WHERE id = v_m.chair_id),
	    'set_current_item', jsonb_build_object('meeting_id', v_m.id,
		'item_id', (SELECT id FROM agenda_items WHERE meeting_id = v_m.id
		    ORDER BY position LIMIT 1)));
	ASSERT (SELECT tafel_event_payload(c) ? 'actions' FROM changelog c
	    ORDER BY seq DESC LIMIT 1), 'an item made current carries its actions';
	-- more changes of that meeting: someone present (the shared screen's
	-- audit per organisation present), action points of three owners,
	-- the case record, the next item made current
	PERFORM test_write((SELECT login FROM users WHERE id = v_m.chair_id),
	    'record_attendance', jsonb_build_object('meeting_id', v_m.id,
		'user_id', test_uid('politie'), 'present', true));
	FOR i IN 1..3 LOOP
		PERFORM test_write((SELECT login FROM users WHERE id = v_m.chair_id),
		    'create_action', jsonb_build_object('case_id', (SELECT case_id
			FROM agenda_items WHERE meeting_id = v_m.id
			ORDER BY position LIMIT 1), 'meeting_id', v_m.id,
			'description', 'Test 28: bellen ' || i,
			'due_date', to_char(current_date + 7, 'YYYY-MM-DD'),
			'owner_org_id', (SELECT sm.org_id FROM series_members sm
			    WHERE sm.series_id = v_m.series_id ORDER BY sm.org_id
			    OFFSET i - 1 LIMIT 1)));
	END LOOP;
	PERFORM test_write('politie', 'update_case', tafel_json_case((SELECT
	    case_id FROM agenda_items WHERE meeting_id = v_m.id
	    ORDER BY position LIMIT 1)) || '{"district": "Test 28"}');
	-- a second housing corporation with the same access to the case as
	-- the demo's (person names and free text, no case summary): the two
	-- share renderings (tafel_share_key) except where the first's
	-- own contribution and action point are shown to it in full
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Test 28 woningcorporatie', 'housing', true, current_date);
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('t28woning', 'Test 28 Woning', test_org('Test 28 woningcorporatie'),
	    'x', '{member}');
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT ai.case_id, test_org('Test 28 woningcorporatie')
	FROM agenda_items ai WHERE ai.meeting_id = v_m.id ORDER BY ai.position
	LIMIT 1;
	PERFORM test_write('woningcorporatie', 'add_contribution',
	    jsonb_build_object('case_id', (SELECT case_id FROM agenda_items
		WHERE meeting_id = v_m.id ORDER BY position LIMIT 1),
		'facts', 'Test 28: huurachterstand'));
	PERFORM test_write((SELECT login FROM users WHERE id = v_m.chair_id),
	    'set_current_item', jsonb_build_object('meeting_id', v_m.id,
		'item_id', (SELECT id FROM agenda_items WHERE meeting_id = v_m.id
		    ORDER BY position OFFSET 1 LIMIT 1)));

	-- the viewers of each of the last 60 changes
	INSERT INTO t28_seqs
	SELECT c.seq, (SELECT jsonb_agg(x ORDER BY o1, o2) FROM (
	    SELECT jsonb_build_object('user_id', u.id, 'meeting_id',
		coalesce(c.meeting_id, v_m.id)) x, 1 o1, u.id o2 FROM users u
	    UNION ALL SELECT jsonb_build_object('user_id', u.id), 2, u.id
	    FROM users u
	    -- a second session of the same user, the id as a string
	    UNION ALL SELECT jsonb_build_object('user_id', u.id::text), 3, u.id
	    FROM users u WHERE u.id % 3 = 0
	    UNION ALL SELECT jsonb_build_object('user_id', m.chair_id,
		'presentation_meeting', m.id), 4, m.id FROM meetings m
	    UNION ALL SELECT '{"user_id": 999999}', 5, 0) z)
	FROM changelog c ORDER BY c.seq DESC LIMIT 60;
	PERFORM tafel_audit_fold(NULL, true);
	INSERT INTO t28_d SELECT '0', user_id, case_id, day, meeting_id, org_id,
	    context, categories, count FROM audit_disclosures;
END
$$;

-- the push as the server makes it
SET ROLE tafel_app;
DO $$
DECLARE
	s t28_seqs;
BEGIN
	FOR s IN SELECT * FROM t28_seqs ORDER BY seq LOOP
		INSERT INTO t28_ev SELECT s.seq, e.idx, 'class', e.event::text
		FROM tafel_events_for(s.seq, s.viewers) e;
		INSERT INTO t28_renders VALUES (s.seq,
		    current_setting('tafel.push_renders')::int);
	END LOOP;
END
$$;
RESET ROLE;

DO $$
DECLARE
	s t28_seqs;
BEGIN
	-- what the pushes recorded (one audit_pending row per change that
	-- disclosed anything), folded into disclosures (0014)
	ASSERT tafel_audit_fold(NULL, true) BETWEEN 1 AND (SELECT count(*)
	    FROM t28_seqs);
	INSERT INTO t28_d SELECT 'class', user_id, case_id, day, meeting_id,
	    org_id, context, categories, count FROM audit_disclosures;
	-- per viewer, the audit of all of them in one tafel_audit_disclose
	FOR s IN SELECT * FROM t28_seqs ORDER BY seq LOOP
		INSERT INTO t28_ev SELECT s.seq, e.idx, 'one', e.event::text
		FROM test28_ref(s.seq, s.viewers) e;
	END LOOP;
	PERFORM tafel_audit_disclose((SELECT jsonb_agg(r) FROM t28_ref_audit));
	PERFORM tafel_audit_fold(NULL, true);
	INSERT INTO t28_d SELECT 'one', user_id, case_id, day, meeting_id,
	    org_id, context, categories, count FROM audit_disclosures;
END
$$;

DO $$
DECLARE
	v_bad text;
BEGIN
	-- every viewer: the same bytes, or NULL for both
	ASSERT (SELECT count(*) FROM t28_ev WHERE way = 'class')
	    = (SELECT count(*) FROM t28_ev WHERE way = 'one');
	ASSERT (SELECT count(*) FROM t28_ev WHERE way = 'class') >= 300,
	    (SELECT count(*) FROM t28_ev)::text;
	SELECT string_agg(format('seq %s idx %s', a.seq, a.idx), ', ') INTO v_bad
	FROM t28_ev a FULL JOIN (SELECT * FROM t28_ev WHERE way = 'one') b
	    ON b.seq = a.seq AND b.idx = a.idx
	WHERE a.way = 'class' AND a.ev IS DISTINCT FROM b.ev
	    OR a.seq IS NULL OR b.seq IS NULL;
	ASSERT v_bad IS NULL, 'events differ: ' || left(v_bad, 800);
	-- the comparison means something: visible, hidden, and redacted events
	ASSERT (SELECT count(*) FROM t28_ev WHERE way = 'class' AND ev IS NULL) > 50,
	    (SELECT count(*) FROM t28_ev WHERE way = 'class' AND ev IS NULL)::text;
	ASSERT (SELECT count(DISTINCT ev) FROM t28_ev WHERE way = 'class') > 20,
	    (SELECT count(DISTINCT ev) FROM t28_ev WHERE way = 'class')::text;

	-- the disclosures: what the class push added equals what the
	-- per-viewer audit added, key by key (categories and count)
	SELECT string_agg(format('%s/%s/%s/%s/%s', coalesce(a.user_id, b.user_id),
	    coalesce(a.case_id, b.case_id), coalesce(a.org_id, b.org_id),
	    coalesce(a.context, b.context), coalesce(a.count, 0)
		|| ' vs ' || coalesce(b.count, 0)), ', ') INTO v_bad
	FROM (SELECT c.user_id, c.case_id, c.day, c.meeting_id, c.org_id,
		c.context, c.categories, c.count - coalesce(z.count, 0) AS count
	    FROM t28_d c LEFT JOIN t28_d z ON z.way = '0'
		AND (z.user_id, z.case_id, z.day, z.meeting_id, z.org_id,
		    z.context) = (c.user_id, c.case_id, c.day, c.meeting_id,
		    c.org_id, c.context)
	    WHERE c.way = 'class' AND c.count > coalesce(z.count, 0)) a
	FULL JOIN (SELECT o.user_id, o.case_id, o.day, o.meeting_id, o.org_id,
		o.context, o.categories, o.count - coalesce(c.count, 0) AS count
	    FROM t28_d o LEFT JOIN t28_d c ON c.way = 'class'
		AND (c.user_id, c.case_id, c.day, c.meeting_id, c.org_id,
		    c.context) = (o.user_id, o.case_id, o.day, o.meeting_id,
		    o.org_id, o.context)
	    WHERE o.way = 'one' AND o.count > coalesce(c.count, 0)) b
	    ON (a.user_id, a.case_id, a.day, a.meeting_id, a.org_id, a.context)
		= (b.user_id, b.case_id, b.day, b.meeting_id, b.org_id, b.context)
	WHERE a.count IS DISTINCT FROM b.count
	    OR a.categories IS DISTINCT FROM b.categories;
	ASSERT v_bad IS NULL, 'disclosures differ: ' || left(v_bad, 800);
	ASSERT (SELECT count(*) FROM t28_d c WHERE c.way = 'class'
	    AND NOT EXISTS (SELECT 1 FROM t28_d z WHERE z.way = '0'
		AND (z.user_id, z.case_id, z.day, z.meeting_id, z.org_id,
		    z.context, z.count) = (c.user_id, c.case_id, c.day,
		    c.meeting_id, c.org_id, c.context, c.count))) > 20;
	-- a shared screen's disclosures (per organisation present) are among them
	ASSERT EXISTS (SELECT 1 FROM t28_d WHERE way = 'class'
	    AND context = 'beamer');

	-- organisations' classes with the same access shared renderings: fewer
	-- renderings than classes, for the item made current among others
	ASSERT (SELECT sum(r.renders) FROM t28_renders r)
	    < (SELECT sum((SELECT count(DISTINCT vc.class)
		FROM tafel_viewer_classes(s.viewers, false) vc)) FROM t28_seqs s),
	    'no rendering was shared';
	ASSERT EXISTS (SELECT 1 FROM t28_renders r JOIN changelog c USING (seq)
	    WHERE c.payload ? 'agenda_items' AND r.renders < (SELECT
		count(DISTINCT vc.class) FROM t28_seqs s,
		tafel_viewer_classes(s.viewers, false) vc WHERE s.seq = r.seq)),
	    'the item made current was rendered once per class';
	-- ... but not between the two housing corporations where one's own
	-- contribution is shown to it in full: the other gets it redacted
	SELECT string_agg(format('%s: %s', u.login, e.ev), '; ') INTO v_bad
	FROM t28_seqs s JOIN changelog c ON c.seq = s.seq
	CROSS JOIN LATERAL jsonb_array_elements(s.viewers)
	    WITH ORDINALITY AS v(x, n)
	JOIN users u ON u.id = (v.x ->> 'user_id')::bigint
	JOIN t28_ev e ON e.seq = s.seq AND e.idx = v.n - 1 AND e.way = 'class'
	WHERE c.payload ? 'contribution' AND v.x ? 'meeting_id'
	    AND c.payload -> 'contribution' ->> 'facts' = 'Test 28: huurachterstand'
	    AND u.login IN ('woningcorporatie', 't28woning')
	    AND NOT (CASE u.login WHEN 'woningcorporatie'
		THEN e.ev::jsonb -> 'contribution' ->> 'facts'
		    = 'Test 28: huurachterstand'
		ELSE e.ev::jsonb -> 'contribution' ->> 'facts' = '' END);
	ASSERT v_bad IS NULL, 'own contribution: ' || left(v_bad, 800);
	ASSERT (SELECT count(*) FROM t28_seqs s JOIN changelog c ON c.seq = s.seq
	    WHERE c.payload -> 'contribution' ->> 'facts'
		= 'Test 28: huurachterstand') = 1, 'the contribution is pushed';
END
$$;

-- what the server reads, tafel_push_events: each rendering crosses once,
-- in the row of the first viewer that gets it; the other viewers' rows
-- name a row that came before them and carries an event; resolving them
-- gives tafel_events_for's rows (compared above with rendering alone)
CREATE TEMP TABLE t28_push (seq bigint, n bigint, idx int, event text,
    same_as int);
CREATE TEMP TABLE t28_push_r (seq bigint, renders int);
GRANT INSERT ON t28_push, t28_push_r TO tafel_app;
SET ROLE tafel_app;
DO $$
DECLARE
	s t28_seqs;
BEGIN
	FOR s IN SELECT * FROM t28_seqs ORDER BY seq LOOP
		INSERT INTO t28_push SELECT s.seq, e.n, e.idx, e.event::text,
		    e.same_as
		FROM tafel_push_events(s.seq, s.viewers) WITH ORDINALITY
		    AS e(idx, event, same_as, n);
		INSERT INTO t28_push_r VALUES (s.seq,
		    current_setting('tafel.push_renders')::int);
	END LOOP;
END
$$;
RESET ROLE;
DO $$
DECLARE
	v_bad text;
BEGIN
	ASSERT (SELECT count(*) FROM t28_push)
	    = (SELECT count(*) FROM t28_ev WHERE way = 'class');
	-- a reference goes back to an earlier row with an event
	SELECT string_agg(format('seq %s idx %s', p.seq, p.idx), ', ') INTO v_bad
	FROM t28_push p LEFT JOIN t28_push f ON f.seq = p.seq
	    AND f.idx = p.same_as
	WHERE p.same_as IS NOT NULL AND (p.event IS NOT NULL OR f.n IS NULL
	    OR f.n >= p.n OR f.event IS NULL);
	ASSERT v_bad IS NULL, 'bad references: ' || left(v_bad, 800);
	-- resolved, the rows are tafel_events_for's
	SELECT string_agg(format('seq %s idx %s', p.seq, p.idx), ', ') INTO v_bad
	FROM t28_push p LEFT JOIN t28_push f ON f.seq = p.seq
	    AND f.idx = p.same_as
	JOIN t28_ev e ON e.seq = p.seq AND e.idx = p.idx AND e.way = 'class'
	WHERE coalesce(p.event, f.event) IS DISTINCT FROM e.ev;
	ASSERT v_bad IS NULL, 'resolved rows differ: ' || left(v_bad, 800);
	-- a rendering crosses once: no more events than renderings
	SELECT string_agg(format('seq %s', r.seq), ', ') INTO v_bad
	FROM t28_push_r r
	WHERE (SELECT count(*) FROM t28_push p WHERE p.seq = r.seq
	    AND p.event IS NOT NULL) > r.renders;
	ASSERT v_bad IS NULL, 'a rendering sent twice: ' || left(v_bad, 800);
	ASSERT (SELECT count(*) FROM t28_push WHERE same_as IS NOT NULL)
	    > (SELECT count(*) FROM t28_push WHERE event IS NOT NULL);
END
$$;

-- The viewers' fields: read in one go when they are plain integers, one by
-- one as tafel_arg_id reads them otherwise, with the same values (an
-- element that is no object, an absent field: 0) or tafel_arg_id's error.
DO $$
DECLARE
	v_pol bigint := test_uid('politie');
BEGIN
	ASSERT (SELECT array_agg(format('%s/%s/%s/%s', idx, user_id, pres, ctx)
	    ORDER BY idx) FROM tafel_viewer_classes(jsonb_build_array(
		jsonb_build_object('user_id', v_pol, 'meeting_id', 5),
		jsonb_build_object('user_id', v_pol::text), '{}'::jsonb), false))
	    = ARRAY[format('0/%s/0/5', v_pol), format('1/%s/0/0', v_pol),
		'2/0/0/0'];
	ASSERT (SELECT array_agg(format('%s/%s/%s/%s', idx, user_id, pres, ctx)
	    ORDER BY idx) FROM tafel_viewer_classes(jsonb_build_array(
		jsonb_build_object('user_id', v_pol, 'meeting_id', 5),
		7, jsonb_build_object('user_id', '', 'presentation_meeting', 3)),
		false))
	    = ARRAY[format('0/%s/0/5', v_pol), '1/0/0/0', '2/0/3/0'];
	PERFORM test_expect('TF011', format('SELECT * FROM tafel_viewer_classes('
	    || '''[{"user_id": %s}, {"user_id": 1.5}]'', false)', v_pol));
	PERFORM test_expect('TF011', 'SELECT * FROM tafel_viewer_classes('
	    || '''[{"meeting_id": "x"}]'', false)');
END
$$;
